import { useState } from 'react';
import { QueryError } from '../../../components/query-error';
import { formatDateTime } from '../../tasks/task.types';
import { signOut } from '../auth-session';
import type { SessionInfo } from '../auth.types';
import { useEndSession, useSessions } from '../use-account';
import { describeUserAgent } from '../user-agent';
import { useTranslation } from 'react-i18next';

/** Where the person is signed in, with a way to end any of those sessions. */
export function SessionsSection() {
  const { t } = useTranslation();
  const sessions = useSessions();
  const endSession = useEndSession();
  const [failure, setFailure] = useState<string | null>(null);

  async function end(session: SessionInfo) {
    setFailure(null);
    try {
      // Ending this device's session is signing out, which also clears the cookie.
      if (session.current) await signOut();
      else await endSession.mutateAsync(session.id);
    } catch (error) {
      setFailure(
        t('Could not sign out that session: {{reason}}', { reason: error instanceof Error ? error.message : String(error) }),
      );
    }
  }

  let body;
  if (sessions.isPending) {
    body = (
      <p className="state" role="status">
        {t('Loading sessions…')}
      </p>
    );
  } else if (sessions.isError) {
    body = <QueryError error={sessions.error} what={t('your sessions')} onRetry={() => void sessions.refetch()} />;
  } else {
    const list = [...sessions.data].sort((a, b) => Number(b.current) - Number(a.current));
    body = (
      <ul className="item-list" aria-label={t('Sessions')}>
        {list.map((session) => (
          <li key={session.id} className="item">
            <div className="item-main">
              <p className="item-title">
                {describeUserAgent(session.user_agent)}{' '}
                {session.current && <span className="badge badge-current">{t('This device')}</span>}
              </p>
              <p className="item-meta muted">
                {t('Signed in {{since}} · last active {{last}}', {
                  since: formatDateTime(session.created_at),
                  last: formatDateTime(session.last_used_at),
                })}
              </p>
            </div>
            <button
              type="button"
              className="button-danger"
              onClick={() => void end(session)}
              aria-label={
                session.current
                  ? t('Sign out on this device')
                  : t('Sign out {{device}}, signed in {{since}}', {
                      device: describeUserAgent(session.user_agent),
                      since: formatDateTime(session.created_at),
                    })
              }
            >
              {t('Sign out')}
            </button>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <section className="panel" aria-labelledby="sessions-heading">
      <h3 id="sessions-heading">{t('Sessions')}</h3>
      <p className="muted">{t('Everywhere you are signed in. Sign out a device you no longer use or do not recognise.')}</p>
      {failure && (
        <div className="form-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {body}
    </section>
  );
}
