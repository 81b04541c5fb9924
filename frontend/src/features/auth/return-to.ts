/**
 * The page to go back to after signing in, from the sign-in page's `next` parameter: only a path of this site, so that
 * a crafted link cannot send the person elsewhere once signed in.
 */
export function returnTo(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/signin') || next.startsWith('/register')) return '/';
  return next;
}
