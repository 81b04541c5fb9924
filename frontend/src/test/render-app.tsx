import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app';

/** Renders the whole app at `url`, as a person opening that link would see it. */
export function renderApp(url = '/', options: { advanceTimers?: (ms: number) => unknown } = {}) {
  window.history.replaceState(null, '', url);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  // user-event takes a missing option as "real timers" but an undefined one as a function to call.
  const user = userEvent.setup(options.advanceTimers ? { advanceTimers: options.advanceTimers } : {});
  const view = render(
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>,
  );
  return { ...view, user, queryClient };
}
