import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface CopyFieldProps {
  label: string;
  value: string;
}

/** A read-only value with a Copy button, for links and tokens shown once. */
export function CopyField({ label, value }: CopyFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setResult('copied');
    } catch {
      // No clipboard access (an http page, a refused permission): leave the text selected for Ctrl+C.
      input.current?.select();
      setResult('failed');
    }
  }

  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field-row">
        <input id={id} ref={input} readOnly value={value} onFocus={(event) => event.target.select()} spellCheck={false} />
        <button type="button" onClick={() => void copy()}>
          {result === 'copied' ? t('Copied') : t('Copy')}
        </button>
      </div>
      <span className="field-hint" role="status">
        {result === 'copied'
          ? t('Copied to the clipboard.')
          : result === 'failed'
            ? t('Press Ctrl+C (or ⌘C) to copy the selected text.')
            : ''}
      </span>
    </div>
  );
}
