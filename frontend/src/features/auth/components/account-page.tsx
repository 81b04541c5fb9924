import type { User } from '../auth.types';
import { roleLabel } from '../../users/user.types';
import { ApiTokensSection } from './api-tokens-section';
import { ProfileForm } from './profile-form';
import { SessionsSection } from './sessions-section';
import { useTranslation } from 'react-i18next';

/** The signed-in person's own settings: profile, sessions and API tokens. */
export function AccountPage({ user }: { user: User }) {
  const { t } = useTranslation();
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
      <SessionsSection />
      <ApiTokensSection />
    </div>
  );
}
