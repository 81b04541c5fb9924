import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, server } from '../../../test/fake-api';
import { serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';

function recordPosts(path: string, reply: (body: Record<string, unknown>) => Response) {
  const bodies: Record<string, unknown>[] = [];
  server.use(
    http.post(api(path), async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      return reply(body);
    }),
  );
  return bodies;
}

const forbidden = () =>
  HttpResponse.json({ statusCode: 403, error: 'Forbidden', message: 'Invalid or expired reset token' }, { status: 403 });

describe('Forgot password', () => {
  it('is not offered on sign-in when the server sends no email', async () => {
    serveAccounts({ status: { email: false } });
    renderApp('/signin');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.queryByRole('link', { name: 'Forgot password?' })).not.toBeInTheDocument();
  });

  it('is offered on sign-in when the server sends email', async () => {
    serveAccounts({ status: { email: true } });
    const { user } = renderApp('/signin');
    await user.click(await screen.findByRole('link', { name: 'Forgot password?' }));
    await screen.findByRole('heading', { name: 'Forgot your password?' });
    expect(window.location.pathname).toBe('/forgot-password');
  });

  it('asks for a link and answers the same neutral confirmation, with focus on it', async () => {
    serveAccounts({ status: { email: true } });
    const bodies = recordPosts('/auth/password-reset', () => HttpResponse.json({}, { status: 202 }));
    const { user } = renderApp('/forgot-password');

    await screen.findByRole('heading', { name: 'Forgot your password?' });
    await user.click(screen.getByRole('button', { name: 'Send the reset link' }));
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Email is required.');
    expect(bodies).toEqual([]);

    await user.type(screen.getByLabelText('Email'), ' ana@example.com ');
    await user.click(screen.getByRole('button', { name: 'Send the reset link' }));

    const confirmation = await screen.findByRole('status');
    expect(confirmation).toHaveTextContent('Check your email');
    expect(confirmation).toHaveTextContent('If ana@example.com belongs to an account');
    expect(confirmation).toHaveFocus();
    expect(bodies).toEqual([{ email: 'ana@example.com' }]);
  });

  it('says to ask an admin when the server does not send email', async () => {
    serveAccounts({ status: { email: false } });
    renderApp('/forgot-password');
    expect(await screen.findByText(/does not send email\. Ask an admin/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send the reset link' })).not.toBeInTheDocument();
  });
});

describe('Reset password', () => {
  it('checks the two passwords, sets the new one and sends the person to sign in', async () => {
    serveAccounts({ status: { email: true } });
    const bodies = recordPosts('/auth/password-reset/confirm', () => new HttpResponse(null, { status: 204 }));
    const { user } = renderApp('/reset-password?token=the-token');

    await screen.findByRole('heading', { name: 'Choose a new password' });
    await user.type(screen.getByLabelText('New password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(expect.stringContaining('at least 8 characters'));

    await user.clear(screen.getByLabelText('New password'));
    await user.type(screen.getByLabelText('New password'), 'a new long password');
    await user.type(screen.getByLabelText('Confirm the new password'), 'a new long passwort');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));
    expect(screen.getByLabelText('Confirm the new password')).toHaveAccessibleDescription(
      'The two passwords differ. Type the same new password twice.',
    );
    expect(bodies).toEqual([]);

    await user.clear(screen.getByLabelText('Confirm the new password'));
    await user.type(screen.getByLabelText('Confirm the new password'), 'a new long password');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Your password has been changed.');
    expect(bodies).toEqual([{ token: 'the-token', password: 'a new long password' }]);
    await user.click(screen.getByRole('link', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Sign in' });
  });

  it('explains a used or expired link and offers a new one', async () => {
    serveAccounts({ status: { email: true } });
    recordPosts('/auth/password-reset/confirm', forbidden);
    const { user } = renderApp('/reset-password?token=used-token');

    await user.type(await screen.findByLabelText('New password'), 'a new long password');
    await user.type(screen.getByLabelText('Confirm the new password'), 'a new long password');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This reset link cannot be used');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
  });

  it('says so when the address holds no token', async () => {
    serveAccounts({ status: { email: false } });
    renderApp('/reset-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('This address holds no reset link.');
    expect(screen.getByRole('alert')).toHaveTextContent('Ask an admin of your team for a new link.');
  });
});
