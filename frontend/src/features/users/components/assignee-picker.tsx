import { useCombobox } from 'downshift';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/use-auth';
import { useUsers } from '../use-users';

interface AssigneePickerProps {
  /** A member's id, or '' for nobody. */
  value: string;
  onChange: (id: string) => void;
}

interface Choice {
  id: string;
  label: string;
}

/** Case and accents do not matter when searching names ("zoe" finds "Zoé"). */
const fold = (text: string) => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLocaleLowerCase();

/**
 * The member a task is assigned to: a combobox over the team (Downshift's, with the WAI-ARIA keyboard: type to
 * search, arrows, Enter, Escape), "Nobody" first. Only with accounts on: with accounts off there are no members
 * (docs/API.md, Modes).
 */
export function AssigneePicker({ value, onChange }: AssigneePickerProps) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const users = useUsers(me !== null);
  const choices = useMemo<Choice[] | null>(() => {
    if (!me || !users.data) return null;
    // Disabled members keep their assignments but cannot get new ones.
    const members = users.data.filter((user) => !user.disabled || user.id === value).sort((a, b) => a.name.localeCompare(b.name));
    return [
      { id: '', label: t('Nobody') },
      ...members.map((member) => ({ id: member.id, label: member.id === me.id ? t('{{name}} (you)', { name: member.name }) : member.name })),
    ];
  }, [me, users.data, value, t]);
  // The combobox exists only once there are members to offer (Downshift expects its elements from the first render).
  return choices ? <MemberCombobox choices={choices} value={value} onChange={onChange} /> : null;
}

function MemberCombobox({ choices, value, onChange }: AssigneePickerProps & { choices: Choice[] }) {
  const { t } = useTranslation();
  const selected = choices.find((choice) => choice.id === value) ?? null;
  const [search, setSearch] = useState<string | null>(null);
  const shown = search === null || search === selected?.label ? choices : choices.filter((choice) => fold(choice.label).includes(fold(search)));

  const combobox = useCombobox<Choice>({
    items: shown,
    selectedItem: selected,
    itemToString: (choice) => choice?.label ?? '',
    itemToKey: (choice) => choice?.id,
    // Nobody assigned shows an empty field (its placeholder), ready for a name.
    inputValue: search ?? (selected?.id ? selected.label : ''),
    onInputValueChange: ({ inputValue, type }) => {
      // Typing searches; a pick or Escape shows the chosen member's name again.
      if (type === useCombobox.stateChangeTypes.InputChange) setSearch(inputValue);
    },
    onSelectedItemChange: ({ selectedItem }) => {
      setSearch(null);
      if (selectedItem) onChange(selectedItem.id);
    },
    onIsOpenChange: ({ isOpen }) => {
      if (!isOpen) setSearch(null);
    },
  });

  return (
    <div className="field assignee-picker">
      <label {...combobox.getLabelProps()}>{t('Assigned member')}</label>
      <div className="assignee-picker-control">
        <input
          {...combobox.getInputProps({
            name: 'assigneeSearch',
            autoComplete: 'off',
            placeholder: t('Type a name'),
            // Typing replaces the current name rather than adding to it.
            onFocus: (event) => event.currentTarget.select(),
          })}
        />
        <button type="button" className="button-ghost" {...combobox.getToggleButtonProps({ 'aria-label': t('Show the members') })}>
          ▾
        </button>
      </div>
      <ul className="assignee-picker-menu" {...combobox.getMenuProps()} hidden={!combobox.isOpen || shown.length === 0}>
        {combobox.isOpen &&
          shown.map((choice, index) => (
            <li
              key={choice.id || 'nobody'}
              className={index === combobox.highlightedIndex ? 'highlighted' : undefined}
              {...combobox.getItemProps({ item: choice, index })}
            >
              {choice.label}
            </li>
          ))}
      </ul>
      {combobox.isOpen && shown.length === 0 && (
        <p className="muted small" role="status">
          {t('No member matches “{{search}}”', { search: search ?? '' })}
        </p>
      )}
    </div>
  );
}
