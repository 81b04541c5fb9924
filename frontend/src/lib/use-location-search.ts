import { useCallback, useSyncExternalStore } from 'react';

// pushState and replaceState fire no event, so navigate() announces its own changes next to the browser's popstate.
const changeEvent = 'taskflow:locationchange';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

function getSearch(): string {
  return window.location.search;
}

function getPathname(): string {
  return window.location.pathname;
}

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (for changes made while typing). */
  replace?: boolean;
}

/** Goes to another page of the app (a path, with its query string) without reloading. */
export function navigateTo(url: string, options: NavigateOptions = {}): void {
  const current = `${window.location.pathname}${window.location.search}${window.location.hash}`;
  if (url === current) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(changeEvent));
}

/** The page's path, as state: which page of the app is open. */
export function useLocationPath(): string {
  return useSyncExternalStore(subscribe, getPathname, getPathname);
}

/** The page's query string as state: the URL is where views, filters, sort and page live. */
export function useLocationSearch(): [string, (search: string, options?: NavigateOptions) => void] {
  const search = useSyncExternalStore(subscribe, getSearch, getSearch);
  const navigate = useCallback((next: string, options: NavigateOptions = {}) => {
    const normalized = next === '' || next === '?' ? '' : next.startsWith('?') ? next : `?${next}`;
    if (normalized === window.location.search) return;
    navigateTo(`${window.location.pathname}${normalized}${window.location.hash}`, options);
  }, []);
  return [search, navigate];
}
