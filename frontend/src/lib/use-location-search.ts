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

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (for changes made while typing). */
  replace?: boolean;
}

/** The page's query string as state: the URL is where views, filters, sort and page live. */
export function useLocationSearch(): [string, (search: string, options?: NavigateOptions) => void] {
  const search = useSyncExternalStore(subscribe, getSearch, getSearch);
  const navigate = useCallback((next: string, options: NavigateOptions = {}) => {
    const normalized = next === '' || next === '?' ? '' : next.startsWith('?') ? next : `?${next}`;
    if (normalized === window.location.search) return;
    const url = `${window.location.pathname}${normalized}${window.location.hash}`;
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    window.dispatchEvent(new Event(changeEvent));
  }, []);
  return [search, navigate];
}
