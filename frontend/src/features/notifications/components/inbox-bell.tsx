import '../notifications.css';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../../components/app-link';
import { formatNumber } from '../../../i18n/i18n';
import { useUnreadCount } from '../use-notifications';

/** The header's way to the inbox, with the unread count kept live by `event: notification`. */
export function InboxBell({ current }: { current: boolean }) {
  const { t } = useTranslation();
  const unread = useUnreadCount(true).data ?? 0;
  return (
    <AppLink
      href="/inbox"
      className="inbox-bell"
      aria-current={current ? 'page' : undefined}
      aria-label={unread > 0 ? t('Inbox, {{count}} unread', { count: unread }) : t('Inbox')}
    >
      <span aria-hidden="true">🔔</span>
      {unread > 0 && (
        <span className="inbox-count" aria-hidden="true">
          {unread > 99 ? '99+' : formatNumber(unread)}
        </span>
      )}
    </AppLink>
  );
}
