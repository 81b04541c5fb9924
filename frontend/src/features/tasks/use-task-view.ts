import { useCallback, useMemo } from 'react';
import { currentSearch, useLocationSearch, type NavigateOptions } from '../../lib/navigation';
import { parseTaskView, serializeTaskView, type TaskViewState, type ViewMode } from './task-view';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n/i18n';

/** The tasks screens' state, read from and written to the URL. */
export function useTaskView(): [TaskViewState, (changes: Partial<TaskViewState>, options?: NavigateOptions) => void] {
  const [search, navigate] = useLocationSearch();
  const state = useMemo(() => parseTaskView(search), [search]);
  const update = useCallback(
    (changes: Partial<TaskViewState>, options?: NavigateOptions) => {
      const current = parseTaskView(currentSearch());
      const next = { ...current, ...changes };
      // A new filter or sort shows a different set, so the page number of the old set means nothing there.
      const resetsPage = Object.keys(changes).some((key) => key !== 'page' && key !== 'view');
      if (resetsPage && changes.page === undefined) next.page = 1;
      navigate(serializeTaskView(next), options);
    },
    [navigate],
  );
  return [state, update];
}

/** The pages that show tasks with the view, filters and sort in their query string. */
export function isTasksPath(path: string): boolean {
  return path === '/' || path === '/my-tasks' || /^\/projects\/[^/]+$/.test(path);
}

const viewTitles: Record<ViewMode, () => string> = {
  list: () => i18n.t('Tasks'),
  board: () => i18n.t('Board'),
  stats: () => i18n.t('Statistics'),
};

/**
 * The page title of a tasks screen: its view ("Board"), after the page's own name when it has one ("Website ·
 * Board"), so that each view of each page has its own entry in the tab bar and the history.
 */
export function useTaskViewTitle(pageName: string | null = null): string {
  useTranslation();
  const [state] = useTaskView();
  const view = viewTitles[state.view]();
  return pageName ? `${pageName} · ${view}` : view;
}
