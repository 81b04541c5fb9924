import { describe, expect, it } from 'vitest';
import { insertMention, matchPeople, mentionAt, plainText, splitMentions } from './mentions';

const ada = { id: '10000000-0000-4000-8000-000000000001', name: 'Ada' };
const bob = { id: '10000000-0000-4000-8000-000000000002', name: 'Bob Adams' };

describe('mentions', () => {
  it('cuts a body into text and named mentions, an unknown id marked as such', () => {
    const unknown = '10000000-0000-4000-8000-00000000000f';
    expect(splitMentions(`hi <@${ada.id}>, see <@${unknown}>`, [ada])).toEqual([
      { text: 'hi ' },
      { id: ada.id, mention: ada },
      { text: ', see ' },
      { id: unknown, mention: null },
    ]);
  });

  it('leaves anything that is not a canonical token as text', () => {
    const eve = { id: 'abcdef00-0000-4000-8000-00000000000e', name: 'Eve' };
    const upper = `<@${eve.id.toUpperCase()}>`;
    expect(splitMentions(`${upper} <@eve> <@${eve.id}`, [eve])).toEqual([{ text: `${upper} <@eve> <@${eve.id}` }]);
  });

  it('writes mentions as @Name in plain text', () => {
    expect(plainText(`<@${ada.id}> and <@${bob.id}>`, [ada, bob], 'someone')).toBe('@Ada and @Bob Adams');
  });

  it('finds the mention typed before the caret, only after white space or at the start', () => {
    expect(mentionAt('@Ad', 3)).toEqual({ text: 'Ad', start: 0 });
    expect(mentionAt('ping @b now', 7)).toEqual({ text: 'b', start: 5 });
    expect(mentionAt('mail a@b', 8)).toBeNull();
    expect(mentionAt('@Ada done', 9)).toBeNull();
  });

  it('inserts the token and a space in place of what was typed, caret after it', () => {
    const body = 'hey @bo, look';
    expect(insertMention(body, { text: 'bo', start: 4 }, 7, bob)).toEqual({
      body: `hey <@${bob.id}> , look`,
      caret: 4 + bob.id.length + 4,
    });
  });

  it('matches names containing the text, those starting with it first, accents ignored', () => {
    const eloise = { id: '3', name: 'Éloïse' };
    expect(matchPeople([bob, ada, eloise], 'ad').map((person) => person.name)).toEqual(['Ada', 'Bob Adams']);
    expect(matchPeople([bob, ada, eloise], 'elo')).toEqual([eloise]);
  });
});
