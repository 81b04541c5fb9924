import type { User } from '../auth.types';
import { roleLabels } from '../../users/user.types';
import { ApiTokensSection } from './api-tokens-section';
import { ProfileForm } from './profile-form';
import { SessionsSection } from './sessions-section';

/** The signed-in person's own settings: profile, sessions and API tokens. */
export function AccountPage({ user }: { user: User }) {
  return (
    <div className="page">
      <div className="page-header">
        <h2>Your account</h2>
        <p className="muted">
          {user.email} · {roleLabels[user.role]}
        </p>
      </div>
      <section className="panel" aria-labelledby="profile-heading">
        <h3 id="profile-heading">Profile</h3>
        <ProfileForm key={user.id} user={user} />
      </section>
      <SessionsSection />
      <ApiTokensSection />
    </div>
  );
}
