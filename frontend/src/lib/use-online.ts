import { useSyncExternalStore } from 'react';
import i18n from '../i18n/i18n';
import { ApiError } from './api-client';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** Whether the browser believes it has a network connection (false is certain; true may still meet a failed fetch). */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine, () => true);
}

/** Whether a failed request failed because the browser is offline, as opposed to the server being unreachable. */
export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** Why a request failed, as a person reads it: "you are offline" when the browser knows, else the error's message. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError && error.status === 0 && isOffline()) return i18n.t('you are offline');
  return error instanceof Error ? error.message : String(error);
}
