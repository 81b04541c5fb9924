import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { resetAuthSession } from '../features/auth/auth-session';
import { setSessionHint } from '../features/auth/session-hint';
import { forgetOwnWrites } from '../features/tasks/own-writes';
import { clearHighlights } from '../features/tasks/task-highlights';
import i18n from '../i18n/i18n';
import { server } from './fake-api';
import { FakeEventSource } from './fake-event-source';

// A loaded machine (CI, a shared one) can take over a second to render a whole page; findBy waits up to 5 s.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no EventSource; the app's live updates get one that tests drive by hand.
globalThis.EventSource = FakeEventSource as unknown as typeof EventSource;

// Any request no handler answers is a test bug, not something to let through to a real network.
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
// Tests read the English interface unless they switch it themselves.
beforeEach(() => i18n.changeLanguage('en'));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  resetAuthSession();
  setSessionHint(false);
  FakeEventSource.reset();
  forgetOwnWrites();
  clearHighlights();
  window.history.replaceState(null, '', '/');
});
afterAll(() => server.close());
