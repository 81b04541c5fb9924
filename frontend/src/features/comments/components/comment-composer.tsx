import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../i18n/i18n';
import { commentLimits, type Person } from '../comment.types';
import { useCreateComment } from '../use-comments';
import { MentionTextarea } from './mention-textarea';

const draftKey = (taskId: string) => `taskflow.comment-draft.${taskId}`;

function readDraft(taskId: string): string {
  try {
    return sessionStorage.getItem(draftKey(taskId)) ?? '';
  } catch {
    return '';
  }
}

function keepDraft(taskId: string, body: string): void {
  try {
    if (body) sessionStorage.setItem(draftKey(taskId), body);
    else sessionStorage.removeItem(draftKey(taskId));
  } catch {
    // Storage refused: the draft still lives in the field until the page is left.
  }
}

/**
 * The field to write a comment in. The draft is kept in this tab (leaving the page and coming back finds it) and
 * cleared only once the server has stored the comment: a failed send leaves it as it was, with the reason.
 */
export function CommentComposer({ taskId, people }: { taskId: string; people: readonly Person[] }) {
  const { t } = useTranslation();
  const fieldId = useId();
  const errorId = useId();
  const [body, setBody] = useState(() => readDraft(taskId));
  const [status, setStatus] = useState('');
  const create = useCreateComment(taskId);
  // Counted in characters, as the server counts them.
  const over = [...body].length - commentLimits.body;
  const limitId = useId();

  useEffect(() => keepDraft(taskId, body), [taskId, body]);

  const send = () => {
    if (!body.trim() || over > 0 || create.isPending) return;
    const sent = body;
    create.mutate(sent, {
      onSuccess: () => {
        // What was typed while it was on its way stays.
        setBody((current) => (current === sent ? '' : current));
        setStatus(t('Comment posted.'));
      },
    });
  };

  return (
    <form
      className="comment-composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label htmlFor={fieldId}>{t('Add a comment')}</label>
      <MentionTextarea
        id={fieldId}
        value={body}
        onChange={(value) => {
          setBody(value);
          setStatus('');
        }}
        onSubmit={send}
        people={people}
        describedBy={[create.isError ? errorId : '', over > 0 ? limitId : ''].filter(Boolean).join(' ') || undefined}
      />
      {over > 0 && (
        <p id={limitId} className="field-error">
          {t('{{count}} characters over the limit of {{limit}}', { count: over, limit: formatNumber(commentLimits.body) })}
        </p>
      )}
      {create.isError && (
        <p id={errorId} className="field-error" role="alert">
          {t('Your comment was not posted: {{reason}}', { reason: create.error.message })}
        </p>
      )}
      <div className="comment-composer-actions">
        <span className="muted small">{t('Type @ to mention someone; Ctrl+Enter sends.')}</span>
        {/* aria-disabled, not disabled: the button keeps the keyboard's focus while it sends and once the field empties. */}
        <button type="submit" className="button-primary" aria-disabled={create.isPending || !body.trim() || over > 0}>
          {create.isPending ? t('Sending…') : t('Comment')}
        </button>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
    </form>
  );
}
