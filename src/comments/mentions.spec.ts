import { mentionedIds } from './mentions';

describe(mentionedIds.name, () => {
  const a = '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b';
  const b = '11111111-2222-4333-8444-555555555555';

  it('finds each mentioned id once, in order of first appearance', () => {
    expect(mentionedIds(`<@${b}> and <@${a}>, again <@${b}>`)).toEqual([b, a]);
  });

  it.each([
    ['an upper-case id', `<@${a.toUpperCase()}>`],
    ['a missing bracket', `<@${a}`],
    ['a space inside', `<@ ${a}>`],
    ['an id without dashes', `<@${a.replace(/-/g, '')}>`],
    ['a plain @ name', '@alice'],
  ])('treats %s as plain text', (_, body) => {
    expect(mentionedIds(body)).toEqual([]);
  });
});
