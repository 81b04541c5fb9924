import type { User } from '../auth.types';
import { roleLabel } from '../../users/user.types';
import { ApiTokensSection } from './api-tokens-section';
import { NotificationEmailsSection } from './notification-emails-section';
import { ProfileForm } from './profile-form';
import { useAuth } from '../use-auth';
import { SessionsSection } from './sessions-section';
import { useTranslation } from 'react-i18next';

/** The signed-in person's own settings: profile, notification emails, sessions and API tokens. */
export function AccountPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const auth = useAuth();
  const emailOn = auth.phase === 'signed-in' && auth.status.email;
  return (
    <div className="page">
      <div className="page-header">
        <h2>{t('Your account')}</h2>
        <p className="muted">
          {user.email} · {roleLabel(user.role)}
        </p>
      </div>
      <section className="panel" aria-labelledby="profile-heading">
        <h3 id="profile-heading">{t('Profile')}</h3>
        <ProfileForm key={user.id} user={user} />
      </section>
      <NotificationEmailsSection key={user.id} user={user} emailOn={emailOn} />
      <SessionsSection />
      <ApiTokensSection />
    </div>
  );
}
