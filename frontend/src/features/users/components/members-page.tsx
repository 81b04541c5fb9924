import { useEffect, useId, useRef, useState } from 'react';
import { QueryError } from '../../../components/query-error';
import type { User, UserRole } from '../../auth/auth.types';
import { updateCurrentUser } from '../../auth/auth-session';
import { useAuth } from '../../auth/use-auth';
import { formatDateTime } from '../../tasks/task.types';
import { roleLabel } from '../user.types';
import type { IssuedPasswordReset } from '../user.types';
import { useIssuePasswordReset, useUpdateUser, useUsers } from '../use-users';
import { ResetLinkNotice } from './reset-link-notice';
import { InvitationsSection } from './invitations-section';
import { useTranslation } from 'react-i18next';

/** The team: everyone sees who is in it; admins invite, change roles, and disable or enable accounts. */
export function MembersPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const users = useUsers();
  // The list is fresher than the session's copy: an admin may have changed this person's role or name meanwhile.
  const me = users.data?.find((candidate) => candidate.id === user.id) ?? user;
  const isAdmin = me.role === 'admin';
  const auth = useAuth();
  const emailOn = auth.phase === 'signed-in' && auth.status.email;

  useEffect(() => {
    if (me !== user && (me.role !== user.role || me.name !== user.name || me.email !== user.email)) updateCurrentUser(me);
  }, [me, user]);

  let body;
  if (users.isPending) {
    body = (
      <p className="state" role="status">
        {t('Loading members…')}
      </p>
    );
  } else if (users.isError) {
    body = <QueryError error={users.error} what={t('the members')} onRetry={() => void users.refetch()} />;
  } else {
    const sorted = [...users.data].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.name.localeCompare(b.name));
    body = <MembersList users={sorted} me={me} isAdmin={isAdmin} />;
  }

  return (
    <div className="page">
      <div className="page-header">
        <h2>{t('Members')}</h2>
        <p className="muted">
          {isAdmin
            ? t('Everyone who can sign in to this TaskFlow. As an admin you invite people, change roles and disable accounts.')
            : t('Everyone who can sign in to this TaskFlow. Admins manage the members.')}
        </p>
      </div>
      {isAdmin && <InvitationsSection emailOn={emailOn} />}
      <section className="panel" aria-labelledby="members-heading">
        <h3 id="members-heading">{t('Team')}</h3>
        {body}
      </section>
    </div>
  );
}

interface MembersListProps {
  users: User[];
  me: User;
  isAdmin: boolean;
}

function MembersList({ users, me, isAdmin }: MembersListProps) {
  const { t } = useTranslation();
  const updateUser = useUpdateUser();
  const issueReset = useIssuePasswordReset();
  const [failure, setFailure] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ member: User; reset: IssuedPasswordReset } | null>(null);
  const list = useRef<HTMLUListElement>(null);

  // Back to the button that made the link, so that the keyboard goes on from where it was.
  function closeResetLink(member: User) {
    setIssued(null);
    list.current?.querySelector<HTMLButtonElement>(`[data-user-id="${member.id}"] .reset-link-button`)?.focus();
  }

  function createResetLink(member: User) {
    setFailure(null);
    setIssued(null);
    issueReset.mutate(member.id, {
      onSuccess: (reset) => setIssued({ member, reset }),
      onError: (error) =>
        setFailure(t('Could not create a reset link for {{name}}: {{reason}}', { name: member.name, reason: error.message })),
    });
  }

  function change(member: User, changes: { role?: UserRole; disabled?: boolean }) {
    setFailure(null);
    updateUser.mutate(
      { id: member.id, changes },
      {
        onError: (error) => {
          const values = { name: member.name, reason: error.message };
          setFailure(
            changes.role
              ? t('Could not change the role of {{name}}: {{reason}}', values)
              : changes.disabled
                ? t('Could not disable {{name}}: {{reason}}', values)
                : t('Could not enable {{name}}: {{reason}}', values),
          );
        },
      },
    );
  }

  return (
    <>
      {failure && (
        <div className="notice notice-error" role="alert">
          <span>{failure}</span>
          <button type="button" className="button-ghost" onClick={() => setFailure(null)} aria-label={t('Dismiss')}>
            ×
          </button>
        </div>
      )}
      {issued && <ResetLinkNotice member={issued.member} reset={issued.reset} onDone={() => closeResetLink(issued.member)} />}
      <ul className="item-list" aria-label={t('Members')} ref={list}>
        {users.map((member) => (
          <MemberItem
            key={member.id}
            member={member}
            isMe={member.id === me.id}
            isAdmin={isAdmin}
            onChange={change}
            onCreateResetLink={createResetLink}
          />
        ))}
      </ul>
    </>
  );
}

interface MemberItemProps {
  member: User;
  isMe: boolean;
  isAdmin: boolean;
  onChange: (member: User, changes: { role?: UserRole; disabled?: boolean }) => void;
  onCreateResetLink: (member: User) => void;
}

function MemberItem({ member, isMe, isAdmin, onChange, onCreateResetLink }: MemberItemProps) {
  const { t } = useTranslation();
  const roleId = useId();
  return (
    <li className={`item${member.disabled ? ' item-disabled' : ''}`} data-user-id={member.id}>
      <div className="item-main">
        <p className="item-title">
          {member.name}
          {isMe && <span className="muted"> {t('(you)')}</span>}{' '}
          {!isAdmin && <span className={`badge badge-role-${member.role}`}>{roleLabel(member.role)}</span>}{' '}
          {member.disabled && <span className="badge badge-disabled">{t('Disabled')}</span>}
        </p>
        <p className="item-meta muted">
          <span className="item-email">{member.email}</span> ·{' '}
          {t('joined {{when}}', { when: formatDateTime(member.created_at) })}
        </p>
      </div>
      {isAdmin && (
        <div className="item-actions">
          <label className="visually-hidden" htmlFor={roleId}>
            {t('Role of {{name}}', { name: member.name })}
          </label>
          <select
            id={roleId}
            className="select-inline"
            value={member.role}
            onChange={(event) => onChange(member, { role: event.target.value as UserRole })}
          >
            <option value="member">{roleLabel('member')}</option>
            <option value="admin">{roleLabel('admin')}</option>
          </select>
          {/* A disabled account cannot sign in with a new password either: enable it first. */}
          {!member.disabled && (
            <button
              type="button"
              className="reset-link-button"
              onClick={() => onCreateResetLink(member)}
              aria-label={t('Create reset link for {{name}}', { name: member.name })}
            >
              {t('Create reset link')}
            </button>
          )}
          {/* Disabling oneself would lock the admin out mid-click; another admin can do it. */}
          {!isMe && (
            <button
              type="button"
              className={member.disabled ? undefined : 'button-danger'}
              onClick={() => onChange(member, { disabled: !member.disabled })}
              aria-label={
                member.disabled ? t('Enable {{name}}', { name: member.name }) : t('Disable {{name}}', { name: member.name })
              }
            >
              {member.disabled ? t('Enable') : t('Disable')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
