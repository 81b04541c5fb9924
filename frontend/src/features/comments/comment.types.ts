import type { components } from '../../lib/api-schema';

export type Comment = components['schemas']['CommentResponse'];
export type Person = components['schemas']['TaskAuthorResponse'];

/** Limits the server enforces on a comment's body (docs/API.md, Comments). */
export const commentLimits = { body: 10_000 } as const;
