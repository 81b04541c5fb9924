import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDateTime, formatNumber, preferredLanguage } from '../i18n/i18n';
import { makeTask, serveTaskList } from '../test/fake-api';
import { renderApp } from '../test/render-app';

afterEach(() => {
  localStorage.clear();
  vi.restoreAllMocks();
});

describe('LanguageSwitch', () => {
  it('switches the whole interface to French, with French dates, and remembers the choice', async () => {
    serveTaskList([makeTask({ title: 'Write the report', priority: 'high', due_date: '2026-12-01T09:30:00.000Z' })]);
    const { user } = renderApp();
    const list = await screen.findByRole('list', { name: 'Tasks' });
    expect(within(list).getByText('High')).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'fr');

    const liste = await screen.findByRole('list', { name: 'Tâches' });
    expect(within(liste).getByText('Haute')).toBeInTheDocument();
    expect(within(liste).getByText(/déc\. 2026/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '+ Nouvelle tâche' })).toBeInTheDocument();
    expect(screen.getByTestId('count-badge')).toHaveTextContent('1 sur 1 tâche');
    expect(document.documentElement.lang).toBe('fr');
    expect(localStorage.getItem('taskflow.language')).toBe('fr');
  });

  it('formats numbers and dates in the chosen language', async () => {
    const { default: i18n } = await import('../i18n/i18n');
    await i18n.changeLanguage('fr');
    expect(formatNumber(12345)).toBe(new Intl.NumberFormat('fr').format(12345));
    expect(formatDateTime('2026-12-01T09:30:00.000Z')).toMatch(/déc\. 2026/);
    await i18n.changeLanguage('en');
    expect(formatNumber(12345)).toBe('12,345');
  });
});

describe('preferredLanguage', () => {
  it('takes the remembered choice first', () => {
    localStorage.setItem('taskflow.language', 'fr');
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['en-US']);
    expect(preferredLanguage()).toBe('fr');
  });

  it('else the first of the browser’s languages the app speaks, by primary subtag', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-DE', 'fr-CA', 'en']);
    expect(preferredLanguage()).toBe('fr');
  });

  it('else English', () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['de-DE', 'es']);
    expect(preferredLanguage()).toBe('en');
  });
});
