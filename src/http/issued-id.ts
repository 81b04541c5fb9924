// Ids are opaque to clients, but only this shape was ever issued (randomUUID): anything else is a 404
// without a query.
const ISSUED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isIssuedId(id: string): boolean {
  return ISSUED_ID.test(id);
}
