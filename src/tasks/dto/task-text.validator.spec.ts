import { validate } from 'class-validator';
import { codePointLength, IsTaskText } from './task-text.validator';

describe(codePointLength.name, () => {
  it.each([
    ['an empty string', '', 0],
    ['ASCII letters', 'abc', 3],
    ['an emoji outside the BMP, which is two UTF-16 units', '😀', 1],
    ['a mix of emoji and letters', 'a😀b🚀', 4],
    ['accented letters in their composed form', 'été', 3],
    // A combining accent is its own code point, as in Python's len().
    ['a letter followed by a combining accent', 'e\u0301', 2],
    ['CJK characters', '任务', 2],
  ])('counts %s', (_, text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });

  it('differs from String.length for emoji', () => {
    const text = '😀'.repeat(10);
    expect(text.length).toBe(20);
    expect(codePointLength(text)).toBe(10);
  });
});

describe(IsTaskText.name, () => {
  class Probe {
    @IsTaskText(200)
    title!: unknown;
  }

  async function constraintsFor(title: unknown) {
    const probe = new Probe();
    probe.title = title;
    const errors = await validate(probe);
    return errors.map((error) => ({ property: error.property, constraints: error.constraints }));
  }

  it('accepts 200 emoji at a maximum of 200, although they are 400 UTF-16 units', async () => {
    await expect(constraintsFor('😀'.repeat(200))).resolves.toEqual([]);
  });

  it('refuses 201 emoji with a message naming the field and the limit', async () => {
    await expect(constraintsFor('😀'.repeat(201))).resolves.toEqual([
      { property: 'title', constraints: { maxCodePoints: 'title must be shorter than or equal to 200 characters' } },
    ]);
  });

  it('accepts exactly 200 ASCII characters and refuses 201', async () => {
    await expect(constraintsFor('a'.repeat(200))).resolves.toEqual([]);
    await expect(constraintsFor('a'.repeat(201))).resolves.toEqual([
      { property: 'title', constraints: { maxCodePoints: 'title must be shorter than or equal to 200 characters' } },
    ]);
  });

  it('refuses a NUL character, which PostgreSQL cannot store', async () => {
    await expect(constraintsFor('before\u0000after')).resolves.toEqual([
      { property: 'title', constraints: { noNulCharacter: 'title must not contain NUL (\\u0000) characters' } },
    ]);
  });

  it('accepts other control characters such as tab and newline', async () => {
    await expect(constraintsFor('line one\n\tline two')).resolves.toEqual([]);
  });

  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['an array of strings', ['a']],
    ['an object', { text: 'a' }],
    ['null', null],
  ])('refuses %s as not a string, without a misleading length message', async (_, value) => {
    await expect(constraintsFor(value)).resolves.toEqual([
      { property: 'title', constraints: { isString: 'title must be a string' } },
    ]);
  });
});
