import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../../lib/api-client';
import {
  mapServerMessages,
  validateTaskForm,
  type TaskFormErrors,
  type TaskFormField,
  type TaskFormValues,
} from '../task-form-values';
import { priorityLabel, statusLabel, taskLimits, taskPriorities, taskStatuses } from '../task.types';
import { useTranslation } from 'react-i18next';
import { LabelPicker } from '../../labels/components/label-picker';
import { AssigneePicker } from '../../users/components/assignee-picker';
import { ProjectPicker } from '../../projects/components/project-picker';
import { useReportUnsavedChanges } from '../../../components/unsaved-changes';
import { isOffline, useOnline } from '../../../lib/use-online';

interface TaskFormProps {
  /** The stored version's values: what "unsaved changes" compares with. */
  initialValues: TaskFormValues;
  /** What the form starts with when it is not the stored version: a draft carried over onto a newer version. */
  draft?: TaskFormValues;
  submitLabel: string;
  /** Resolves when saved; a rejected ApiError 422 puts the server's messages beside the fields. */
  onSubmit: (values: TaskFormValues) => Promise<void>;
  onCancel: () => void;
  /** Shown above the fields, for news about the task itself (someone else changed it); given what the form holds. */
  notice?: ReactNode | ((values: TaskFormValues) => ReactNode);
  /**
   * The project, member assignee and labels too (creating, the task page); the quick-edit dialog leaves them out to
   * stay short enough for a phone.
   */
  withRelations?: boolean;
}

const fieldOrder: TaskFormField[] = ['title', 'description', 'status', 'priority', 'assignee', 'dueDate'];

export function TaskForm({ initialValues, draft, submitLabel, onSubmit, onCancel, notice, withRelations = true }: TaskFormProps) {
  const { t } = useTranslation();
  const [values, setValues] = useState(draft ?? initialValues);
  const [errors, setErrors] = useState<TaskFormErrors>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const online = useOnline();
  useReportUnsavedChanges(JSON.stringify(values) !== JSON.stringify(initialValues));

  function set<K extends TaskFormField>(field: K, value: TaskFormValues[K]) {
    setValues((current) => ({ ...current, [field]: value }));
    // A message about a value the person is already changing would be about the old value.
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  }

  function focusFirstError(found: TaskFormErrors) {
    const first = fieldOrder.find((field) => found[field]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateTaskForm(values);
    setGeneral([]);
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      focusFirstError(found);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await onSubmit(values);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        const mapped = mapServerMessages(error.messages);
        setErrors(mapped.fields);
        setGeneral(mapped.general);
        focusFirstError(mapped.fields);
      } else if (error instanceof DOMException && error.name === 'AbortError') {
        // Cancelled by the person: the form is going away.
      } else if (error instanceof ApiError && error.status === 0 && isOffline()) {
        setGeneral([t('You are offline, so nothing was saved. What you typed is still here: save again once you are back online.')]);
      } else {
        setGeneral([error instanceof Error ? error.message : String(error)]);
      }
    } finally {
      setSaving(false);
    }
  }

  const describedBy = (field: TaskFormField, hint?: boolean) =>
    [errors[field] ? `${id}-${field}-error` : null, hint ? `${id}-${field}-hint` : null].filter(Boolean).join(' ') ||
    undefined;
  const errorText = (field: TaskFormField) =>
    errors[field] ? (
      <p className="field-error" id={`${id}-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;
  const counter = (field: 'title' | 'description' | 'assignee') => (
    <span className="field-hint" id={`${id}-${field}-hint`}>
      {[...values[field]].length} / {taskLimits[field]}
    </span>
  );

  return (
    <form ref={formRef} className="task-form" onSubmit={submit} noValidate aria-busy={saving}>
      {typeof notice === 'function' ? notice(values) : notice}
      {/* Always present, so that screen readers announce the notice when it appears. */}
      <div role="status">
        {!online && (
          <p className="notice notice-warning" data-testid="offline-notice">
            {t('You are offline. What you type stays in this form; it can be saved once the connection is back.')}
          </p>
        )}
      </div>
      {general.length > 0 && (
        <div className="form-error" role="alert">
          {general.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('Title')}</label>
        <input
          id={`${id}-title`}
          name="title"
          value={values.title}
          onChange={(event) => set('title', event.target.value)}
          aria-invalid={Boolean(errors.title)}
          aria-describedby={describedBy('title', true)}
          aria-required="true"
          data-autofocus
        />
        {counter('title')}
        {errorText('title')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>{t('Description')}</label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={4}
          value={values.description}
          onChange={(event) => set('description', event.target.value)}
          aria-invalid={Boolean(errors.description)}
          aria-describedby={describedBy('description', true)}
        />
        {counter('description')}
        {errorText('description')}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('Status')}</label>
          <select
            id={`${id}-status`}
            name="status"
            value={values.status}
            onChange={(event) => set('status', event.target.value as TaskFormValues['status'])}
            aria-invalid={Boolean(errors.status)}
            aria-describedby={describedBy('status')}
          >
            {taskStatuses.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)}
              </option>
            ))}
          </select>
          {errorText('status')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-priority`}>{t('Priority')}</label>
          <select
            id={`${id}-priority`}
            name="priority"
            value={values.priority}
            onChange={(event) => set('priority', event.target.value as TaskFormValues['priority'])}
            aria-invalid={Boolean(errors.priority)}
            aria-describedby={describedBy('priority')}
          >
            {taskPriorities.map((priority) => (
              <option key={priority} value={priority}>
                {priorityLabel(priority)}
              </option>
            ))}
          </select>
          {errorText('priority')}
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-assignee`}>{t('Assignee')}</label>
          <input
            id={`${id}-assignee`}
            name="assignee"
            value={values.assignee}
            onChange={(event) => set('assignee', event.target.value)}
            aria-invalid={Boolean(errors.assignee)}
            aria-describedby={describedBy('assignee', true)}
            autoComplete="off"
          />
          {counter('assignee')}
          {errorText('assignee')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-dueDate`}>{t('Due date')}</label>
          <input
            id={`${id}-dueDate`}
            name="dueDate"
            type="datetime-local"
            value={values.dueDate}
            onChange={(event) => set('dueDate', event.target.value)}
            aria-invalid={Boolean(errors.dueDate)}
            aria-describedby={describedBy('dueDate')}
          />
          {errorText('dueDate')}
        </div>
      </div>
      {withRelations && (
        <>
          <ProjectPicker value={values.projectId} onChange={(projectId) => set('projectId', projectId)} />
          <AssigneePicker value={values.assigneeId} onChange={(assigneeId) => set('assigneeId', assigneeId)} />
          <LabelPicker selected={values.labelIds} onChange={(labelIds) => set('labelIds', labelIds)} />
        </>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={saving}>
          {saving ? t('Saving…') : submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {t('Cancel')}
        </button>
      </div>
    </form>
  );
}
