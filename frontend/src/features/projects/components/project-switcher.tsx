import { useTranslation } from 'react-i18next';
import { AppLink } from '../../../components/app-link';
import { formatNumber } from '../../../i18n/i18n';
import { ApiError } from '../../../lib/api-client';
import { useLocationPath } from '../../../lib/navigation';
import { useProjects } from '../use-projects';

/**
 * The projects, each with its task count, as links under the header; the current one is marked. Nothing at all on a
 * server from before projects (404), so the app works there as it did.
 */
export function ProjectSwitcher({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const projects = useProjects();
  const path = useLocationPath().toUpperCase();
  if (projects.isError && projects.error instanceof ApiError && projects.error.status === 404) return null;
  if (!projects.data) return null;
  return (
    <nav className="project-switcher" aria-label={t('Projects')}>
      <ul>
        <li>
          <AppLink href="/" aria-current={path === '/' ? 'page' : undefined}>
            {t('All projects')}
          </AppLink>
        </li>
        {projects.data.map((project) => (
          <li key={project.id}>
            <AppLink
              href={`/projects/${project.key}`}
              aria-current={path === `/PROJECTS/${project.key}` || path === `/PROJECTS/${project.id.toUpperCase()}` ? 'page' : undefined}
            >
              {/* The name a screen reader hears is the text shown, and more ("WEB Website 3 tasks"), for voice control. */}
              <span className="project-key">{project.key}</span> {project.name}{' '}
              <span className="count">{formatNumber(project.task_count)}</span>{' '}
              <span className="visually-hidden">{t('tasks (after their number)', { count: project.task_count })}</span>
            </AppLink>
          </li>
        ))}
        {canManage && (
          <li>
            <AppLink href="/projects" className="project-settings-link" aria-current={path === '/PROJECTS' ? 'page' : undefined}>
              {t('Manage projects')}
            </AppLink>
          </li>
        )}
      </ul>
    </nav>
  );
}
