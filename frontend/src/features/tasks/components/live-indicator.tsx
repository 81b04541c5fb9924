import type { LiveStatus } from '../task-events';

const labels: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  paused: 'Live updates paused',
};

const descriptions: Record<LiveStatus, string> = {
  connecting: 'Connecting to live updates.',
  live: 'Changes other people make appear as they happen.',
  reconnecting: 'The connection for live updates was lost; reconnecting.',
  paused: 'Changes other people make will not appear until the connection is back. It keeps trying by itself.',
};

interface LiveIndicatorProps {
  status: LiveStatus;
  onRetry: () => void;
}

/** Whether changes other people make show up by themselves, in the header. */
export function LiveIndicator({ status, onRetry }: LiveIndicatorProps) {
  return (
    <div className={`live-indicator live-${status}`}>
      <p role="status" title={descriptions[status]}>
        <span className="live-dot" aria-hidden="true" />
        {labels[status]}
      </p>
      {status === 'paused' && (
        <button type="button" className="button-header live-retry" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
