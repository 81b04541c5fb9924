import { ApiError } from '../lib/api-client';

interface QueryErrorProps {
  error: unknown;
  what: string;
  onRetry: () => void;
}

/** The one way every screen reports a failed load: what failed, why, and a way to try again. */
export function QueryError({ error, what, onRetry }: QueryErrorProps) {
  const unreachable = error instanceof ApiError && error.status === 0;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{unreachable ? 'The TaskFlow server is not responding.' : `Could not load ${what}.`}</p>
      <p>
        {unreachable
          ? 'It may be down or restarting. Your data is safe; try again in a moment.'
          : error instanceof Error
            ? error.message
            : String(error)}
      </p>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
