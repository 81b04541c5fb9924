import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/i18n';
import { App } from './app';
import { ErrorBoundary } from './components/error-boundary';
import { ApiError } from './lib/api-client';
import { setFirstScreenPrefetch } from './features/auth/auth-session';
import { prefetchFirstScreen } from './features/tasks/prefetch-first-screen';
import { initErrorTracking, rootErrorOptions } from './lib/sentry';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; an unreachable server might, so it gets two more tries.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      staleTime: 5_000,
    },
  },
});

setFirstScreenPrefetch(() => prefetchFirstScreen(queryClient));

// Before the first render, so that its errors are reported too (only when built with VITE_SENTRY_DSN).
const errorTracking = initErrorTracking();

createRoot(document.getElementById('root')!, rootErrorOptions(errorTracking)).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ErrorBoundary fullPage>
        <App />
      </ErrorBoundary>
    </QueryClientProvider>
  </StrictMode>,
);
