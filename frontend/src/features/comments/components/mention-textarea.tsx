import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Person } from '../comment.types';
import { insertMention, matchPeople, mentionAt, type MentionQuery } from '../mentions';

interface MentionTextareaProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** Ctrl+Enter or Cmd+Enter. */
  onSubmit: () => void;
  /** Who can be mentioned. */
  people: readonly Person[];
  disabled?: boolean;
  describedBy?: string;
  rows?: number;
}

/**
 * A textarea where "@" followed by part of a name offers the members to mention: arrows move through them, Enter
 * or Tab inserts the chosen one's `<@USER_ID>` token, Escape closes the list (and leaves the text as typed).
 */
export function MentionTextarea({ id, value, onChange, onSubmit, people, disabled, describedBy, rows = 3 }: MentionTextareaProps) {
  const { t } = useTranslation();
  const listId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const pendingCaret = useRef<number | null>(null);
  const options = query ? matchPeople(people, query.text) : [];
  const open = query !== null && options.length > 0;

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !field.current) return;
    field.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  }, [value]);

  const look = (text: string, caret: number) => {
    setQuery(mentionAt(text, caret));
    setActive(0);
  };

  const choose = (person: Person) => {
    if (!query || !field.current) return;
    const next = insertMention(value, query, field.current.selectionStart, person);
    pendingCaret.current = next.caret;
    setQuery(null);
    onChange(next.body);
    field.current.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      setQuery(null);
      onSubmit();
      return;
    }
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      choose(options[Math.min(active, options.length - 1)]);
    } else if (event.key === 'Escape') {
      // Only the list closes: a dialog around the field stays open, and the text stays as typed.
      event.preventDefault();
      event.stopPropagation();
      setQuery(null);
    }
  };

  return (
    <div className="mention-field">
      <textarea
        ref={field}
        id={id}
        rows={rows}
        value={value}
        disabled={disabled}
        aria-describedby={describedBy}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${Math.min(active, options.length - 1)}` : undefined}
        onChange={(event) => {
          onChange(event.target.value);
          look(event.target.value, event.target.selectionStart);
        }}
        onSelect={(event) => {
          const target = event.currentTarget;
          if (target.selectionStart === target.selectionEnd) setQuery(mentionAt(target.value, target.selectionStart));
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setQuery(null)}
      />
      {open && (
        <ul className="mention-options" id={listId} role="listbox" aria-label={t('Members to mention')}>
          {options.map((person, index) => (
            <li
              key={person.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'mention-option active' : 'mention-option'}
              // Chosen on mouse down, before the textarea's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(person);
              }}
            >
              @{person.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
