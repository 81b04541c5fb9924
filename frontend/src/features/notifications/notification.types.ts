import type { components } from '../../lib/api-schema';

export type Notification = components['schemas']['NotificationResponse'];
export type NotificationKind = Notification['kind'];
export type Watcher = components['schemas']['TaskAuthorResponse'];
