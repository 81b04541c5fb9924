import { act } from '@testing-library/react';
import type { TaskChange } from '../features/tasks/task.types';

type Listener = (event: MessageEvent<string>) => void;

/**
 * A stand-in for the browser's EventSource, which jsdom lacks: it records every stream the app opens, and tests
 * open, feed and break them by hand.
 */
export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readyState = FakeEventSource.CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: Listener | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(url: string | URL) {
    this.url = String(url);
    FakeEventSource.instances.push(this);
  }

  /** The stream opened last. */
  static latest(): FakeEventSource {
    const latest = FakeEventSource.instances.at(-1);
    if (!latest) throw new Error('The app opened no event stream');
    return latest;
  }

  static reset(): void {
    FakeEventSource.instances = [];
  }

  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  get params(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  /** The server answered 200 and the stream is open. */
  open(): void {
    act(() => {
      this.readyState = FakeEventSource.OPEN;
      this.onopen?.(new Event('open'));
    });
  }

  /** One event, as the server writes it: `id: <cursor>`, `event: task.<kind>`, `data: <change>`. */
  emit(change: TaskChange): void {
    if (this.readyState === FakeEventSource.CLOSED) throw new Error('This stream was closed');
    const event = new MessageEvent<string>(`task.${change.kind}`, { data: JSON.stringify(change), lastEventId: change.cursor });
    act(() => {
      for (const listener of this.listeners.get(event.type) ?? []) listener(event);
    });
  }

  /** Any named event (`comment.created`, `notification`) with its data as the server writes it. */
  emitNamed(type: string, data: unknown, lastEventId = ''): void {
    if (this.readyState === FakeEventSource.CLOSED) throw new Error('This stream was closed');
    const event = new MessageEvent<string>(type, { data: JSON.stringify(data), lastEventId });
    act(() => {
      for (const listener of this.listeners.get(type) ?? []) listener(event);
    });
  }

  /** The connection failed or ended; a browser would now try again by itself. */
  fail(): void {
    act(() => {
      this.readyState = FakeEventSource.CONNECTING;
      this.onerror?.(new Event('error'));
    });
  }
}
