import { unstorableTextMessages, unstorableTextReason } from './storable-text';

describe('unstorableTextReason', () => {
  it.each([['plain'], [''], ['emoji 🚀'], ['\ud83d\ude80']])('accepts %p', (text) => {
    expect(unstorableTextReason(text)).toBeUndefined();
  });

  it.each([
    ['\u0000', 'must not contain NUL (\\u0000) characters'],
    ['a\u0000', 'must not contain NUL (\\u0000) characters'],
    ['\ud800x', 'must not contain unpaired UTF-16 surrogates'],
    ['x\udfff', 'must not contain unpaired UTF-16 surrogates'],
    ['\ude80\ud83d', 'must not contain unpaired UTF-16 surrogates'],
  ])('refuses %p', (text, reason) => {
    expect(unstorableTextReason(text)).toBe(reason);
  });
});

describe('unstorableTextMessages', () => {
  it('names every unstorable string by its path, in document order', () => {
    const body = { title: 'ok', description: 'a\u0000', labels: ['x', '\ud800'], nested: { deep: { value: '\u0000' } }, count: 3 };
    expect(unstorableTextMessages(body)).toEqual([
      'description must not contain NUL (\\u0000) characters',
      'labels.1 must not contain unpaired UTF-16 surrogates',
      'nested.deep.value must not contain NUL (\\u0000) characters',
    ]);
  });

  it('names a lone value by the name given', () => {
    expect(unstorableTextMessages('a\u0000', 'q')).toEqual(['q must not contain NUL (\\u0000) characters']);
    expect(unstorableTextMessages(['fine', null, 1])).toEqual([]);
  });
});
