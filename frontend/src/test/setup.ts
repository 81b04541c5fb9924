import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { resetAuthSession } from '../features/auth/auth-session';
import { server } from './fake-api';

// Any request no handler answers is a test bug, not something to let through to a real network.
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  resetAuthSession();
  window.history.replaceState(null, '', '/');
});
afterAll(() => server.close());
