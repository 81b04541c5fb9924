import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useProjects } from '../use-projects';

interface ProjectPickerProps {
  /** A project id, or '' for the default project. */
  value: string;
  onChange: (id: string) => void;
}

/** The project a task is in; choosing another moves it there. Nothing on a server from before projects. */
export function ProjectPicker({ value, onChange }: ProjectPickerProps) {
  const { t } = useTranslation();
  const projects = useProjects();
  const id = useId();
  if (!projects.data) return null;
  const selected = value || projects.data.find((project) => project.default)?.id || '';
  return (
    <div className="field">
      <label htmlFor={id}>{t('Project')}</label>
      <select id={id} name="projectId" value={selected} onChange={(event) => onChange(event.target.value)}>
        {projects.data.map((project) => (
          <option key={project.id} value={project.id}>
            {project.key} · {project.name}
          </option>
        ))}
      </select>
    </div>
  );
}
