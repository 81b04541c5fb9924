import type { ReactNode } from 'react';
import { useDocumentTitle } from '../../../lib/use-document-title';

interface AuthCardProps {
  title: string;
  children: ReactNode;
}

/** The frame of the pages seen before signing in: set-up, sign-in, registration. */
export function AuthCard({ title, children }: AuthCardProps) {
  useDocumentTitle(title);
  return (
    <div className="auth-page">
      <main id="main" className="auth-card" tabIndex={-1}>
        <p className="auth-brand">
          <span aria-hidden="true">✓</span> TaskFlow
        </p>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
