import { localeFromAcceptLanguage } from './user-preferences';

describe(localeFromAcceptLanguage.name, () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['de-DE, es', 'en'],
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['de, fr;q=0.5, en;q=0.4', 'fr'],
    ['en;q=0.3, fr;q=0.8', 'fr'],
    ['EN-gb, fr', 'en'],
    ['fr;q=0, en;q=0.1', 'en'],
    ['*, fr;q=0.2', 'fr'],
  ])('reads %p as %p', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});
