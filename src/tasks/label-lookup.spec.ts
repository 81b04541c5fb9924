import { DataSource } from 'typeorm';
import { LabelLookup, LABELS_FRESH_MS } from './label-lookup';

describe(LabelLookup.name, () => {
  let rows: Array<{ id: string; name: string; color: string }>;
  let reads: number;
  const dataSource = { query: async () => { reads++; return rows.map((row) => ({ ...row })); } } as unknown as DataSource;

  beforeEach(() => {
    rows = [{ id: 'b', name: 'beta', color: '#000000' }, { id: 'a', name: 'alpha', color: '#ffffff' }];
    reads = 0;
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => jest.useRealTimers());

  it('answers from one read for LABELS_FRESH_MS, ordered by name', async () => {
    const lookup = new LabelLookup(dataSource);
    expect(await lookup.find(['b', 'a'])).toEqual([rows[1], rows[0]]);
    expect(await lookup.find(['a'])).toEqual([rows[1]]);
    expect(reads).toBe(1);
    rows[0].name = 'renamed';
    jest.setSystemTime(LABELS_FRESH_MS);
    expect((await lookup.find(['b']))?.[0].name).toBe('renamed');
    expect(reads).toBe(2);
  });

  it('reads again before refusing an id it does not know, and refuses it if still unknown', async () => {
    const lookup = new LabelLookup(dataSource);
    await lookup.find(['a']);
    rows.push({ id: 'c', name: 'gamma', color: '#111111' });
    expect(await lookup.find(['c'])).toEqual([rows[2]]);
    expect(await lookup.find(['nope'])).toBeUndefined();
    expect(reads).toBe(3);
  });

  it('reads again after forget(), and never hands out its own copies', async () => {
    const lookup = new LabelLookup(dataSource);
    const [first] = (await lookup.find(['a']))!;
    first.name = 'changed by a caller';
    expect((await lookup.find(['a']))![0].name).toBe('alpha');
    lookup.forget();
    rows = rows.filter((row) => row.id !== 'a');
    expect(await lookup.find(['a'])).toBeUndefined();
  });
});
