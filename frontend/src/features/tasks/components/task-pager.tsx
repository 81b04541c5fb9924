import { pageSizes } from '../task-view';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../i18n/i18n';

interface TaskPagerProps {
  page: number;
  pageSize: number;
  total: number;
  onChange: (changes: { page?: number; pageSize?: number }) => void;
}

export function TaskPager({ page, pageSize, total, onChange }: TaskPagerProps) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('Pages')}>
      <button type="button" onClick={() => onChange({ page: page - 1 })} disabled={page <= 1}>
        {t('← Previous')}
      </button>
      <span aria-live="polite">
        {t('Page {{page}} of {{pages}}', { page: formatNumber(page), pages: formatNumber(pages) })}
      </span>
      <button type="button" onClick={() => onChange({ page: page + 1 })} disabled={page >= pages}>
        {t('Next →')}
      </button>
      <label className="pager-size">
        {t('Per page')}{' '}
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
