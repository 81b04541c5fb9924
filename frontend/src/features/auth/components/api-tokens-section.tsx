import { useId, useState, type FormEvent } from 'react';
import { CopyField } from '../../../components/copy-field';
import { Field, FormErrors } from '../../../components/field';
import { Modal } from '../../../components/modal';
import { QueryError } from '../../../components/query-error';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { formatDateTime } from '../../tasks/task.types';
import { scopeLabels, type ApiToken, type NewApiToken, type TokenScope } from '../auth.types';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../use-account';

type TokenField = 'name' | 'scope' | 'expiresInDays';
const serverFields: Record<string, TokenField> = { name: 'name', scope: 'scope', expires_in_days: 'expiresInDays' };

/** Tokens for scripts and REST clients: created with a scope and an optional expiry, shown once, revocable. */
export function ApiTokensSection() {
  const tokens = useApiTokens();
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  let body;
  if (tokens.isPending) {
    body = (
      <p className="state" role="status">
        Loading API tokens…
      </p>
    );
  } else if (tokens.isError) {
    body = <QueryError error={tokens.error} what="your API tokens" onRetry={() => void tokens.refetch()} />;
  } else if (tokens.data.length === 0) {
    body = <p className="muted">No API tokens yet.</p>;
  } else {
    body = (
      <ul className="item-list" aria-label="API tokens">
        {tokens.data.map((token) => (
          <li key={token.id} className="item">
            <div className="item-main">
              <p className="item-title">
                {token.name} <span className={`badge badge-scope-${token.scope}`}>{scopeLabels[token.scope]}</span>
              </p>
              <p className="item-meta muted">
                Created {formatDateTime(token.created_at)} ·{' '}
                {token.expires_at ? `expires ${formatDateTime(token.expires_at)}` : 'never expires'} ·{' '}
                {token.last_used_at ? `last used ${formatDateTime(token.last_used_at)}` : 'never used'}
              </p>
            </div>
            <button
              type="button"
              className="button-danger"
              onClick={() => setRevoking(token)}
              aria-label={`Revoke the token “${token.name}”`}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h3 id="tokens-heading">API tokens</h3>
      <p className="muted">
        For scripts and REST clients: send one as <code>Authorization: Bearer &lt;token&gt;</code>. A token reaches the
        tasks, never your account settings.
      </p>
      {created ? (
        <div className="notice notice-success" role="status">
          <p className="state-title">Token “{created.name}” created.</p>
          <p>Copy it now: it will not be shown again.</p>
          <CopyField label="Your new API token" value={created.token} />
          <button type="button" onClick={() => setCreated(null)}>
            Done
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
          name: name === 0 ? 'Give the token a name, such as the script that will use it.' : name > 100 ? 'Name must be at most 100 characters.' : undefined,
          expiresInDays:
            days !== '' && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365)
              ? 'Enter a number of days from 1 to 365, or leave it empty for a token that does not expire.'
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
    <form className="panel-form inline-form" onSubmit={submit} noValidate aria-busy={form.busy} aria-label="Create an API token">
      <FormErrors messages={form.feedback.general} />
      <div className="inline-form-fields">
        <Field
          label="Token name"
          name="name"
          value={values.name}
          onChange={(event) => set('name', event.target.value)}
          error={form.feedback.fields.name}
          autoComplete="off"
        />
        <div className="field">
          <label htmlFor={scopeId}>Scope</label>
          <select id={scopeId} value={values.scope} onChange={(event) => set('scope', event.target.value as TokenScope)}>
            <option value="read">{scopeLabels.read}</option>
            <option value="write">{scopeLabels.write}</option>
          </select>
        </div>
        <Field
          label="Expires in (days)"
          name="expires_in_days"
          inputMode="numeric"
          value={values.expiresInDays}
          onChange={(event) => set('expiresInDays', event.target.value)}
          error={form.feedback.fields.expiresInDays}
          hint="1–365; empty: never"
          autoComplete="off"
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}

function RevokeTokenDialog({ token, onClose }: { token: ApiToken; onClose: () => void }) {
  const revoke = useRevokeApiToken();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <Modal title="Revoke token?" onClose={onClose}>
      <p>Scripts using “{token.name}” will get 401 from now on. This cannot be undone.</p>
      {failure && (
        <div className="form-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button-danger"
          data-autofocus
          disabled={revoke.isPending}
          onClick={() =>
            revoke.mutate(token.id, {
              onSuccess: onClose,
              onError: (error) => setFailure(`Could not revoke the token: ${error.message}`),
            })
          }
        >
          Revoke
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
