import { useId, useState, type FormEvent } from 'react';
import { CopyField } from '../../../components/copy-field';
import { Field, FormErrors } from '../../../components/field';
import { QueryError } from '../../../components/query-error';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { checkEmail } from '../../auth/account-rules';
import type { UserRole } from '../../auth/auth.types';
import { formatDateTime } from '../../tasks/task.types';
import { roleLabel, type CreatedInvitation, type Invitation } from '../user.types';
import { invitationLink } from '../invitation-link';
import { useCreateInvitation, useDeleteInvitation, useInvitations } from '../use-users';
import { useTranslation } from 'react-i18next';

/**
 * For admins: invite someone with a link (sent by email too when the server sends email), and see or withdraw the
 * invitations nobody has used yet.
 */
export function InvitationsSection({ emailOn }: { emailOn: boolean }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  // The server emails every invitation that names an address when it sends email.
  const emailed = emailOn && created?.email;
  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h3 id="invite-heading">{t('Invite someone')}</h3>
      {created ? (
        <div className="notice notice-success" role="status">
          <p className="state-title">
            {emailed
              ? t('Invitation emailed to {{who}}, as {{role}}.', { who: created.email, role: roleLabel(created.role).toLowerCase() })
              : t('Invitation created for {{who}}, as {{role}}.', {
                  who: created.email ?? t('anyone with the link'),
                  role: roleLabel(created.role).toLowerCase(),
                })}
          </p>
          <p>
            {emailed
              ? t(
                  'The email is on its way. Should it not arrive, send this link yourself: it works once, until {{when}}, and will not be shown again.',
                  { when: formatDateTime(created.expires_at) },
                )
              : t('Send this link to the person you invite. It works once, until {{when}}, and will not be shown again.', {
                  when: formatDateTime(created.expires_at),
                })}
          </p>
          <CopyField label={t('Invitation link')} value={invitationLink(created.code)} />
          <button type="button" onClick={() => setCreated(null)}>
            {t('Invite someone else')}
          </button>
        </div>
      ) : (
        <InviteForm onCreated={setCreated} emailOn={emailOn} />
      )}
      <PendingInvitations />
    </section>
  );
}

type InviteField = 'role' | 'email';
const serverFields: Record<string, InviteField> = { role: 'role', email: 'email' };

interface InviteFormProps {
  onCreated: (invitation: CreatedInvitation) => void;
  /** The server sends email: an invitation naming an address is emailed to it, so naming one means sending. */
  emailOn: boolean;
}

function InviteForm({ onCreated, emailOn }: InviteFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState({ role: 'member' as UserRole, email: '', sendByEmail: emailOn });
  const form = useFormSubmit<InviteField>();
  const createInvitation = useCreateInvitation();
  const roleId = useId();
  const sendId = useId();
  // Unticking keeps what was typed (hidden, not sent), so that ticking again brings it back.
  const showEmail = !emailOn || values.sendByEmail;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const email = showEmail ? values.email.trim() : '';
    await form.run(
      (): FieldErrors<InviteField> => ({
        email: email ? checkEmail(email) : emailOn && showEmail ? t('Enter the address to send the invitation to.') : undefined,
      }),
      async () => onCreated(await createInvitation.mutateAsync({ role: values.role, ...(email ? { email } : {}) })),
      (error) => toFeedback(error, serverFields),
    );
  }

  return (
    <form className="panel-form inline-form" onSubmit={submit} noValidate aria-busy={form.busy} aria-label={t('Invite someone')}>
      <FormErrors messages={form.feedback.general} />
      <div className="inline-form-fields">
        <div className="field">
          <label htmlFor={roleId}>{t('Role')}</label>
          <select
            id={roleId}
            value={values.role}
            onChange={(event) => setValues((current) => ({ ...current, role: event.target.value as UserRole }))}
          >
            <option value="member">{roleLabel('member')}</option>
            <option value="admin">{roleLabel('admin')}</option>
          </select>
        </div>
        {showEmail && (
          <Field
            label={emailOn ? t('Email') : t('Email (optional)')}
            name="email"
            type="email"
            value={values.email}
            onChange={(event) => {
              setValues((current) => ({ ...current, email: event.target.value }));
              form.clearField('email');
            }}
            error={form.feedback.fields.email}
            hint={emailOn ? t('The invitation is emailed here, and only this address can use it.') : t('Only this address can use the link.')}
            aria-required={emailOn}
            autoComplete="off"
          />
        )}
      </div>
      {emailOn && (
        <div className="choice">
          <input
            type="checkbox"
            id={sendId}
            checked={values.sendByEmail}
            onChange={(event) => {
              setValues((current) => ({ ...current, sendByEmail: event.target.checked }));
              form.clearField('email');
            }}
          />
          <label htmlFor={sendId}>{t('Send by email')}</label>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" aria-disabled={form.busy}>
          {form.busy ? t('Creating…') : emailOn && values.sendByEmail ? t('Send invitation') : t('Create invitation link')}
        </button>
      </div>
    </form>
  );
}

function PendingInvitations() {
  const { t } = useTranslation();
  const invitations = useInvitations(true);
  const remove = useDeleteInvitation();
  const [failure, setFailure] = useState<string | null>(null);

  function withdraw(invitation: Invitation) {
    setFailure(null);
    remove.mutate(invitation.id, {
      onError: (error) => setFailure(t('Could not delete the invitation: {{reason}}', { reason: error.message })),
    });
  }

  let body;
  if (invitations.isPending) {
    body = (
      <p className="muted" role="status">
        {t('Loading invitations…')}
      </p>
    );
  } else if (invitations.isError) {
    body = <QueryError error={invitations.error} what={t('the invitations')} onRetry={() => void invitations.refetch()} />;
  } else if (invitations.data.length === 0) {
    body = <p className="muted">{t('No pending invitations.')}</p>;
  } else {
    body = (
      <ul className="item-list" aria-label={t('Pending invitations')}>
        {invitations.data.map((invitation) => {
          const who = invitation.email ?? t('anyone with the link');
          return (
            <li key={invitation.id} className="item">
              <div className="item-main">
                <p className="item-title">
                  {invitation.email ?? <span className="muted">{t('Anyone with the link')}</span>}{' '}
                  <span className={`badge badge-role-${invitation.role}`}>{roleLabel(invitation.role)}</span>
                </p>
                <p className="item-meta muted">{t('Expires {{when}}', { when: formatDateTime(invitation.expires_at) })}</p>
              </div>
              <button
                type="button"
                className="button-danger"
                onClick={() => withdraw(invitation)}
                aria-label={t('Delete the invitation for {{who}}', { who })}
              >
                {t('Delete')}
              </button>
            </li>
          );
        })}
      </ul>
    );
  }

  return (
    <>
      <h4 className="subheading">{t('Pending invitations')}</h4>
      {failure && (
        <div className="form-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {body}
    </>
  );
}
