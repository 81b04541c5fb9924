import { useQueryClient } from '@tanstack/react-query';
import { Outlet } from '@tanstack/react-router';
import { useEffect, useState, type MouseEvent } from 'react';
import { AppLink } from './app-link';
import { QueryError } from './query-error';
import { retryAuth, signInUrl, signOut } from '../features/auth/auth-session';
import type { AuthStatus, User } from '../features/auth/auth.types';
import { AuthCard } from '../features/auth/components/auth-card';
import { ForgotPasswordPage } from '../features/auth/components/forgot-password-page';
import { RegisterPage } from '../features/auth/components/register-page';
import { ResetPasswordPage } from '../features/auth/components/reset-password-page';
import { SetupPage } from '../features/auth/components/setup-page';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { returnTo } from '../features/auth/return-to';
import { useAuth } from '../features/auth/use-auth';
import { ErrorBoundary } from './error-boundary';
import { LiveIndicator } from '../features/tasks/components/live-indicator';
import { defaultView, serializeTaskView, type ViewMode } from '../features/tasks/task-view';
import { useLiveUpdates } from '../features/tasks/use-live-updates';
import { isTasksPath, useTaskView } from '../features/tasks/use-task-view';
import { currentSearch, navigateTo, useLocationPath } from '../lib/navigation';
import { Trans, useTranslation } from 'react-i18next';
import i18n, { setLanguage, type Language } from '../i18n/i18n';
import { useUpdateMe } from '../features/auth/use-account';
import { LanguageSwitch } from './language-switch';
import { ProjectSwitcher } from '../features/projects/components/project-switcher';
import { InboxBell } from '../features/notifications/components/inbox-bell';

const views: { mode: ViewMode; label: () => string }[] = [
  { mode: 'list', label: () => i18n.t('List') },
  { mode: 'board', label: () => i18n.t('Board') },
  { mode: 'stats', label: () => i18n.t('Statistics') },
];

/** Pages a person without a session may open; any other address sends them to sign-in and back afterwards. */
const openPaths = ['/signin', '/register', '/forgot-password', '/reset-password'];

/** The pages of a person without a session, by address; sign-in for any other. */
function SignedOutPage({ path, status, expired }: { path: string; status: AuthStatus; expired: boolean }) {
  switch (path) {
    case '/register':
      return <RegisterPage status={status} />;
    case '/forgot-password':
      return <ForgotPasswordPage status={status} />;
    case '/reset-password':
      return <ResetPasswordPage status={status} />;
    default:
      return <SignInPage status={status} expired={expired} />;
  }
}

/**
 * The root of every route: decides from the session whether the person sees the set-up, sign-in or registration
 * page, or the app with the page the address names.
 */
export function AppLayout() {
  const { t } = useTranslation();
  const auth = useAuth();
  const path = useLocationPath();
  const queryClient = useQueryClient();
  const signedOut = auth.phase === 'signed-out';

  useEffect(() => {
    // What one person loaded is not for whoever signs in next on this screen.
    if (signedOut) queryClient.clear();
  }, [signedOut, queryClient]);

  useEffect(() => {
    if (signedOut && !openPaths.includes(path)) {
      navigateTo(signInUrl(`${path}${currentSearch()}`), { replace: true });
    } else if ((auth.phase === 'signed-in' || auth.phase === 'off') && path === '/signin') {
      navigateTo(returnTo(currentSearch()), { replace: true });
    }
  }, [auth.phase, signedOut, path]);

  switch (auth.phase) {
    case 'loading':
      return (
        <div className="auth-page">
          <p className="state" role="status">
            {t('Loading TaskFlow…')}
          </p>
        </div>
      );
    case 'unavailable':
      return (
        <AuthCard title="TaskFlow">
          <QueryError error={auth.error} what="TaskFlow" onRetry={retryAuth} />
        </AuthCard>
      );
    case 'setup':
      return <SetupPage />;
    case 'signed-out':
      return <SignedOutPage path={path} status={auth.status} expired={auth.expired} />;
    case 'off':
      return <Shell user={null} />;
    case 'signed-in':
      return <Shell user={auth.user} />;
  }
}

