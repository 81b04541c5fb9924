import { useTaskStats } from '../use-tasks';
import { Trans, useTranslation } from 'react-i18next';
import { formatNumber } from '../../../i18n/i18n';
import { useTaskScope } from '../task-scope';

interface CountBadgeProps {
  /** First and last position shown, or null when nothing is. */
  shown: [number, number] | null;
  total: number;
  filtered: boolean;
}

export function CountBadge({ shown, total, filtered }: CountBadgeProps) {
  const { t } = useTranslation();
  const stats = useTaskStats(useTaskScope());
  const all = stats.data?.total;
  const range = shown && (shown[0] === shown[1] ? formatNumber(shown[0]) : `${formatNumber(shown[0])}–${formatNumber(shown[1])}`);
  return (
    <p className="count-badge" aria-live="polite" data-testid="count-badge">
      {range ? (
        <span>
          <Trans
            i18nKey={
              filtered
                ? 'Showing <strong>{{range}}</strong> of <strong>{{total}}</strong> matching tasks'
                : 'Showing <strong>{{range}}</strong> of <strong>{{total}}</strong> tasks'
            }
            count={total}
            values={{ range, total: formatNumber(total) }}
            components={{ strong: <strong /> }}
          />
        </span>
      ) : (
        <span>{t('No tasks shown')}</span>
      )}
      {all !== undefined && filtered && (
        <span className="badge badge-total">{t('{{total}} in total', { total: formatNumber(all) })}</span>
      )}
    </p>
  );
}
