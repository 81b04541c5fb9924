import { useEffect } from 'react';

/** The browser tab's title, which screen readers also announce when a page of the app replaces another. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · TaskFlow` : 'TaskFlow';
  }, [title]);
}
