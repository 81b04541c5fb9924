import { normalizeProjectKey, parseTaskKey, PROJECT_KEY, taskKey } from './project-key';

describe('project and task keys', () => {
  it('accepts a letter followed by 1 to 9 letters or digits', () => {
    for (const key of ['TF', 'WEB', 'A1', 'ABCDEFGHIJ']) expect(PROJECT_KEY.test(key)).toBe(true);
    for (const key of ['T', '1TF', 'ABCDEFGHIJK', 'T-F', 'TÉ', 'tf']) expect(PROJECT_KEY.test(key)).toBe(false);
  });

  it('normalizes keys to trimmed upper case', () => {
    expect(normalizeProjectKey('  web ')).toBe('WEB');
  });

  it('parses task keys in any case', () => {
    expect(parseTaskKey('tf-12')).toEqual({ projectKey: 'TF', number: 12 });
    expect(parseTaskKey('WEB2-1')).toEqual({ projectKey: 'WEB2', number: 1 });
    expect(taskKey('TF', 12)).toBe('TF-12');
  });

  it('refuses what is not a task key', () => {
    for (const text of ['TF-0', 'TF-012', 'TF12', '-12', 'T-1', 'TF-99999999999', '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b', 'TF-1 ']) {
      expect(parseTaskKey(text)).toBeNull();
    }
  });
});
