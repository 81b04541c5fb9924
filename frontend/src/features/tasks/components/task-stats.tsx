import { ArcElement, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import { QueryError } from '../../../components/query-error';
import { priorityLabels, statusLabels, taskPriorities, taskStatuses } from '../task.types';
import { useTaskStats } from '../use-tasks';

// Chart.js is tree-shaken: only the pieces registered here are bundled.
ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const statusColours = ['#64748b', '#2563eb', '#16a34a'];
const priorityColours = ['#94a3b8', '#f59e0b', '#dc2626'];

export function TaskStatsView() {
  const stats = useTaskStats();
  if (stats.isPending) {
    return (
      <p className="state" role="status">
        Loading statistics…
      </p>
    );
  }
  if (stats.isError) return <QueryError error={stats.error} what="statistics" onRetry={() => void stats.refetch()} />;

  const { total, by_status: byStatus, by_priority: byPriority, overdue } = stats.data;
  return (
    <section className="stats" aria-labelledby="stats-title">
      <h2 id="stats-title">Statistics</h2>
      <div className="stats-figures">
        <div className="figure">
          <span className="figure-value">{total}</span>
          <span className="figure-label">tasks in total</span>
        </div>
        <div className={`figure${overdue > 0 ? ' figure-alert' : ''}`}>
          <span className="figure-value">{overdue}</span>
          <span className="figure-label">overdue</span>
        </div>
        <div className="figure">
          <span className="figure-value">{byStatus.done}</span>
          <span className="figure-label">done</span>
        </div>
      </div>
      {total === 0 ? (
        <p className="state state-empty">No tasks yet, so nothing to chart.</p>
      ) : (
        <div className="stats-charts">
          <figure className="chart">
            <figcaption>By status</figcaption>
            <div className="chart-canvas">
              <Doughnut
                aria-label={`Tasks by status: ${taskStatuses.map((s) => `${statusLabels[s]} ${byStatus[s]}`).join(', ')}`}
                role="img"
                data={{
                  labels: taskStatuses.map((status) => statusLabels[status]),
                  datasets: [{ data: taskStatuses.map((status) => byStatus[status]), backgroundColor: statusColours }],
                }}
                options={{ maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } }}
              />
            </div>
          </figure>
          <figure className="chart">
            <figcaption>By priority</figcaption>
            <div className="chart-canvas">
              <Bar
                aria-label={`Tasks by priority: ${taskPriorities.map((p) => `${priorityLabels[p]} ${byPriority[p]}`).join(', ')}`}
                role="img"
                data={{
                  labels: taskPriorities.map((priority) => priorityLabels[priority]),
                  datasets: [
                    {
                      label: 'Tasks',
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
        <caption>Tasks by status and priority</caption>
        <tbody>
          {taskStatuses.map((status) => (
            <tr key={status}>
              <th scope="row">{statusLabels[status]}</th>
              <td>{byStatus[status]}</td>
            </tr>
          ))}
          {taskPriorities.map((priority) => (
            <tr key={priority}>
              <th scope="row">{priorityLabels[priority]} priority</th>
              <td>{byPriority[priority]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
