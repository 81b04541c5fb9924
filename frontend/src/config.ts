const configured: string = import.meta.env.VITE_API_URL || '/api';

/**
 * The API base URL, fixed at build time by VITE_API_URL (default `/api`, which the dev server proxies).
 * A relative value is resolved against the page so that `new Request()` gets an absolute URL in every environment.
 */
export const apiBaseUrl: string = new URL(configured.replace(/\/+$/, ''), window.location.origin).href.replace(
  /\/+$/,
  '',
);
