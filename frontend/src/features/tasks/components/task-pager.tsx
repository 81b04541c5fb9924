import { pageSizes } from '../task-view';

interface TaskPagerProps {
  page: number;
  pageSize: number;
  total: number;
  onChange: (changes: { page?: number; pageSize?: number }) => void;
}

export function TaskPager({ page, pageSize, total, onChange }: TaskPagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={() => onChange({ page: page - 1 })} disabled={page <= 1}>
        ← Previous
      </button>
      <span aria-live="polite">
        Page {page} of {pages}
      </span>
      <button type="button" onClick={() => onChange({ page: page + 1 })} disabled={page >= pages}>
        Next →
      </button>
      <label className="pager-size">
        Per page{' '}
        <select value={pageSize} onChange={(event) => onChange({ pageSize: Number(event.target.value), page: 1 })}>
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
