import { setCredentials } from '../../lib/api-client';
import { currentPath, currentSearch, navigateTo } from '../../lib/navigation';
import { currentLanguage, setLanguage } from '../../i18n/i18n';
import { getAuthStatus, getMe, refreshAccessToken, signOut as requestSignOut, updateMe } from './auth.api';
import type { AuthStatus, Session, User } from './auth.types';
import { hasSessionHint, setSessionHint } from './session-hint';

export type AuthState =
  | { phase: 'loading' }
  /** The server could not tell whether accounts are on (down, or restarting). */
  | { phase: 'unavailable'; error: unknown }
  /** `AUTH_MODE=off`: no accounts; the app works without signing in. */
  | { phase: 'off' }
  /** No user exists yet: the first admin sets the workspace up. */
  | { phase: 'setup'; status: AuthStatus }
  /** `expired`: the person was signed in and the server ended the session (signed out elsewhere, disabled). */
  | { phase: 'signed-out'; status: AuthStatus; expired: boolean }
  | { phase: 'signed-in'; status: AuthStatus; user: User };

// The access token lives in this module's memory only: never in storage a script could read back later.
let accessToken: string | null = null;
let state: AuthState = { phase: 'loading' };
let renewal: Promise<string | null> | null = null;
let started = false;
const listeners = new Set<() => void>();
let prefetchFirstScreen: () => void = () => undefined;

/**
 * What to load for the first screen as soon as requests can be authorised (a token, or accounts off), in parallel
 * with the rest of the start-up rather than after it: installed by main.tsx, which holds the query cache.
 */
export function setFirstScreenPrefetch(prefetch: () => void): void {
  prefetchFirstScreen = prefetch;
}

function setState(next: AuthState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getAuthState(): AuthState {
  return state;
}

/**
 * Runs the refresh under a lock shared by the browser's tabs: two tabs presenting the same cookie at once would
 * look like a stolen cookie to the server, which then ends the session.
 */
function underRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? (locks.request('taskflow-session-refresh', work) as Promise<T>) : work();
}

/** One refresh at a time, shared by every caller that needs a new token while it runs. */
export function renewAccessToken(): Promise<string | null> {
  renewal ??= (async () => {
    try {
      const renewed = await underRefreshLock(refreshAccessToken);
      accessToken = renewed?.access_token ?? null;
      setSessionHint(accessToken !== null);
      return accessToken;
    } finally {
      renewal = null;
    }
  })();
  return renewal;
}

function statusOf(current: AuthState): AuthStatus {
  return 'status' in current ? current.status : { auth_mode: 'required', setup_required: false, registration: 'invite', email: false };
}

/** Where a page that needs a session sends the person, with the address to come back to. */
export function signInUrl(returnTo: string): string {
  return returnTo === '/' || returnTo === '' ? '/signin' : `/signin?next=${encodeURIComponent(returnTo)}`;
}

function sessionLost(): void {
  if (state.phase !== 'signed-in') return;
  accessToken = null;
  setSessionHint(false);
  const here = `${currentPath()}${currentSearch()}`;
  setState({ phase: 'signed-out', status: statusOf(state), expired: true });
  navigateTo(signInUrl(here), { replace: true });
}

setCredentials({ accessToken: () => accessToken, renew: renewAccessToken, sessionLost });

async function boot(): Promise<void> {
  setState({ phase: 'loading' });
  try {
    // Status and refresh at once: the status alone says whether to restore a session, but waiting for it would cost
    // a round trip. A browser that never signed in has no session to restore and skips the refresh.
    const tokenRequest = hasSessionHint() ? renewAccessToken() : Promise.resolve(null);
    // With a token, who it belongs to and the first screen's data are asked for at once, the status perhaps still
    // on its way.
    const meRequest = tokenRequest.then((token) => {
      if (token === null) return null;
      prefetchFirstScreen();
      return getMe();
    });
    meRequest.catch(() => undefined); // Settled below, or moot when the status fails first.
    const [status, token] = await Promise.all([getAuthStatus(), tokenRequest]);
    if (status.auth_mode === 'off') {
      accessToken = null;
      prefetchFirstScreen();
      setState({ phase: 'off' });
    } else if (status.setup_required) {
      setState({ phase: 'setup', status });
    } else if (token === null) {
      setState({ phase: 'signed-out', status, expired: false });
    } else {
      const user = await meRequest;
      if (user) {
        adoptLocale(user);
        setState({ phase: 'signed-in', status, user });
      }
    }
  } catch (error) {
    setState({ phase: 'unavailable', error });
  }
}

/** Finds out, once per page load, whether accounts are on and whether a session can be restored. */
export function startAuth(): void {
  if (started) return;
  started = true;
  void boot();
}

export function retryAuth(): void {
  started = true;
  void boot();
}

/** The interface speaks the language the person chose for their account (the one their emails are written in). */
function adoptLocale(user: User): void {
  if (user.locale !== currentLanguage()) setLanguage(user.locale);
}

/**
 * A session the server just opened. `language`: `adopt` (sign-in) switches the interface to the account's language;
 * `keep` (set-up, registration, where the server guessed it from Accept-Language) stores the interface's language
 * in the new account instead, so that emails come in the language the person is reading now.
 */
export function acceptSession(session: Session, { language = 'adopt' }: { language?: 'adopt' | 'keep' } = {}): void {
  accessToken = session.access_token;
  setSessionHint(true);
  const status = { ...statusOf(state), setup_required: false };
  if (language === 'adopt') adoptLocale(session.user);
  setState({ phase: 'signed-in', status, user: session.user });
  const shown = currentLanguage();
  if (language === 'keep' && session.user.locale !== shown) {
    // Best effort: the account works either way, and the header's language switch stores it again when used.
    updateMe({ locale: shown }).then(updateCurrentUser, () => undefined);
  }
}

/** The signed-in person's own record changed (their name, email, or role as an admin set it). */
export function updateCurrentUser(user: User): void {
  if (state.phase === 'signed-in' && state.user.id === user.id) setState({ ...state, user });
}

/** Ends the session on the server and shows the sign-in page; the person stays signed in when the server cannot be reached. */
export async function signOut(): Promise<void> {
  await requestSignOut(accessToken);
  accessToken = null;
  setSessionHint(false);
  setState({ phase: 'signed-out', status: statusOf(state), expired: false });
  navigateTo('/signin');
}

/** For tests: forget everything, as a new page load would. */
export function resetAuthSession(): void {
  accessToken = null;
  renewal = null;
  started = false;
  state = { phase: 'loading' };
  prefetchFirstScreen = () => undefined;
}
