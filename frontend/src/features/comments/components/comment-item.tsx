import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRelative } from '../../tasks/describe-change';
import { formatDateTime } from '../../tasks/task.types';
import type { Comment, Person } from '../comment.types';
import { useDeleteComment, useUpdateComment } from '../use-comments';
import { CommentBody } from './comment-body';
import { MentionTextarea } from './mention-textarea';

interface CommentItemProps {
  comment: Comment;
  taskId: string;
  people: readonly Person[];
  /** Its author may edit it; its author and admins may delete it. */
  canEdit: boolean;
  canDelete: boolean;
  now: number;
  /** The comment the page's address points at (`#comment-<id>`): marked, and focused once loaded. */
  targeted: boolean;
  /** Where focus goes once the comment is deleted. */
  onDeleted: () => void;
}

/** One comment: who wrote it and when, its text, and for its author (or an admin) edit and delete. */
export function CommentItem({ comment, taskId, people, canEdit, canDelete, now, targeted, onDeleted }: CommentItemProps) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState(comment.body);
  const editId = useId();
  const errorId = useId();
  const editButton = useRef<HTMLButtonElement>(null);
  const update = useUpdateComment(taskId);
  const remove = useDeleteComment(taskId);
  const known = [...comment.mentions, ...people];

  const close = () => {
    setMode('view');
    update.reset();
    remove.reset();
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const save = () => {
    if (!draft.trim() || update.isPending) return;
    if (draft === comment.body) return close();
    update.mutate({ id: comment.id, body: draft }, { onSuccess: close });
  };

  return (
    <li
      id={`comment-${comment.id}`}
      tabIndex={-1}
      className={targeted ? 'comment comment-target' : 'comment'}
      aria-current={targeted ? 'location' : undefined}
      aria-label={t('Comment by {{name}}', { name: comment.author.name })}>
      <p className="comment-meta">
        <strong>{comment.author.name}</strong>
        {' · '}
        <time dateTime={comment.created_at} title={formatDateTime(comment.created_at)}>
          {formatRelative(comment.created_at, now)}
        </time>
        {comment.edited_at && (
          <span className="muted" title={formatDateTime(comment.edited_at)}>
            {' · '}
            {t('edited')}
          </span>
        )}
      </p>
      {mode === 'edit' ? (
        <form
          className="comment-edit"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <label htmlFor={editId} className="visually-hidden">
            {t('Edit your comment')}
          </label>
          <MentionTextarea
            id={editId}
            value={draft}
            onChange={setDraft}
            onSubmit={save}
            people={people}
            describedBy={update.isError ? errorId : undefined}
          />
          {update.isError && (
            <p id={errorId} className="field-error" role="alert">
              {t('Your change was not saved: {{reason}}', { reason: update.error.message })}
            </p>
          )}
          <div className="comment-actions">
            <button type="submit" className="button-primary" disabled={update.isPending || !draft.trim()}>
              {update.isPending ? t('Saving…') : t('Save')}
            </button>
            <button
              type="button"
              onClick={() => {
                // Cancel is the one way to throw the edit away, and it says so by its name.
                setDraft(comment.body);
                close();
              }}
            >
              {t('Discard changes')}
            </button>
          </div>
        </form>
      ) : (
        <CommentBody body={comment.body} people={known} />
      )}
      {mode === 'confirm-delete' && (
        <div className="comment-confirm" role="group" aria-label={t('Delete this comment?')}>
          <span>{t('Delete this comment?')}</span>
          <button
            type="button"
            className="button-danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(comment.id, { onSuccess: onDeleted })}
          >
            {remove.isPending ? t('Deleting…') : t('Delete')}
          </button>
          <button type="button" onClick={close} autoFocus>
            {t('Keep it')}
          </button>
          {remove.isError && (
            <p className="field-error" role="alert">
              {t('The comment was not deleted: {{reason}}', { reason: remove.error.message })}
            </p>
          )}
        </div>
      )}
      {mode === 'view' && (canEdit || canDelete) && (
        <div className="comment-actions">
          {canEdit && (
            <button
              ref={editButton}
              type="button"
              className="button-link"
              aria-label={t('Edit your comment')}
              onClick={() => {
                setDraft(comment.body);
                setMode('edit');
                requestAnimationFrame(() => document.getElementById(editId)?.focus());
              }}
            >
              {t('Edit')}
            </button>
          )}
          {canDelete && (
            <button
              type="button"
              className="button-link"
              aria-label={t('Delete the comment by {{name}}', { name: comment.author.name })}
              onClick={() => setMode('confirm-delete')}
            >
              {t('Delete')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
