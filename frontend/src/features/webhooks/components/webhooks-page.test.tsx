import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { api, server } from '../../../test/fake-api';
import { makeUser, serveAccounts } from '../../../test/fake-accounts';
import { renderApp } from '../../../test/render-app';
import type { Delivery, Webhook } from '../webhook.types';

const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

function makeWebhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: '30000000-0000-4000-8000-000000000001',
    url: 'https://hooks.example.com/taskflow',
    events: ['*'],
    description: null,
    active: true,
    created_at: '2026-12-01T09:00:00.000Z',
    ...overrides,
  };
}

function makeDelivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    id: `40000000-0000-4000-8000-${Math.random().toString().slice(2, 14).padStart(12, '0')}`,
    event: 'task.created',
    status: 'succeeded',
    attempts: 1,
    response_status: 200,
    error: null,
    created_at: '2026-12-01T10:00:00.000Z',
    last_attempt_at: '2026-12-01T10:00:01.000Z',
    next_attempt_at: null,
    ...overrides,
  };
}

/** A server with accounts on, an admin signed in, and the webhook routes over an in-memory list. */
function serveWebhooks(webhooks: Webhook[], deliveries: Delivery[] = []) {
  const seen = { created: [] as unknown[], patches: [] as unknown[], deleted: [] as string[], pings: 0, rotations: 0, redelivered: [] as string[] };
  serveAccounts({ user: makeUser({ name: 'Ana', role: 'admin' }) });
  server.use(
    http.get(api('/webhooks'), () => HttpResponse.json(webhooks)),
    http.post(api('/webhooks'), async ({ request }) => {
      const body = (await request.json()) as { url: string; events: string[]; description: string | null };
      seen.created.push(body);
      if (body.url.includes('10.0.0.1')) {
        return HttpResponse.json(
          { statusCode: 422, error: 'Unprocessable Entity', message: ['url is not allowed: 10.0.0.1 is a private address'] },
          { status: 422 },
        );
      }
      const webhook = makeWebhook({ id: `30000000-0000-4000-8000-00000000010${webhooks.length}`, ...body, active: true });
      webhooks.push(webhook);
      return HttpResponse.json({ ...webhook, secret: SECRET }, { status: 201 });
    }),
    http.patch(api('/webhooks/:id'), async ({ params, request }) => {
      const body = (await request.json()) as Partial<Webhook>;
      seen.patches.push(body);
      const index = webhooks.findIndex((webhook) => webhook.id === params.id);
      webhooks[index] = { ...webhooks[index], ...body };
      return HttpResponse.json(webhooks[index]);
    }),
    http.delete(api('/webhooks/:id'), ({ params }) => {
      seen.deleted.push(String(params.id));
      webhooks.splice(webhooks.findIndex((webhook) => webhook.id === params.id), 1);
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(api('/webhooks/:id/rotate-secret'), () => {
      seen.rotations += 1;
      return HttpResponse.json({ secret: `${SECRET}-rotated` });
    }),
    http.post(api('/webhooks/:id/ping'), () => {
      seen.pings += 1;
      deliveries.unshift(makeDelivery({ event: 'ping' }));
      return new HttpResponse(null, { status: 202 });
    }),
    http.get(api('/webhooks/:id/deliveries'), ({ request }) => {
      const limit = Number(new URL(request.url).searchParams.get('limit') ?? 50);
      return HttpResponse.json(deliveries.slice(0, limit));
    }),
    http.post(api('/webhooks/:id/deliveries/:deliveryId/redeliver'), ({ params }) => {
      seen.redelivered.push(String(params.deliveryId));
      return new HttpResponse(null, { status: 202 });
    }),
  );
  return seen;
}

describe('Webhooks page', () => {
  it('creates a webhook for chosen events and shows its secret once, with copy', async () => {
    const seen = serveWebhooks([]);
    const { user } = renderApp('/webhooks');

    const form = await screen.findByRole('form', { name: 'New webhook' });
    await user.type(within(form).getByLabelText('Payload URL'), 'https://hooks.example.com/new');
    await user.type(within(form).getByLabelText('Description (optional)'), 'Chat bot');
    await user.click(within(form).getByLabelText('Only the events chosen below'));
    await user.click(within(form).getByLabelText(/Comment added/));
    await user.click(within(form).getByLabelText(/Task created/));
    await user.click(within(form).getByRole('button', { name: 'Create webhook' }));

    expect(await screen.findByText('This secret is shown only once.')).toBeInTheDocument();
    expect(screen.getByLabelText('Signing secret')).toHaveValue(SECRET);
    // In the order of the picker, whatever the order of the clicks.
    expect(seen.created).toEqual([{ url: 'https://hooks.example.com/new', events: ['task.created', 'comment.created'], description: 'Chat bot' }]);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    await expect(navigator.clipboard.readText()).resolves.toBe(SECRET);

    const list = await screen.findByRole('list', { name: 'All webhooks' });
    expect(within(list).getByRole('heading', { name: 'https://hooks.example.com/new' })).toBeInTheDocument();
    expect(within(list).getByText(/Task created, Comment added/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByLabelText('Signing secret')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Payload URL')).toHaveValue('');
  });

  it('shows a refused URL beside the field and keeps what was typed', async () => {
    serveWebhooks([]);
    const { user } = renderApp('/webhooks');

    const form = await screen.findByRole('form', { name: 'New webhook' });
    const url = within(form).getByLabelText('Payload URL');
    await user.type(url, 'http://10.0.0.1/hook');
    await user.click(within(form).getByRole('button', { name: 'Create webhook' }));

    await waitFor(() => expect(url).toHaveAccessibleDescription(/url is not allowed: 10.0.0.1 is a private address/));
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(url).toHaveValue('http://10.0.0.1/hook');
  });

  it('checks the form before sending it', async () => {
    const seen = serveWebhooks([]);
    const { user } = renderApp('/webhooks');

    const form = await screen.findByRole('form', { name: 'New webhook' });
    await user.type(within(form).getByLabelText('Payload URL'), 'hooks.example.com');
    await user.click(within(form).getByLabelText('Only the events chosen below'));
    await user.click(within(form).getByRole('button', { name: 'Create webhook' }));

    expect(await within(form).findByText('Enter an absolute http:// or https:// address.')).toBeInTheDocument();
    expect(within(form).getByText('Choose at least one event, or all events.')).toBeInTheDocument();
    expect(seen.created).toEqual([]);
  });

  it('pauses, resumes, edits and pings a webhook, and shows the ping in the delivery log', async () => {
    const webhook = makeWebhook();
    const seen = serveWebhooks([webhook]);
    const { user } = renderApp('/webhooks');

    const item = await screen.findByRole('listitem', { name: webhook.url });
    expect(within(item).getByText('Active')).toBeInTheDocument();
    await user.click(within(item).getByRole('button', { name: 'Pause' }));
    expect(await within(item).findByText('Paused')).toBeInTheDocument();
    await user.click(within(item).getByRole('button', { name: 'Resume' }));
    await within(item).findByText('Active');
    expect(seen.patches).toEqual([{ active: false }, { active: true }]);

    await user.click(within(item).getByRole('button', { name: 'Edit' }));
    const edit = within(item).getByRole('form', { name: `Edit webhook ${webhook.url}` });
    expect(within(edit).getByLabelText('Payload URL')).toHaveFocus();
    await user.type(within(edit).getByLabelText('Description (optional)'), 'CI');
    await user.click(within(edit).getByRole('button', { name: 'Save changes' }));
    await within(item).findByText('Changes saved.');
    expect(seen.patches[2]).toEqual({ url: webhook.url, events: ['*'], description: 'CI' });
    await waitFor(() => expect(within(item).getByRole('button', { name: 'Edit' })).toHaveFocus());

    await user.click(within(item).getByRole('button', { name: 'Send ping' }));
    const log = await within(item).findByRole('table');
    expect(within(log).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual([
      'Event', 'Status', 'Response', 'Attempts', 'Next attempt', 'Time', 'Actions',
    ]);
    const row = within(log).getByRole('row', { name: /Ping/ });
    expect(within(row).getByText('Succeeded')).toBeInTheDocument();
    expect(within(row).getByText('200')).toBeInTheDocument();
    expect(seen.pings).toBe(1);
  });

  it('shows failed attempts with the next one, and redelivers', async () => {
    const webhook = makeWebhook();
    const failing = makeDelivery({ status: 'pending', attempts: 2, response_status: 500, error: 'HTTP 500', next_attempt_at: '2026-12-01T10:01:00.000Z' });
    const seen = serveWebhooks([webhook], [failing]);
    const { user } = renderApp('/webhooks');

    const item = await screen.findByRole('listitem', { name: webhook.url });
    await user.click(within(item).getByRole('button', { name: 'Show delivery log' }));
    const row = await within(item).findByRole('row', { name: /Task created/ });
    expect(within(row).getByText('Pending')).toBeInTheDocument();
    expect(within(row).getByText('500')).toBeInTheDocument();
    expect(within(row).getByText('HTTP 500')).toBeInTheDocument();
    expect(within(row).getByText('2')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: /^Redeliver Task created of / }));
    expect(await within(item).findByText('Delivery of Task created sent again.')).toBeInTheDocument();
    expect(seen.redelivered).toEqual([failing.id]);
  });

  it('rotates the secret after a confirmation and shows the new one once', async () => {
    const webhook = makeWebhook();
    const seen = serveWebhooks([webhook]);
    const { user } = renderApp('/webhooks');

    const item = await screen.findByRole('listitem', { name: webhook.url });
    await user.click(within(item).getByRole('button', { name: 'Rotate secret' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(seen.rotations).toBe(0);
    expect(within(item).getByRole('button', { name: 'Rotate secret' })).toHaveFocus();

    await user.click(within(item).getByRole('button', { name: 'Rotate secret' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Rotate secret' }));
    expect(await within(item).findByLabelText('Signing secret')).toHaveValue(`${SECRET}-rotated`);
    expect(within(item).getByText('This secret is shown only once.')).toBeInTheDocument();
    expect(seen.rotations).toBe(1);
  });

  it('deletes a webhook after a confirmation and puts the focus on the list', async () => {
    const webhook = makeWebhook();
    const seen = serveWebhooks([webhook]);
    const { user } = renderApp('/webhooks');

    const item = await screen.findByRole('listitem', { name: webhook.url });
    await user.click(within(item).getByRole('button', { name: 'Delete' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Delete webhook?' })).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('No webhooks yet.')).toBeInTheDocument();
    expect(seen.deleted).toEqual([webhook.id]);
    await waitFor(() => expect(screen.getByRole('heading', { name: 'All webhooks' })).toHaveFocus());
  });

  it('tells a webhook turned off after 20 failures from a paused one', async () => {
    const webhook = makeWebhook({ active: false });
    const failures = Array.from({ length: 20 }, () => makeDelivery({ status: 'pending', attempts: 3, response_status: 500, next_attempt_at: null }));
    serveWebhooks([webhook], failures);
    renderApp('/webhooks');

    const item = await screen.findByRole('listitem', { name: webhook.url });
    expect(await within(item).findByText('Turned off after failures')).toBeInTheDocument();
    expect(within(item).getByRole('button', { name: 'Resume' })).toBeInTheDocument();
  });

  it('is linked from the header for admins', async () => {
    serveWebhooks([]);
    renderApp('/webhooks');
    const nav = await screen.findByRole('navigation', { name: 'Account' });
    expect(within(nav).getByRole('link', { name: 'Webhooks' })).toHaveAttribute('href', '/webhooks');
    expect(within(nav).getByRole('link', { name: 'Webhooks' })).toHaveAttribute('aria-current', 'page');
  });

  it('tells a member who opens the address that webhooks are for admins', async () => {
    serveAccounts({ user: makeUser({ role: 'member' }) });
    let asked = false;
    server.use(
      http.get(api('/webhooks'), () => {
        asked = true;
        return HttpResponse.json({ statusCode: 403, message: 'Admins only' }, { status: 403 });
      }),
    );
    renderApp('/webhooks');
    expect(await screen.findByRole('heading', { name: 'Webhooks are for admins' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Account' });
    expect(within(nav).queryByRole('link', { name: 'Webhooks' })).not.toBeInTheDocument();
    expect(asked).toBe(false);
  });
});
