import { ifMatchAllows, taskEtag } from './task-etag';

const version = { updatedAt: new Date('2026-11-22T09:15:00.000Z') };
// 1795338900000 ms in base 36, quoted as a strong entity tag.
const current = '"mwrmfd40"';

describe(taskEtag.name, () => {
  it('is the quoted base-36 update time in milliseconds', () => {
    expect(version.updatedAt.getTime()).toBe(1795338900000);
    expect(taskEtag(version)).toBe(current);
  });

  it('changes when updated_at moves by one millisecond', () => {
    const next = { updatedAt: new Date(version.updatedAt.getTime() + 1) };
    expect(taskEtag(next)).not.toBe(taskEtag(version));
  });
});

describe(ifMatchAllows.name, () => {
  it('allows a request without If-Match, so the last write wins', () => {
    expect(ifMatchAllows(undefined, version)).toBe(true);
  });

  it('allows * for any existing version', () => {
    expect(ifMatchAllows('*', version)).toBe(true);
  });

  it('allows the exact current tag', () => {
    expect(ifMatchAllows(current, version)).toBe(true);
  });

  it('allows a list holding the current tag, whatever the spaces around the commas', () => {
    expect(ifMatchAllows(`"old1",${current}`, version)).toBe(true);
    expect(ifMatchAllows(`"old1" ,  ${current} , "old2"`, version)).toBe(true);
  });

  it('allows a weak form of the current tag', () => {
    expect(ifMatchAllows(`W/${current}`, version)).toBe(true);
  });

  it('refuses a stale tag', () => {
    const stale = taskEtag({ updatedAt: new Date(version.updatedAt.getTime() - 1) });
    expect(ifMatchAllows(stale, version)).toBe(false);
  });

  it('refuses a list of stale tags', () => {
    expect(ifMatchAllows('"a", "b", W/"c"', version)).toBe(false);
  });

  it('refuses the tag without its quotes', () => {
    expect(ifMatchAllows(current.slice(1, -1), version)).toBe(false);
  });

  it('refuses an empty header', () => {
    expect(ifMatchAllows('', version)).toBe(false);
  });
});
