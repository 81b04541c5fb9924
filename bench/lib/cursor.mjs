// The keyset cursor of `GET /tasks?cursor=...`, as the API encodes it (src/tasks/tasks.query.ts): base64url of the
// JSON array [sort, order, sort value of the last task, id of the last task]. Clients treat it as opaque; the
// benchmark builds cursors for random positions itself, and the baselines read them, so that every server pages
// the same way. A change of the API's format shows up here as 422s in the list-cursor scenario.
export function encodeCursor(sort, order, value, id) {
  return Buffer.from(JSON.stringify([sort, order, value, id])).toString('base64url');
}

/** [sort, order, value, id], or null when the text is not a cursor. */
export function decodeCursor(text) {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(parsed) && parsed.length === 4 && typeof parsed[3] === 'string' ? parsed : null;
  } catch {
    return null;
  }
}
