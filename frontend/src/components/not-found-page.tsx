import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../lib/use-document-title';
import { AppLink } from './app-link';

/** Any address the app has no page for. */
export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('Page not found'));
  return (
    <div className="state state-empty" role="alert">
      <h2 className="state-title">{t('Page not found')}</h2>
      <p>{t('There is no page at this address. It may have moved, or the link may be mistyped.')}</p>
      <AppLink href="/">{t('Go to the tasks')}</AppLink>
    </div>
  );
}
