import { ApiError } from '../lib/api-client';
import { useTranslation } from 'react-i18next';

interface QueryErrorProps {
  error: unknown;
  what: string;
  onRetry: () => void;
}

/** The one way every screen reports a failed load: what failed, why, and a way to try again. */
export function QueryError({ error, what, onRetry }: QueryErrorProps) {
  const { t } = useTranslation();
  const unreachable = error instanceof ApiError && error.status === 0;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{unreachable ? t('The TaskFlow server is not responding.') : t('Could not load {{what}}.', { what })}</p>
      <p>
        {unreachable
          ? t('It may be down or restarting. Your data is safe; try again in a moment.')
          : error instanceof Error
            ? error.message
            : String(error)}
      </p>
      <button type="button" onClick={onRetry}>
        {t('Retry')}
      </button>
    </div>
  );
}
