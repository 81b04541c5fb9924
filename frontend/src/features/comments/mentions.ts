import type { Person } from './comment.types';

/** `<@USER_ID>`: a user id in its canonical lower-case form, as the server recognises it (docs/API.md, Comments). */
const mentionToken = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/g;

export type BodyPart = { text: string } | { mention: Person | null; id: string };

/** A comment's body cut into text and mentions, each mention with the person's name when it is known. */
export function splitMentions(body: string, people: readonly Person[]): BodyPart[] {
  const byId = new Map(people.map((person) => [person.id, person]));
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(mentionToken)) {
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    parts.push({ id: match[1], mention: byId.get(match[1]) ?? null });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

/** The body as plain text, each mention written "@Name": for a one-line excerpt. */
export function plainText(body: string, people: readonly Person[], unknown: string): string {
  return splitMentions(body, people)
    .map((part) => ('text' in part ? part.text : `@${part.mention?.name ?? unknown}`))
    .join('');
}

export interface MentionQuery {
  /** What follows the @ so far. */
  text: string;
  /** Where the @ is in the body. */
  start: number;
}

/** The mention being typed just before the caret ("… @Ad|"), or null: an @ at the start or after white space. */
export function mentionAt(body: string, caret: number): MentionQuery | null {
  const match = /(^|\s)@([^\s@<>]{0,40})$/.exec(body.slice(0, caret));
  if (!match) return null;
  return { text: match[2], start: caret - match[2].length - 1 };
}

/** Replaces the mention being typed with the person's token and a space; returns the new body and caret. */
export function insertMention(body: string, query: MentionQuery, caret: number, person: Person): { body: string; caret: number } {
  const token = `<@${person.id}> `;
  return { body: body.slice(0, query.start) + token + body.slice(caret), caret: query.start + token.length };
}

/** Members whose name contains the text typed (case and accents ignored), those starting with it first. */
export function matchPeople<T extends Person>(people: readonly T[], text: string, max = 6): T[] {
  const fold = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const wanted = fold(text);
  const scored = people
    .map((person) => ({ person, at: fold(person.name).indexOf(wanted) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => Number(a.at !== 0) - Number(b.at !== 0) || a.person.name.localeCompare(b.person.name));
  return scored.slice(0, max).map(({ person }) => person);
}
