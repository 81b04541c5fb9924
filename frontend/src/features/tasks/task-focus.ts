import { useEffect, type RefObject } from 'react';

/**
 * Keyboard focus on the task screens: where it goes when the item that held it leaves the screen (a status change in
 * a filtered list, a delete) or comes back (undo), so that it never drops to the page body.
 */

/** The element of a task row or card that takes focus: its marked target, or the item itself. */
function focusTargetOf(item: Element): HTMLElement | null {
  return item.querySelector<HTMLElement>('[data-task-focus]') ?? (item instanceof HTMLElement ? item : null);
}

function taskItem(root: ParentNode, id: string): Element | null {
  return root.querySelector(`[data-task-id="${CSS.escape(id)}"]`);
}

/** Focuses a task's row or card as soon as it is on screen (after a render, or the next few), and scrolls it in. */
export function focusTask(id: string, attempts = 30): void {
  const item = taskItem(document, id);
  const target = item && focusTargetOf(item);
  if (target) {
    target.focus();
    return;
  }
  if (attempts > 0) requestAnimationFrame(() => focusTask(id, attempts - 1));
}

/** Whether focus is nowhere in particular: on the body, or on an element no longer in the page. */
export function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || !active.isConnected;
}

/**
 * Watches the `[data-task-id]` items inside `container`: when the item last focused leaves while focus is lost, focus
 * goes to the next item there was after it, or the one before it, or the element marked `data-focus-fallback` (the
 * list's heading).
 */
export function useFocusRescue(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    let last: { id: string; order: string[] } | null = null;
    const idsIn = (element: ParentNode) =>
      Array.from(element.querySelectorAll('[data-task-id]'), (item) => item.getAttribute('data-task-id') ?? '');

    function remember(event: FocusEvent) {
      const item = (event.target as Element | null)?.closest?.('[data-task-id]');
      if (item && root?.contains(item)) last = { id: item.getAttribute('data-task-id') ?? '', order: idsIn(root) };
    }
    function rescue() {
      if (!root || !last || taskItem(root, last.id)) return;
      // A card on its way to another column (the board marks it) is briefly in neither: the board focuses it again.
      if (root.querySelector(`[data-focus-hold="${CSS.escape(last.id)}"]`)) return;
      // A dialog still open holds focus itself and gives it back when it closes; only focus that is lost is rescued.
      if (!focusLost()) return;
      const at = last.order.indexOf(last.id);
      const candidates = [...last.order.slice(at + 1), ...last.order.slice(0, at).reverse()];
      const next = candidates.map((id) => taskItem(root, id)).find((item) => item !== null);
      const target = next ? focusTargetOf(next) : root.querySelector<HTMLElement>('[data-focus-fallback]');
      last = null;
      target?.focus();
    }
    // Focus leaves with the element the browser removes, after the render: look once the DOM has changed.
    const observer = new MutationObserver(() => rescue());
    observer.observe(root, { childList: true, subtree: true });
    root.addEventListener('focusin', remember);
    return () => {
      observer.disconnect();
      root.removeEventListener('focusin', remember);
    };
  }, [container]);
}
