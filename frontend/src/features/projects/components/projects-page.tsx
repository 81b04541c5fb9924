import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../../components/app-link';
import { Field, FormErrors } from '../../../components/field';
import { QueryError } from '../../../components/query-error';
import i18n from '../../../i18n/i18n';
import { ApiError } from '../../../lib/api-client';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { projectKeyPattern, type Project } from '../project.types';
import { useCreateProject, useDeleteProject, useProjects, useUpdateProject } from '../use-projects';

/** For admins (anyone, with accounts off): create, rename, archive, make default and delete empty projects. */
export function ProjectsPage() {
  const { t } = useTranslation();
  const projects = useProjects(true);
  useDocumentTitle(t('Projects'));

  let body;
  if (projects.isPending) {
    body = (
      <p className="state" role="status">
        {t('Loading projects…')}
      </p>
    );
  } else if (projects.isError) {
    body = <QueryError error={projects.error} what={t('the projects')} onRetry={() => void projects.refetch()} />;
  } else {
    body = (
      <ul className="item-list" aria-label={t('Projects')}>
        {projects.data.map((project) => (
          <ProjectItem key={project.id} project={project} />
        ))}
      </ul>
    );
  }

  return (
    <div className="page">
      <div className="page-header">
        <h2>{t('Projects')}</h2>
        <p className="muted">{t('A project groups tasks; its key starts the key of each of its tasks (TF-12).')}</p>
      </div>
      <section className="panel" aria-labelledby="new-project-heading">
        <h3 id="new-project-heading">{t('New project')}</h3>
        <CreateProjectForm />
      </section>
      <section className="panel" aria-labelledby="projects-heading">
        <h3 id="projects-heading">{t('All projects')}</h3>
        {body}
      </section>
    </div>
  );
}

type ProjectField = 'key' | 'name';
const serverFields: Record<string, ProjectField> = { key: 'key', name: 'name' };

function checkName(name: string): string | undefined {
  const length = [...name.trim()].length;
  if (length === 0) return i18n.t('Name is required.');
  if (length > 100) return i18n.t('Name must be at most {{max}} characters.', { max: 100 });
  return undefined;
}

function CreateProjectForm() {
  const { t } = useTranslation();
  const [values, setValues] = useState({ key: '', name: '' });
  const form = useFormSubmit<ProjectField>();
  const create = useCreateProject();
  const [created, setCreated] = useState<Project | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    const key = values.key.trim().toUpperCase();
    const ok = await form.run(
      (): FieldErrors<ProjectField> => ({
        key: projectKeyPattern.test(key) ? undefined : t('2 to 10 letters or digits, starting with a letter.'),
        name: checkName(values.name),
      }),
      async () => setCreated(await create.mutateAsync({ key, name: values.name.trim() })),
      (error) =>
        toFeedback(error, serverFields, (failure: ApiError) =>
          failure.status === 409 ? { fields: { key: t('Another project already has this key.') }, general: [] } : undefined,
        ),
    );
    if (ok) setValues({ key: '', name: '' });
  }

  return (
    <form className="panel-form inline-form" onSubmit={submit} noValidate aria-busy={form.busy} aria-label={t('New project')}>
      <FormErrors messages={form.feedback.general} />
      <div className="inline-form-fields">
        <Field
          label={t('Key')}
          name="key"
          value={values.key}
          onChange={(event) => {
            setValues((current) => ({ ...current, key: event.target.value }));
            form.clearField('key');
          }}
          error={form.feedback.fields.key}
          hint={t('Like WEB; it cannot change later.')}
          autoComplete="off"
          spellCheck={false}
        />
        <Field
          label={t('Name')}
          name="name"
          value={values.name}
          onChange={(event) => {
            setValues((current) => ({ ...current, name: event.target.value }));
            form.clearField('name');
          }}
          error={form.feedback.fields.name}
          autoComplete="off"
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button-primary" aria-disabled={form.busy}>
          {form.busy ? t('Creating…') : t('Create project')}
        </button>
        <p className="form-status" role="status">
          {created && t('Project {{key}} created.', { key: created.key })}
        </p>
      </div>
    </form>
  );
}

function ProjectItem({ project }: { project: Project }) {
  const { t } = useTranslation();
  const update = useUpdateProject();
  const remove = useDeleteProject();
  const [renaming, setRenaming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const nameId = useId();

  function change(changes: Parameters<typeof update.mutate>[0]['changes'], after?: () => void) {
    setFailure(null);
    update.mutate(
      { id: project.id, changes },
      { onSuccess: after, onError: (error) => setFailure(t('Could not change {{key}}: {{reason}}', { key: project.key, reason: error.message })) },
    );
  }

  function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '');
    const problem = checkName(name);
    if (problem) {
      setFailure(problem);
      return;
    }
    change({ name: name.trim() }, () => setRenaming(false));
  }

  const empty = project.task_count === 0;
  return (
    <li className={`item${project.archived ? ' item-disabled' : ''}`} data-project-key={project.key}>
      <div className="item-main">
        {renaming ? (
          <form className="rename-form" onSubmit={rename} aria-label={t('Rename {{key}}', { key: project.key })}>
            <label htmlFor={nameId} className="visually-hidden">
              {t('Name')}
            </label>
            <input id={nameId} name="name" defaultValue={project.name} autoFocus />
            <button type="submit" className="button-primary">
              {t('Save')}
            </button>
            <button type="button" onClick={() => setRenaming(false)}>
              {t('Cancel')}
            </button>
          </form>
        ) : (
          <p className="item-title">
            <span className="project-key">{project.key}</span> <AppLink href={`/projects/${project.key}`}>{project.name}</AppLink>{' '}
            {project.default && <span className="badge badge-current">{t('Default')}</span>}
            {project.archived && <span className="badge badge-archived">{t('Archived')}</span>}
          </p>
        )}
        <p className="item-meta muted">{t('{{count}} tasks', { count: project.task_count })}</p>
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
      </div>
      <div className="item-actions">
        {!renaming && (
          <button type="button" onClick={() => setRenaming(true)} aria-label={t('Rename {{key}}', { key: project.key })}>
            {t('Rename')}
          </button>
        )}
        {!project.default && !project.archived && (
          <button type="button" onClick={() => change({ default: true })} aria-label={t('Make {{key}} the default', { key: project.key })}>
            {t('Make default')}
          </button>
        )}
        {!project.default && (
          <button
            type="button"
            onClick={() => change({ archived: !project.archived })}
            aria-label={project.archived ? t('Unarchive {{key}}', { key: project.key }) : t('Archive {{key}}', { key: project.key })}
          >
            {project.archived ? t('Unarchive') : t('Archive')}
          </button>
        )}
        {!project.default && empty && (
          <button
            type="button"
            className="button-danger"
            onClick={() => {
              setFailure(null);
              remove.mutate(project.id, {
                onError: (error) => setFailure(t('Could not delete {{key}}: {{reason}}', { key: project.key, reason: error.message })),
              });
            }}
            aria-label={t('Delete {{key}}', { key: project.key })}
          >
            {t('Delete')}
          </button>
        )}
      </div>
    </li>
  );
}
