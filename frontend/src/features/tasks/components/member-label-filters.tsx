import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../auth/use-auth';
import { useLabels } from '../../labels/use-labels';
import { useUsers } from '../../users/use-users';

interface FilterProps {
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}

/** "Assigned to": anyone, me, nobody or a member. Only with accounts on, where tasks have member assignees. */
export function MemberFilter({ value, onChange }: FilterProps) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const users = useUsers(me !== null);
  if (!me) return null;
  return (
    <div className="field">
      <label htmlFor="filter-assignee-id">{t('Assigned to')}</label>
      <select id="filter-assignee-id" value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">{t('Anyone')}</option>
        <option value="me">{t('Me')}</option>
        <option value="none">{t('Nobody')}</option>
        {(users.data ?? [])
          .filter((user) => user.id !== me.id)
          .map((user) => (
            <option key={user.id} value={user.id}>
              {user.name}
            </option>
          ))}
      </select>
    </div>
  );
}

/** Tasks carrying a label; nothing on a server from before labels. */
export function LabelFilter({ value, onChange }: FilterProps) {
  const { t } = useTranslation();
  const labels = useLabels();
  if (!labels.data || labels.data.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor="filter-label">{t('Label')}</label>
      <select id="filter-label" value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">{t('Any label')}</option>
        {labels.data.map((label) => (
          <option key={label.id} value={label.id}>
            {label.name}
          </option>
        ))}
      </select>
    </div>
  );
}
