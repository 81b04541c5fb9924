import { useId, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CopyField } from '../../../components/copy-field';
import { Field, FormErrors } from '../../../components/field';
import { QueryError } from '../../../components/query-error';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { formatDateTime } from '../../tasks/task.types';
import { scopeLabel, type ApiToken, type NewApiToken, type TokenScope } from '../auth.types';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../use-account';
import { Trans, useTranslation } from 'react-i18next';

type TokenField = 'name' | 'scope' | 'expiresInDays';
const serverFields: Record<string, TokenField> = { name: 'name', scope: 'scope', expires_in_days: 'expiresInDays' };

// Code, the same in every language.
const bearerHeader = 'Authorization: Bearer <token>';

/** Tokens for scripts and REST clients: created with a scope and an optional expiry, shown once, revocable. */
export function ApiTokensSection() {
  const { t } = useTranslation();
  const tokens = useApiTokens();
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  let body;
  if (tokens.isPending) {
    body = (
      <p className="state" role="status">
        {t('Loading API tokens…')}
      </p>
    );
  } else if (tokens.isError) {
    body = <QueryError error={tokens.error} what={t('your API tokens')} onRetry={() => void tokens.refetch()} />;
  } else if (tokens.data.length === 0) {
    body = <p className="muted">{t('No API tokens yet.')}</p>;
  } else {
    body = (
      <ul className="item-list" aria-label={t('API tokens')}>
        {tokens.data.map((token) => (
          <li key={token.id} className="item">
            <div className="item-main">
              <p className="item-title">
                {token.name} <span className={`badge badge-scope-${token.scope}`}>{scopeLabel(token.scope)}</span>
              </p>
              <p className="item-meta muted">
                {t('Created {{when}}', { when: formatDateTime(token.created_at) })} ·{' '}
                {token.expires_at ? t('expires {{when}}', { when: formatDateTime(token.expires_at) }) : t('never expires')} ·{' '}
                {token.last_used_at ? t('last used {{when}}', { when: formatDateTime(token.last_used_at) }) : t('never used')}
              </p>
            </div>
            <button
              type="button"
              className="button-danger"
              onClick={() => setRevoking(token)}
              aria-label={t('Revoke the token “{{name}}”', { name: token.name })}
            >
              {t('Revoke')}
            </button>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h3 id="tokens-heading">{t('API tokens')}</h3>
      <p className="muted">
        <Trans
          i18nKey="For scripts and REST clients: send one as <code/>. A token reaches the tasks, never your account settings."
          components={{ code: <code>{bearerHeader}</code> }}
        />
      </p>
      {created ? (
        <div className="notice notice-success" role="status">
          <p className="state-title">{t('Token “{{name}}” created.', { name: created.name })}</p>
          <p>{t('Copy it now: it will not be shown again.')}</p>
          <CopyField label={t('Your new API token')} value={created.token} />
          <button type="button" onClick={() => setCreated(null)}>
            {t('Done')}
          </button>
        </div>
      ) : (
        <CreateTokenForm onCreated={setCreated} />
      )}
      {body}
      {revoking && <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} />}
    </section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: NewApiToken) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState({ name: '', scope: 'read' as TokenScope, expiresInDays: '' });
  const form = useFormSubmit<TokenField>();
  const createToken = useCreateApiToken();
  const scopeId = useId();

  function set<K extends TokenField>(field: K, value: (typeof values)[K]) {
    setValues((current) => ({ ...current, [field]: value }));
    form.clearField(field);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const days = values.expiresInDays.trim();
    await form.run(
      (): FieldErrors<TokenField> => {
        const name = [...values.name.trim()].length;
        return {
          name:
            name === 0
              ? t('Give the token a name, such as the script that will use it.')
              : name > 100
                ? t('Name must be at most {{max}} characters.', { max: 100 })
                : undefined,
          expiresInDays:
            days !== '' && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365)
              ? t('Enter a number of days from 1 to 365, or leave it empty for a token that does not expire.')
              : undefined,
        };
      },
      async () => {
        const token = await createToken.mutateAsync({
          name: values.name.trim(),
          scope: values.scope,
          ...(days ? { expires_in_days: Number(days) } : {}),
        });
        onCreated(token);
      },
      (error) => toFeedback(error, serverFields),
    );
  }

  return (
    <form className="panel-form inline-form" onSubmit={submit} noValidate aria-busy={form.busy} aria-label={t('Create an API token')}>
      <FormErrors messages={form.feedback.general} />
      <div className="inline-form-fields">
        <Field
          label={t('Token name')}
          name="name"
          value={values.name}
          onChange={(event) => set('name', event.target.value)}
          error={form.feedback.fields.name}
          autoComplete="off"
        />
        <div className="field">
          <label htmlFor={scopeId}>{t('Scope')}</label>
          <select id={scopeId} value={values.scope} onChange={(event) => set('scope', event.target.value as TokenScope)}>
            <option value="read">{scopeLabel('read')}</option>
            <option value="write">{scopeLabel('write')}</option>
          </select>
        </div>
        <Field
          label={t('Expires in (days)')}
          name="expires_in_days"
          inputMode="numeric"
          value={values.expiresInDays}
          onChange={(event) => set('expiresInDays', event.target.value)}
          error={form.feedback.fields.expiresInDays}
          hint={t('1–365; empty: never')}
          autoComplete="off"
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button-primary" aria-disabled={form.busy}>
          {form.busy ? t('Creating…') : t('Create token')}
        </button>
      </div>
    </form>
  );
}

function RevokeTokenDialog({ token, onClose }: { token: ApiToken; onClose: () => void }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiToken();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title={t('Revoke token?')}
      message={t('Scripts using “{{name}}” will get 401 from now on. This cannot be undone.', { name: token.name })}
      confirmLabel={t('Revoke')}
      pending={revoke.isPending}
      failure={failure}
      onConfirm={() =>
        revoke.mutate(token.id, {
          onSuccess: onClose,
          onError: (error) => setFailure(t('Could not revoke the token: {{reason}}', { reason: error.message })),
        })
      }
      onClose={onClose}
    />
  );
}
