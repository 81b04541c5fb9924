import { useId, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultLabelColor } from '../label.types';
import { useCreateLabel, useLabels } from '../use-labels';

interface LabelPickerProps {
  selected: string[];
  onChange: (ids: string[]) => void;
}

/** The task's labels as checkboxes, with a way to create a label on the spot (it is then picked). */
export function LabelPicker({ selected, onChange }: LabelPickerProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  const create = useCreateLabel();
  const [name, setName] = useState('');
  const [color, setColor] = useState(defaultLabelColor);
  const [failure, setFailure] = useState<string | null>(null);
  const nameId = useId();
  const colorId = useId();
  if (!labels.data) return null;

  function toggle(id: string, on: boolean) {
    onChange(on ? [...selected, id] : selected.filter((candidate) => candidate !== id));
  }

  function add() {
    const trimmed = name.trim();
    if (trimmed === '' || [...trimmed].length > 50) {
      setFailure(t('A label name has 1 to 50 characters.'));
      return;
    }
    setFailure(null);
    create.mutate(
      { name: trimmed, color },
      {
        onSuccess: (label) => {
          onChange([...selected, label.id]);
          setName('');
        },
        onError: (error) => setFailure(t('Could not create the label: {{reason}}', { reason: error.message })),
      },
    );
  }

  return (
    <fieldset className="label-picker">
      <legend>{t('Labels')}</legend>
      {labels.data.length > 0 && (
        <ul>
          {labels.data.map((label) => (
            <li key={label.id}>
              <label>
                <input
                  type="checkbox"
                  checked={selected.includes(label.id)}
                  onChange={(event) => toggle(label.id, event.target.checked)}
                />{' '}
                <span className="label-swatch" style={{ background: label.color } as CSSProperties} aria-hidden="true" />
                {label.name}
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="label-create">
        <label htmlFor={nameId} className="visually-hidden">
          {t('New label')}
        </label>
        <input
          id={nameId}
          value={name}
          placeholder={t('New label')}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            // Enter adds the label rather than submitting the task's form.
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <label htmlFor={colorId} className="visually-hidden">
          {t('Colour')}
        </label>
        <input id={colorId} type="color" value={color} onChange={(event) => setColor(event.target.value)} />
        <button type="button" onClick={add} disabled={create.isPending}>
          {t('Create label')}
        </button>
      </div>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
    </fieldset>
  );
}
