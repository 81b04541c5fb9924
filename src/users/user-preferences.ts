/** The languages emails (and the web app) are written in. */
export enum Locale {
  En = 'en',
  Fr = 'fr',
}

/** How a user hears about their notifications by email. */
export enum EmailNotifications {
  Off = 'off',
  Instant = 'instant',
  Daily = 'daily',
}

const LOCALES = new Set<string>(Object.values(Locale));

/**
 * The first of our languages in an `Accept-Language` header, by q-value then order, matched by primary
 * subtag (`fr-CA` is French); English when none is there.
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  const ranges = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [range, ...parameters] = part.trim().split(';');
      const q = parameters.map((parameter) => /^\s*q=([0-9.]+)\s*$/i.exec(parameter)?.[1]).find(Boolean);
      return { language: range.trim().split('-')[0].toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => range.q > 0 && LOCALES.has(range.language))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranges[0]?.language as Locale | undefined) ?? Locale.En;
}
