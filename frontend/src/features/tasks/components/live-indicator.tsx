import type { LiveStatus } from '../task-events';
import { useTranslation } from 'react-i18next';
import i18n from '../../../i18n/i18n';

const labels: Record<LiveStatus, () => string> = {
  connecting: () => i18n.t('Connecting…'),
  live: () => i18n.t('Live'),
  reconnecting: () => i18n.t('Reconnecting…'),
  paused: () => i18n.t('Live updates paused'),
};

const descriptions: Record<LiveStatus, () => string> = {
  connecting: () => i18n.t('Connecting to live updates.'),
  live: () => i18n.t('Changes other people make appear as they happen.'),
  reconnecting: () => i18n.t('The connection for live updates was lost; reconnecting.'),
  paused: () =>
    i18n.t('Changes other people make will not appear until the connection is back. It keeps trying by itself.'),
};

interface LiveIndicatorProps {
  status: LiveStatus;
  onRetry: () => void;
}

/** Whether changes other people make show up by themselves, in the header. */
export function LiveIndicator({ status, onRetry }: LiveIndicatorProps) {
  const { t } = useTranslation();
  return (
    <div className={`live-indicator live-${status}`}>
      <p role="status" title={descriptions[status]()}>
        <span className="live-dot" aria-hidden="true" />
        {labels[status]()}
      </p>
      {status === 'paused' && (
        <button type="button" className="button-header live-retry" onClick={onRetry}>
          {t('Retry now')}
        </button>
      )}
    </div>
  );
}
