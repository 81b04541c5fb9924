import { useEffect, useRef } from 'react';
import { CopyField } from '../../../components/copy-field';
import type { User } from '../../auth/auth.types';
import { formatDateTime } from '../../tasks/task.types';
import { resetLink } from '../reset-link';
import type { IssuedPasswordReset } from '../user.types';
import { useTranslation } from 'react-i18next';

interface ResetLinkNoticeProps {
  member: User;
  reset: IssuedPasswordReset;
  onDone: () => void;
}

/** An admin's reset link for one member, shown this once (the server keeps only its hash), to copy and pass on. */
export function ResetLinkNotice({ member, reset, onDone }: ResetLinkNoticeProps) {
  const { t } = useTranslation();
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => notice.current?.focus(), [reset]);
  return (
    <div className="notice notice-success" role="status" tabIndex={-1} ref={notice}>
      <p className="state-title">{t('Reset link created for {{name}}.', { name: member.name })}</p>
      <p>
        {t(
          'Pass this link on to {{name}} yourself (not in a public channel). It lets them choose a new password once, until {{when}}. It is shown only this once: copy it now.',
          { name: member.name, when: formatDateTime(reset.expires_at) },
        )}
      </p>
      <CopyField label={t('Reset link for {{name}}', { name: member.name })} value={resetLink(reset.url)} />
      <button type="button" onClick={onDone}>
        {t('Done')}
      </button>
    </div>
  );
}
