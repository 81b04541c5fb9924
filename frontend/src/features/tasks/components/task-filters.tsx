import { useState } from 'react';
import { hasFilters, noFilters, type TaskViewState } from '../task-view';
import {
  priorityLabel,
  sortLabel,
  statusLabel,
  taskPriorities,
  taskSortKeys,
  taskStatuses,
  type SortOrder,
  type TaskPriority,
  type TaskSortKey,
  type TaskStatus,
} from '../task.types';
import { DebouncedInput } from './debounced-input';
import { useTranslation } from 'react-i18next';
import { LabelFilter, MemberFilter } from './member-label-filters';

interface TaskFiltersProps {
  state: TaskViewState;
  onChange: (changes: Partial<TaskViewState>, options?: { replace?: boolean }) => void;
}

export function TaskFilters({ state, onChange }: TaskFiltersProps) {
  const { t } = useTranslation();
  const onBoard = state.view === 'board';
  // On a phone the filters would push the tasks below the fold, so they fold away behind a button there.
  const [open, setOpen] = useState(false);
  const active = [state.status && !onBoard, state.priority, state.assignee, state.label, state.assigneeId, state.q].filter(Boolean).length;
  return (
    <>
      <button
        type="button"
        className="filters-toggle"
        aria-expanded={open}
        aria-controls="task-filters"
        onClick={() => setOpen((current) => !current)}
      >
        {open ? t('Hide filters') : t('Filters and sort')}
        {active > 0 && ` ${t('({{count}} active)', { count: active })}`}
      </button>
      <form
        id="task-filters"
        className={`filters${open ? ' filters-open' : ''}`}
        role="search"
        aria-label={t('Filter and sort tasks')}
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="field field-search">
          <label htmlFor="filter-q">{t('Search')}</label>
          <DebouncedInput
            id="filter-q"
            type="search"
            placeholder={t('Title or description')}
            value={state.q ?? ''}
            onCommit={(q) => onChange({ q: q || undefined }, { replace: true })}
          />
        </div>
        {/* The board has a column per status, so a status filter would only empty two of them. */}
        {!onBoard && (
          <div className="field">
            <label htmlFor="filter-status">{t('Status')}</label>
            <select
              id="filter-status"
              value={state.status ?? ''}
              onChange={(event) => onChange({ status: (event.target.value || undefined) as TaskStatus | undefined })}
            >
              <option value="">{t('Any status')}</option>
              {taskStatuses.map((status) => (
                <option key={status} value={status}>
                  {statusLabel(status)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="filter-priority">{t('Priority')}</label>
          <select
            id="filter-priority"
            value={state.priority ?? ''}
            onChange={(event) => onChange({ priority: (event.target.value || undefined) as TaskPriority | undefined })}
          >
            <option value="">{t('Any priority')}</option>
            {taskPriorities.map((priority) => (
              <option key={priority} value={priority}>
                {priorityLabel(priority)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-assignee">{t('Assignee')}</label>
          <DebouncedInput
            id="filter-assignee"
            placeholder={t('Exact name')}
            value={state.assignee ?? ''}
            onCommit={(assignee) => onChange({ assignee: assignee || undefined }, { replace: true })}
          />
        </div>
        <MemberFilter value={state.assigneeId} onChange={(assigneeId) => onChange({ assigneeId })} />
        <LabelFilter value={state.label} onChange={(label) => onChange({ label })} />
        <div className="field">
          <label htmlFor="filter-sort">{t('Sort by')}</label>
          <select
            id="filter-sort"
            value={state.sort}
            onChange={(event) => onChange({ sort: event.target.value as TaskSortKey })}
          >
            {taskSortKeys.map((key) => (
              <option key={key} value={key}>
                {sortLabel(key)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-order">{t('Order')}</label>
          <select
            id="filter-order"
            value={state.order}
            onChange={(event) => onChange({ order: event.target.value as SortOrder })}
          >
            <option value="asc">{t('Ascending')}</option>
            <option value="desc">{t('Descending')}</option>
          </select>
        </div>
        {hasFilters(state) && (
          <button
            type="button"
            className="filters-clear"
            onClick={() => onChange(noFilters)}
          >
            {t('Clear filters')}
          </button>
        )}
      </form>
    </>
  );
}
