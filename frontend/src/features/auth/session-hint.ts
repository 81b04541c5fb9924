/**
 * Whether this browser holds a session cookie, as far as the app can tell: the cookie itself is HttpOnly, out of a
 * script's reach. Without the hint a first load skips POST /auth/refresh, whose 401 (no session) or 404 (accounts
 * off) the browser would log as an error on every signed-out load. Cleared whenever the server says the session is
 * over; set by every sign-in.
 */
const storageKey = 'taskflow.session';

export function hasSessionHint(): boolean {
  try {
    return localStorage.getItem(storageKey) === '1';
  } catch {
    // Storage refused (a privacy mode): ask the server, as before.
    return true;
  }
}

export function setSessionHint(present: boolean): void {
  try {
    if (present) localStorage.setItem(storageKey, '1');
    else localStorage.removeItem(storageKey);
  } catch {
    // Storage refused: the next load asks the server.
  }
}
