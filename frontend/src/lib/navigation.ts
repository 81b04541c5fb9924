import { useRouterState, type RouterHistory } from '@tanstack/react-router';
import { useCallback } from 'react';

// The router's history, for code outside components (the session ending, a sign-in finishing) to navigate with.
let routerHistory: RouterHistory | null = null;

export function setNavigationHistory(history: RouterHistory | null): void {
  routerHistory = history;
}

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (for changes made while typing). */
  replace?: boolean;
}

/** Where the app is now, as the router's history has it (the page's address before the router exists). */
function here(): { pathname: string; search: string; hash: string } {
  return routerHistory?.location ?? window.location;
}

/** The current query string (`?a=b` or empty), read when needed rather than from a render's closure. */
export function currentSearch(): string {
  return here().search;
}

/** The current path (`/projects/WEB`), as the router's history has it. */
export function currentPath(): string {
  return here().pathname;
}

/** Goes to another page of the app (a path, with its query string) through the router, without reloading. */
export function navigateTo(url: string, options: NavigateOptions = {}): void {
  const { pathname, search, hash } = here();
  const current = `${pathname}${search}${hash}`;
  if (url === current) return;
  // No router yet (nothing rendered): a plain page load gets there too.
  if (!routerHistory) window.location.assign(url);
  else if (options.replace) routerHistory.replace(url);
  else routerHistory.push(url);
}

/** The page's path, as the router sees it. */
export function useLocationPath(): string {
  return useRouterState({ select: (state) => state.location.pathname });
}

/** The page's query string as state: the URL is where views, filters, sort and page live. */
export function useLocationSearch(): [string, (search: string, options?: NavigateOptions) => void] {
  const search = useRouterState({ select: (state) => state.location.searchStr });
  const navigate = useCallback((next: string, options: NavigateOptions = {}) => {
    const normalized = next === '' || next === '?' ? '' : next.startsWith('?') ? next : `?${next}`;
    const { pathname, search, hash } = here();
    if (normalized === search) return;
    navigateTo(`${pathname}${normalized}${hash}`, options);
  }, []);
  return [search, navigate];
}
