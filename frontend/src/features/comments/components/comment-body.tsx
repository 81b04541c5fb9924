import { useTranslation } from 'react-i18next';
import type { Person } from '../comment.types';
import { splitMentions } from '../mentions';

/** A comment's text with its `<@USER_ID>` tokens shown as "@Name". */
export function CommentBody({ body, people }: { body: string; people: readonly Person[] }) {
  const { t } = useTranslation();
  return (
    <p className="comment-body">
      {splitMentions(body, people).map((part, index) =>
        'text' in part ? (
          part.text
        ) : (
          <span key={index} className="mention">
            @{part.mention?.name ?? t('unknown member')}
          </span>
        ),
      )}
    </p>
  );
}
