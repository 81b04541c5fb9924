import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/use-auth';
import { useUsers } from '../use-users';

interface AssigneePickerProps {
  /** A member's id, or '' for nobody. */
  value: string;
  onChange: (id: string) => void;
}

/**
 * The member a task is assigned to, picked from the team (type to jump to a name). Only with accounts on: with
 * accounts off there are no members (docs/API.md, Modes).
 */
export function AssigneePicker({ value, onChange }: AssigneePickerProps) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const users = useUsers(me !== null);
  const id = useId();
  if (!me || !users.data) return null;
  // Disabled members keep their assignments but cannot get new ones.
  const members = users.data.filter((user) => !user.disabled || user.id === value).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="field">
      <label htmlFor={id}>{t('Assigned member')}</label>
      <select id={id} name="assigneeId" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('Nobody')}</option>
        {members.map((member) => (
          <option key={member.id} value={member.id}>
            {member.id === me.id ? t('{{name}} (you)', { name: member.name }) : member.name}
          </option>
        ))}
      </select>
    </div>
  );
}
