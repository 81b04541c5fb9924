import { useEffect, useSyncExternalStore } from 'react';
import { getAuthState, startAuth, subscribeAuth, type AuthState } from './auth-session';

/** Whether accounts are on and who is signed in; the first call starts restoring the session. */
export function useAuth(): AuthState {
  useEffect(() => startAuth(), []);
  return useSyncExternalStore(subscribeAuth, getAuthState, getAuthState);
}

/** The signed-in person, for screens that only exist when someone is signed in. */
export function useCurrentUser() {
  const auth = useAuth();
  return auth.phase === 'signed-in' ? auth.user : null;
}
