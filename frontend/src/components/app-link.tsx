import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigateTo } from '../lib/navigation';

interface AppLinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string;
}

/** A link to a page of the app: a real link (it opens in a new tab too), followed in this tab without a reload. */
export function AppLink({ href, onClick, ...rest }: AppLinkProps) {
  return (
    <a
      href={href}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(event);
        if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
        event.preventDefault();
        navigateTo(href);
      }}
      {...rest}
    />
  );
}
