import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import fr from './fr.json';

const srcDir = join(import.meta.dirname, '..');

/** The app's own source files: not tests, not test helpers, not the generated API types. */
function sourceFiles(dir = srcDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

// Attributes a person reads or hears; their text must come from a catalog.
const spokenAttributes = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'hint', 'submitLabel', 'busyLabel', 'what']);
// Text that is the same in every language: the product's name.
const untranslatable = new Set(['TaskFlow']);

interface Scan {
  /** Keys passed to t(), i18n.t() and <Trans i18nKey>, with whether a count picks a plural form. */
  keys: Map<string, { plural: boolean }>;
  /** Literal text shown without a catalog: "file: text". */
  literals: string[];
}

function scan(): Scan {
  const keys: Scan['keys'] = new Map();
  const literals: string[] = [];
  const hasCount = (node: ts.Node | undefined) =>
    node !== undefined &&
    ts.isObjectLiteralExpression(node) &&
    node.properties.some((property) => property.name?.getText() === 'count');
  for (const file of sourceFiles()) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const where = relative(srcDir, file);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        const [first, options] = node.arguments;
        if (name === 't' && first && ts.isStringLiteralLike(first)) {
          keys.set(first.text, { plural: hasCount(options) || (keys.get(first.text)?.plural ?? false) });
        }
      }
      if (ts.isJsxAttribute(node)) {
        const name = node.name.getText();
        const value = node.initializer;
        if (name === 'i18nKey' && value) {
          const element = node.parent.parent;
          const plural = element.attributes.properties.some((attribute) => attribute.name?.getText() === 'count');
          const texts = ts.isStringLiteral(value) ? [value] : collectStrings(value);
          for (const text of texts) keys.set(text.text, { plural: plural || (keys.get(text.text)?.plural ?? false) });
        } else if (spokenAttributes.has(name) && value && ts.isStringLiteral(value) && /[A-Za-z]/.test(value.text) && !untranslatable.has(value.text)) {
          literals.push(`${where}: ${name}="${value.text}"`);
        }
      }
      if (ts.isJsxText(node)) {
        const text = node.text.trim();
        if (/[A-Za-z]/.test(text) && !untranslatable.has(text)) literals.push(`${where}: ${text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { keys, literals };
}

/** The string literals inside an expression (the branches of `cond ? 'a' : 'b'`). */
function collectStrings(node: ts.Node): ts.StringLiteralLike[] {
  if (ts.isStringLiteralLike(node)) return [node];
  const found: ts.StringLiteralLike[] = [];
  ts.forEachChild(node, (child) => void found.push(...collectStrings(child)));
  return found;
}

/** The catalog entries a key needs: itself, or its plural forms. */
function entriesFor(key: string, plural: boolean, forms: string[]): string[] {
  return plural ? forms.map((form) => `${key}_${form}`) : [key];
}

const { keys, literals } = scan();

describe('translations', () => {
  it('finds the strings it checks (the scan itself works)', () => {
    expect(keys.size).toBeGreaterThan(200);
    expect(keys.has('Skip to content')).toBe(true);
  });

  it('shows no literal text outside the catalogs', () => {
    expect(literals).toEqual([]);
  });

  it('has a French translation for every string of the interface', () => {
    const missing = [...keys].flatMap(([key, { plural }]) =>
      entriesFor(key, plural, ['one', 'other']).filter((entry) => !(entry in fr)),
    );
    expect(missing).toEqual([]);
  });

  it('has the English plural forms', () => {
    const missing = [...keys]
      .filter(([, { plural }]) => plural)
      .flatMap(([key]) => entriesFor(key, true, ['one', 'other']).filter((entry) => !(entry in en)));
    expect(missing).toEqual([]);
  });

  it('keeps no entry that the interface no longer uses', () => {
    const used = new Set([...keys].flatMap(([key, { plural }]) => entriesFor(key, plural, ['one', 'other'])));
    expect(Object.keys(fr).filter((entry) => !used.has(entry))).toEqual([]);
    expect(Object.keys(en).filter((entry) => !used.has(entry))).toEqual([]);
  });

  it('keeps every placeholder and tag of the English text in the French one', () => {
    const marks = (text: string) => [...text.matchAll(/\{\{\w+\}\}|<\/?\w+\/?>/g)].map(([mark]) => mark).sort();
    const english = (entry: string) => (en as Record<string, string>)[entry] ?? entry.replace(/_(one|other)$/, '');
    const differing = Object.entries(fr as Record<string, string>)
      .filter(([entry, text]) => {
        // French singular may leave the count out ("Une tâche"), as English may.
        const expected = marks(english(entry)).filter((mark) => !(entry.endsWith('_one') && mark === '{{count}}'));
        return JSON.stringify(marks(text).filter((mark) => !(entry.endsWith('_one') && mark === '{{count}}'))) !== JSON.stringify(expected);
      })
      .map(([entry]) => entry);
    expect(differing).toEqual([]);
  });
});
