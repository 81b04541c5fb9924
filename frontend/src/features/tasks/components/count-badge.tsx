import { useTaskStats } from '../use-tasks';

interface CountBadgeProps {
  /** First and last position shown, or null when nothing is. */
  shown: [number, number] | null;
  total: number;
  filtered: boolean;
}

export function CountBadge({ shown, total, filtered }: CountBadgeProps) {
  const stats = useTaskStats();
  const all = stats.data?.total;
  const noun = `${filtered ? 'matching ' : ''}${total === 1 ? 'task' : 'tasks'}`;
  return (
    <p className="count-badge" aria-live="polite" data-testid="count-badge">
      {shown ? (
        <span>
          Showing <strong>{shown[0] === shown[1] ? shown[0] : `${shown[0]}–${shown[1]}`}</strong> of{' '}
          <strong>{total}</strong> {noun}
        </span>
      ) : (
        <span>No tasks shown</span>
      )}
      {all !== undefined && filtered && <span className="badge badge-total">{all} in total</span>}
    </p>
  );
}
