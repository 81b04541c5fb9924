/** The link a new member opens to register: the app's own origin, where the code was created. */
export function invitationLink(code: string, origin: string = window.location.origin): string {
  return `${origin}/register?invitation=${encodeURIComponent(code)}`;
}
