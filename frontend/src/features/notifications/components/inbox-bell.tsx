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
      {/* Drawn rather than an emoji, which a system without an emoji font shows as a box. */}
      <svg className="inbox-bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      {unread > 0 && (
        <span className="inbox-count" aria-hidden="true">
          {unread > 99 ? '99+' : formatNumber(unread)}
        </span>
      )}
    </AppLink>
  );
}
