import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ErrorBoundaryProps {
  children: ReactNode;
  /** The whole app failed: the fallback takes the page, with no header around it. */
  fullPage?: boolean;
}

interface ErrorBoundaryState {
  error: Error | null;
}

/**
 * A friendly screen instead of a blank page when rendering throws. The error still reaches Sentry: React reports
 * errors that a boundary caught through the root's onCaughtError (lib/sentry.ts).
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  render() {
    if (!this.state.error) return this.props.children;
    const fallback = <CrashMessage onTryAgain={() => this.setState({ error: null })} />;
    return this.props.fullPage ? <div className="auth-page">{fallback}</div> : fallback;
  }
}

export function CrashMessage({ onTryAgain }: { onTryAgain: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error crash" role="alert">
      <p className="state-title">{t('Something went wrong on this page.')}</p>
      <p>
        {t(
          'TaskFlow ran into a problem it did not expect while showing it. What you saved is safe; anything you were typing may need to be entered again.',
        )}
      </p>
      <div className="crash-actions">
        <button type="button" className="button-primary" onClick={onTryAgain}>
          {t('Try again')}
        </button>
        <button type="button" onClick={() => window.location.reload()}>
          {t('Reload the page')}
        </button>
      </div>
    </div>
  );
}
