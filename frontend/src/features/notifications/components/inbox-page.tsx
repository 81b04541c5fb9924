import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../../components/app-link';
import { QueryError } from '../../../components/query-error';
import { formatRelative } from '../../tasks/describe-change';
import { formatDateTime } from '../../tasks/task.types';
import { describeNotification } from '../describe-notification';
import type { Notification } from '../notification.types';
import { useMarkRead, useNotifications } from '../use-notifications';

/**
 * The signed-in person's notifications, newest first, each opening its task (at its comment, for a mention or a
 * comment) and marked read by opening it.
 */
export function InboxPage() {
  const { t } = useTranslation();
  const notifications = useNotifications();
  const markRead = useMarkRead();

  let body;
  if (notifications.isPending) {
    body = (
      <p className="state" role="status">
        {t('Loading notifications…')}
      </p>
    );
  } else if (notifications.isError) {
    body = <QueryError error={notifications.error} what={t('the notifications')} onRetry={() => void notifications.refetch()} />;
  } else {
    const items = notifications.data.pages.flatMap((page) => page.notifications);
    const anyUnread = items.some((item) => item.read_at === null);
    body = (
      <>
        <div className="inbox-actions">
          {/* aria-disabled rather than disabled: a button disabled under the keyboard's focus drops it to the page. */}
          <button
            type="button"
            onClick={() => anyUnread && !markRead.isPending && markRead.mutate('all')}
            aria-disabled={!anyUnread || markRead.isPending}
          >
            {t('Mark all as read')}
          </button>
          {markRead.isError && (
            <p className="field-error" role="alert">
              {t('Could not mark them read: {{reason}}', { reason: markRead.error.message })}
            </p>
          )}
        </div>
        {items.length === 0 ? (
          <p className="state">{t('Nothing here yet: you will hear about tasks you watch, are assigned or are mentioned in.')}</p>
        ) : (
          <ul className="inbox-list" aria-labelledby="inbox-title">
            {items.map((item) => (
              <InboxItem key={item.id} item={item} onRead={() => markRead.mutate([item.id])} />
            ))}
          </ul>
        )}
        {notifications.hasNextPage && (
          <button
            type="button"
            className="history-more"
            onClick={() => !notifications.isFetchingNextPage && void notifications.fetchNextPage()}
            aria-disabled={notifications.isFetchingNextPage}
          >
            {notifications.isFetchingNextPage ? t('Loading…') : t('Show older notifications')}
          </button>
        )}
      </>
    );
  }

  return (
    <section className="panel inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title">{t('Inbox')}</h2>
      {body}
    </section>
  );
}

function InboxItem({ item, onRead }: { item: Notification; onRead: () => void }) {
  const { t } = useTranslation();
  const unread = item.read_at === null;
  const text = describeNotification(item);
  const itemRef = useRef<HTMLLIElement>(null);
  // A deleted task has no page to open; a webhook turned off is fixed on the Webhooks page.
  const href =
    item.kind === 'webhook_disabled'
      ? '/webhooks'
      : item.task && item.kind !== 'task_deleted'
        ? `/tasks/${item.task.key}${item.comment_id ? `#comment-${item.comment_id}` : ''}`
        : null;
  return (
    <li className={unread ? 'inbox-item unread' : 'inbox-item'} ref={itemRef} tabIndex={-1}>
      {unread && <span className="visually-hidden">{t('Unread:')} </span>}
      {href ? (
        <AppLink href={href} onClick={() => unread && onRead()}>
          {text}
        </AppLink>
      ) : (
        <span>{text}</span>
      )}
      <span className="history-time">
        {' · '}
        <time dateTime={item.created_at} title={formatDateTime(item.created_at)}>
          {formatRelative(item.created_at)}
        </time>
      </span>
      {unread && (
        <button
          type="button"
          className="button-link"
          onClick={() => {
            onRead();
            // The button goes once the item is read: focus stays on the item rather than dropping to the page.
            (itemRef.current?.querySelector<HTMLElement>('a') ?? itemRef.current)?.focus();
          }}
        >
          {t('Mark as read')}
          <span className="visually-hidden">: {text}</span>
        </button>
      )}
    </li>
  );
}
