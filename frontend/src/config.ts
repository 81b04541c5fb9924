const configured: string = import.meta.env.VITE_API_URL || '/api';

/**
 * The API base URL: `/api` on the app's own origin, which the static host rewrites to the backend (and the dev server
 * proxies), so that the session cookie is first-party. VITE_API_URL, read at build time, overrides it; another origin
 * gets no session cookie, so an override elsewhere only suits a backend with accounts off.
 * A relative value is resolved against the page so that `new Request()` gets an absolute URL in every environment.
 */
export const apiBaseUrl: string = new URL(configured.replace(/\/+$/, ''), window.location.origin).href.replace(
  /\/+$/,
  '',
);
