import '../comments.css';
import { useRouterState } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/query-error';
import type { User } from '../../auth/auth.types';
import { useUsers } from '../../users/use-users';
import { useCommentThread } from '../use-comments';
import { CommentComposer } from './comment-composer';
import { CommentItem } from './comment-item';

/** Comments shown at first, the newest; "Show earlier comments" shows this many more each time. */
export const commentsShown = 20;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * A task's conversation, oldest at the top and newest at the bottom, then the field to add one. Comments others
 * write arrive through the live stream (useLiveUpdates refreshes the thread on comment.* events).
 */
export function CommentsSection({ taskId, user }: { taskId: string; user: User }) {
  const { t } = useTranslation();
  const headingId = useId();
  const thread = useCommentThread(taskId);
  const users = useUsers();
  const [shown, setShown] = useState(commentsShown);
  const now = useNow(30_000);
  const heading = useRef<HTMLHeadingElement>(null);
  const people = (users.data ?? []).filter((person) => !person.disabled);
  // `#comment-<id>` (a notification's link) names a comment to land on, once the whole thread is loaded.
  const hash = useRouterState({ select: (state) => state.location.hash });
  const targetId = thread.complete ? (/^#?comment-(.+)$/.exec(hash)?.[1] ?? null) : null;
  const targetIndex = targetId === null ? -1 : thread.comments.findIndex((comment) => comment.id === targetId);
  const landed = useRef<string | null>(null);
  useEffect(() => {
    if (targetIndex < 0 || targetId === null || landed.current === targetId) return;
    landed.current = targetId;
    const element = document.getElementById(`comment-${targetId}`);
    element?.scrollIntoView?.({ block: 'center' });
    element?.focus({ preventScroll: true });
  }, [targetId, targetIndex]);

  let body;
  if (thread.isPending) {
    body = (
      <p className="muted small" role="status">
        {t('Loading comments…')}
      </p>
    );
  } else if (thread.isError) {
    body = <QueryError error={thread.error} what={t('the comments')} onRetry={() => void thread.refetch()} />;
  } else {
    const comments = thread.comments;
    // The comment a link points at shows even when it is older than the last ones shown.
    const earlier = Math.max(0, Math.min(comments.length - shown, targetIndex < 0 ? Infinity : targetIndex));
    body = (
      <>
        {earlier > 0 && (
          <button type="button" className="history-more" onClick={() => setShown((current) => current + commentsShown)}>
            {t('Show earlier comments ({{count}})', { count: earlier })}
          </button>
        )}
        {comments.length === 0 ? (
          <p className="muted small">{t('No comments yet.')}</p>
        ) : (
          <ol className="comment-list" aria-labelledby={headingId}>
            {comments.slice(earlier).map((comment) => (
              <CommentItem
                key={comment.id}
                comment={comment}
                taskId={taskId}
                people={people}
                canEdit={comment.author.id === user.id}
                canDelete={comment.author.id === user.id || user.role === 'admin'}
                now={now}
                targeted={comment.id === targetId}
                onDeleted={() => heading.current?.focus()}
              />
            ))}
          </ol>
        )}
        {!thread.complete && (
          <p className="muted small" role="status">
            {t('Loading comments…')}
          </p>
        )}
      </>
    );
  }

  return (
    <section className="panel task-comments" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {t('Comments')}
      </h3>
      {body}
      {/* Keyed by the task: going to another task's page must not carry this draft over to it. */}
      <CommentComposer key={taskId} taskId={taskId} people={people} />
    </section>
  );
}
