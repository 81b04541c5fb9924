/** A reset link as the server gives it (absolute with APP_URL, else a path), made absolute on the app's own origin. */
export function resetLink(url: string, origin: string = window.location.origin): string {
  return new URL(url, origin).toString();
}
