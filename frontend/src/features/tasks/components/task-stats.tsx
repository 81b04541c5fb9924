import { ArcElement, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import { QueryError } from '../../../components/query-error';
import { priorityLabel, statusLabel, taskPriorities, taskStatuses } from '../task.types';
import { useTaskStats } from '../use-tasks';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../i18n/i18n';
import { useTaskScope } from '../task-scope';

// Chart.js is tree-shaken: only the pieces registered here are bundled.
ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const statusColours = ['#64748b', '#2563eb', '#16a34a'];
const priorityColours = ['#94a3b8', '#f59e0b', '#dc2626'];

export function TaskStatsView() {
  const { t } = useTranslation();
  const stats = useTaskStats(useTaskScope());
  if (stats.isPending) {
    return (
      <p className="state" role="status">
        {t('Loading statistics…')}
      </p>
    );
  }
  if (stats.isError) return <QueryError error={stats.error} what={t('statistics')} onRetry={() => void stats.refetch()} />;

  const { total, by_status: byStatus, by_priority: byPriority, overdue } = stats.data;
  return (
    <section className="stats" aria-labelledby="stats-title">
      <h2 id="stats-title">{t('Statistics')}</h2>
      <div className="stats-figures">
        <div className="figure">
          <span className="figure-value">{formatNumber(total)}</span>
          <span className="figure-label">{t('tasks in total', { count: total })}</span>
        </div>
        <div className={`figure${overdue > 0 ? ' figure-alert' : ''}`}>
          <span className="figure-value">{formatNumber(overdue)}</span>
          <span className="figure-label">{t('overdue', { count: overdue })}</span>
        </div>
        <div className="figure">
          <span className="figure-value">{formatNumber(byStatus.done)}</span>
          <span className="figure-label">{t('done', { count: byStatus.done })}</span>
        </div>
      </div>
      {total === 0 ? (
        <p className="state state-empty">{t('No tasks yet, so nothing to chart.')}</p>
      ) : (
        <div className="stats-charts">
          <figure className="chart">
            <figcaption>{t('By status')}</figcaption>
            <div className="chart-canvas">
              <Doughnut
                aria-label={t('Tasks by status: {{counts}}', {
                  counts: taskStatuses.map((s) => `${statusLabel(s)} ${formatNumber(byStatus[s])}`).join(', '),
                })}
                role="img"
                data={{
                  labels: taskStatuses.map((status) => statusLabel(status)),
                  datasets: [{ data: taskStatuses.map((status) => byStatus[status]), backgroundColor: statusColours }],
                }}
                options={{ maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } }}
              />
            </div>
          </figure>
          <figure className="chart">
            <figcaption>{t('By priority')}</figcaption>
            <div className="chart-canvas">
              <Bar
                aria-label={t('Tasks by priority: {{counts}}', {
                  counts: taskPriorities.map((p) => `${priorityLabel(p)} ${formatNumber(byPriority[p])}`).join(', '),
                })}
                role="img"
                data={{
                  labels: taskPriorities.map((priority) => priorityLabel(priority)),
                  datasets: [
                    {
                      label: t('Tasks'),
                      data: taskPriorities.map((priority) => byPriority[priority]),
                      backgroundColor: priorityColours,
                    },
                  ],
                }}
                options={{
                  maintainAspectRatio: false,
                  animation: false,
                  plugins: { legend: { display: false } },
                  scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
                }}
              />
            </div>
          </figure>
        </div>
      )}
      <table className="stats-table">
        <caption>{t('Tasks by status and priority')}</caption>
        <tbody>
          {taskStatuses.map((status) => (
            <tr key={status}>
              <th scope="row">{statusLabel(status)}</th>
              <td>{formatNumber(byStatus[status])}</td>
            </tr>
          ))}
          {taskPriorities.map((priority) => (
            <tr key={priority}>
              <th scope="row">{t('{{priority}} priority', { priority: priorityLabel(priority) })}</th>
              <td>{formatNumber(byPriority[priority])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
