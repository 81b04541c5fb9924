import i18n from '../../i18n/i18n';
import type { Notification, NotificationKind } from './notification.types';

type Values = { actor: string; key: string; title: string };

// Keyed by the generated union: a kind the API adds fails to compile until it has its sentence.
const sentences: Record<NotificationKind, (values: Values) => string> = {
  assigned: (values) => i18n.t('{{actor}} assigned you {{key}} {{title}}', values),
  mentioned: (values) => i18n.t('{{actor}} mentioned you in {{key}} {{title}}', values),
  commented: (values) => i18n.t('{{actor}} commented on {{key}} {{title}}', values),
  status_changed: (values) => i18n.t('{{actor}} changed the status of {{key}} {{title}}', values),
  task_deleted: (values) => i18n.t('{{actor}} deleted {{key}} {{title}}', values),
  due_soon: (values) => i18n.t('{{key}} {{title}} is due within 24 hours', values),
  webhook_disabled: () => i18n.t('A webhook was turned off after failing repeatedly'),
};

/** "Ada assigned you TF-12 Fix login": a notification in words. */
export function describeNotification(notification: Notification): string {
  return sentences[notification.kind]({
    actor: notification.actor?.name ?? i18n.t('Someone'),
    key: notification.task?.key ?? '',
    title: notification.task?.title ?? '',
  });
}
