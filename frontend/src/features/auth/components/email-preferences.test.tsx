import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { api, server, serveTaskList } from '../../../test/fake-api';
import { makeUser, serveAccounts, sessionBody } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import type { User } from '../auth.types';

afterEach(() => localStorage.clear());

function servePatches(me: User, { fail = false } = {}) {
  const patches: Record<string, unknown>[] = [];
  server.use(
    http.patch(api('/auth/me'), async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      patches.push(body);
      if (fail) return HttpResponse.json({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' }, { status: 500 });
      Object.assign(me, body);
      return HttpResponse.json(me);
    }),
    http.get(api('/auth/sessions'), () => HttpResponse.json([])),
    http.get(api('/auth/tokens'), () => HttpResponse.json([])),
    // A saved change refreshes the members list (names) too.
    http.get(api('/users'), () => HttpResponse.json([me])),
  );
  return patches;
}

describe('Notification emails on the Account page', () => {
  it('shows the stored choice and saves another one', async () => {
    const me = makeUser({ email_notifications: 'instant' });
    serveAccounts({ user: me, status: { email: true } });
    const patches = servePatches(me);
    const { user } = renderApp('/account');

    const section = await screen.findByRole('region', { name: 'Notification emails' });
    expect(within(section).getByRole('radio', { name: 'As they happen' })).toBeChecked();
    expect(within(section).getByRole('radio', { name: 'Once a day' })).toHaveAccessibleDescription(/07:00 UTC/);

    await user.click(within(section).getByRole('radio', { name: 'Once a day' }));
    await user.click(within(section).getByRole('button', { name: 'Save email preference' }));

    await waitFor(() => expect(within(section).getByRole('status')).toHaveTextContent('Saved.'));
    expect(patches).toEqual([{ email_notifications: 'daily' }]);
    expect(screen.queryByText(/does not send email at the moment/)).not.toBeInTheDocument();
  });

  it('keeps the choice selected when saving fails', async () => {
    const me = makeUser({ email_notifications: 'instant' });
    serveAccounts({ user: me, status: { email: false } });
    servePatches(me, { fail: true });
    const { user } = renderApp('/account');

    const section = await screen.findByRole('region', { name: 'Notification emails' });
    expect(within(section).getByText(/does not send email at the moment/)).toBeInTheDocument();
    await user.click(within(section).getByRole('radio', { name: 'Never' }));
    await user.click(within(section).getByRole('button', { name: 'Save email preference' }));

    expect(await within(section).findByRole('alert')).toHaveTextContent('Could not save your email preference');
    expect(within(section).getByRole('radio', { name: 'Never' })).toBeChecked();
  });
});

describe('The account’s language', () => {
  it('is stored when the header’s language switch changes it', async () => {
    const me = makeUser({ locale: 'en' });
    serveAccounts({ user: me });
    serveTaskList([]);
    const patches = servePatches(me);
    const { user } = renderApp('/');

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Language' }), 'fr');

    await screen.findByRole('link', { name: 'Mes tâches' });
    await waitFor(() => expect(patches).toEqual([{ locale: 'fr' }]));
  });

  it('is applied at sign-in', async () => {
    const me = makeUser({ locale: 'fr', email: 'ana@example.com' });
    serveAccounts();
    serveTaskList([]);
    server.use(
      http.post(api('/auth/login'), () => HttpResponse.json(sessionBody(me))),
      http.get(api('/users'), () => HttpResponse.json([me])),
    );
    const { user } = renderApp('/signin');

    await user.type(await screen.findByLabelText('Email'), 'ana@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('link', { name: 'Mes tâches' });
    expect(document.documentElement.lang).toBe('fr');
    expect(localStorage.getItem('taskflow.language')).toBe('fr');
  });

  it('of a new account is the one the person was reading in, not the browser’s guess', async () => {
    localStorage.setItem('taskflow.language', 'fr');
    const { default: i18n } = await import('../../../i18n/i18n');
    const created = makeUser({ locale: 'en', email: 'cy@example.com' });
    serveAccounts({ status: { registration: 'open' } });
    serveTaskList([]);
    const patches = servePatches(created);
    server.use(http.post(api('/auth/register'), () => HttpResponse.json(sessionBody(created), { status: 201 })));
    await i18n.changeLanguage('fr');
    const { user } = renderApp('/register');

    await user.type(await screen.findByLabelText('Votre nom'), 'Cy');
    await user.type(screen.getByLabelText('E-mail'), 'cy@example.com');
    await user.type(screen.getByLabelText('Mot de passe'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Créer le compte' }));

    await waitFor(() => expect(patches).toEqual([{ locale: 'fr' }]));
    expect(document.documentElement.lang).toBe('fr');
  });
});
