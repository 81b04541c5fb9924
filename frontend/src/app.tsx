import type { MouseEvent } from 'react';
import { TasksScreen } from './features/tasks/components/tasks-screen';
import { serializeTaskView, type ViewMode } from './features/tasks/task-view';
import { useTaskView } from './features/tasks/use-task-view';

const views: { mode: ViewMode; label: string }[] = [
  { mode: 'list', label: 'List' },
  { mode: 'board', label: 'Board' },
  { mode: 'stats', label: 'Statistics' },
];

export function App() {
  const [state, update] = useTaskView();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <h1>
          <span aria-hidden="true">✓</span> TaskFlow
        </h1>
        <nav aria-label="Views">
          <ul className="view-switch">
            {views.map(({ mode, label }) => (
              <li key={mode}>
                <a
                  href={serializeTaskView({ ...state, view: mode }) || '?'}
                  aria-current={state.view === mode ? 'page' : undefined}
                  onClick={(event: MouseEvent) => {
                    // Plain links so that a view opens in a new tab too; in this tab, no reload.
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                    event.preventDefault();
                    update({ view: mode });
                  }}
                >
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <TasksScreen />
      </main>
    </div>
  );
}
