import { useEffect, useRef, useState, type InputHTMLAttributes } from 'react';

interface DebouncedInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> {
  value: string;
  onCommit: (value: string) => void;
  delayMs?: number;
}

/** A text input that reports its value once typing pauses (or on Enter), not on every keystroke. */
export function DebouncedInput({ value, onCommit, delayMs = 300, onKeyDown, ...props }: DebouncedInputProps) {
  const [text, setText] = useState(value);
  const [committed, setCommitted] = useState(value);
  const onCommitRef = useRef(onCommit);

  useEffect(() => {
    onCommitRef.current = onCommit;
  }, [onCommit]);

  // The value changed elsewhere (back button, "Clear filters"); a value that is just the trimmed text
  // leaves the text alone, so a space typed between two words survives its own commit.
  if (value !== committed) {
    setCommitted(value);
    if (value !== text.trim()) setText(value);
  }

  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => onCommitRef.current(text.trim()), delayMs);
    return () => clearTimeout(timer);
  }, [text, value, delayMs]);

  return (
    <input
      {...props}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && text.trim() !== value) onCommitRef.current(text.trim());
        onKeyDown?.(event);
      }}
    />
  );
}