/** The app around its pages: the header with the views (and, with accounts on, who is signed in) and the page. */
function Shell({ user }: { user: User | null }) {
  const { t } = useTranslation();
  const path = useLocationPath();
  const [headerError, setHeaderError] = useState<string | null>(null);
  const live = useLiveUpdates({ ticketed: user !== null });
  const updateMe = useUpdateMe();

  // The account's language is the one its emails are written in: switching here changes both.
  function chooseLanguage(language: Language) {
    setLanguage(language);
    if (!user || user.locale === language) return;
    updateMe.mutate(
      { locale: language },
      {
        onError: (error) =>
          setHeaderError(i18n.t('Could not store your language for your emails: {{reason}}', { reason: error.message })),
      },
    );
  }
  const onTasks = isTasksPath(path);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('Skip to content')}
      </a>
      <header className="app-header">
        <div className="app-brand">
          <h1>
            <span aria-hidden="true">✓</span> TaskFlow
          </h1>
          {live.status && <LiveIndicator status={live.status} onRetry={live.retryNow} />}
        </div>
        <ViewLinks onTasks={onTasks} />
        <LanguageSwitch onChange={chooseLanguage} />
        {user && (
          <AccountLinks
            user={user}
            path={path}
            onSignOut={() => {
              setHeaderError(null);
              signOut().catch((error: unknown) =>
                setHeaderError(
                  t('Could not sign out: {{reason}}', { reason: error instanceof Error ? error.message : String(error) }),
                ),
              );
            }}
          />
        )}
      </header>
      <ProjectSwitcher canManage={user === null || user.role === 'admin'} />
      {headerError && (
        <div className="notice notice-error app-notice" role="alert">
          <span>{headerError}</span>
          <button type="button" className="button-ghost" onClick={() => setHeaderError(null)} aria-label={t('Dismiss')}>
            ×
          </button>
        </div>
      )}
      <main id="main" className="app-main" tabIndex={-1}>
        {/* Keyed by the page, so that going to another page leaves a broken one behind. */}
        <ErrorBoundary key={path}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </div>
  );
}

function ViewLinks({ onTasks }: { onTasks: boolean }) {
  const { t } = useTranslation();
  const [state, update] = useTaskView();
  const path = useLocationPath();
  return (
    <nav aria-label={t('Views')}>
      <ul className="view-switch">
        {views.map(({ mode, label }) => {
          // From another page a view opens with its defaults; on the tasks page it keeps the filters.
          const href = onTasks
            ? `${path}${serializeTaskView({ ...state, view: mode })}`
            : `/${serializeTaskView({ ...defaultView, view: mode })}`;
          return (
            <li key={mode}>
              <a
                href={href}
                aria-current={onTasks && state.view === mode ? 'page' : undefined}
                onClick={(event: MouseEvent) => {
                  // Plain links so that a view opens in a new tab too; in this tab, no reload.
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  if (onTasks) update({ view: mode });
                  else navigateTo(href);
                }}
              >
                {label()}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

interface AccountLinksProps {
  user: User;
  path: string;
  onSignOut: () => void;
}

function AccountLinks({ user, path, onSignOut }: AccountLinksProps) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('Account')} className="account-nav">
      <ul className="view-switch">
        <li>
          <InboxBell current={path === '/inbox'} />
        </li>
        <li>
          <AppLink href="/my-tasks" aria-current={path === '/my-tasks' ? 'page' : undefined}>
            {t('My tasks')}
          </AppLink>
        </li>
        <li>
          <AppLink href="/members" aria-current={path === '/members' ? 'page' : undefined}>
            {t('Members')}
          </AppLink>
        </li>
        {user.role === 'admin' && (
          <li>
            <AppLink href="/webhooks" aria-current={path === '/webhooks' ? 'page' : undefined}>
              {t('Webhooks')}
            </AppLink>
          </li>
        )}
        <li>
          <AppLink href="/account" aria-current={path === '/account' ? 'page' : undefined}>
            {t('Account')}
          </AppLink>
        </li>
      </ul>
      <p className="signed-in-as">
        <Trans i18nKey="Signed in as <strong>{{name}}</strong>" values={{ name: user.name }} components={{ strong: <strong /> }} />
      </p>
      <button type="button" className="button-header" onClick={onSignOut}>
        {t('Sign out')}
      </button>
    </nav>
  );
}

/** A page for people without a session, opened while signed in; `advice` says what to do instead. */
export function AlreadySignedIn({ user, advice }: { user: User; advice?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state">
      <p className="state-title">{t('You are signed in as {{name}}.', { name: user.name })}</p>
      <p>{advice ?? t('To create another account with this link, sign out first, then open the link again.')}</p>
      <AppLink href="/">{t('Go to the tasks')}</AppLink>
    </div>
  );
}
