import { Injectable } from '@nestjs/common';
import { TaskChanges } from './dto/create-task.dto';
import { TaskResponse } from './dto/task-response.dto';
import { TaskAuthor } from './task-author';
import { ExtraRows } from './task-writes';

/** A task write about to happen: the task before and after it, in wire form (null for a creation's before, a deletion's after). */
export interface TaskWriteEvent {
  kind: 'created' | 'updated' | 'deleted';
  before: TaskResponse | null;
  after: TaskResponse | null;
  actor: TaskAuthor;
  at: Date;
  /** The ids of the task's watchers, read with the task when a hook asked for them (see TaskWriteHooks.register). */
  watcherIds?: string[];
}

/** What other features add to a task write, in its transaction. */
export interface TaskWriteEffects {
  /** Rows inserted only if the write happens (notifications, watchers). */
  extras: ExtraRows[];
  /** Tables whose rows of a deleted task (`task_id` column) go with it. */
  alsoDeleteFrom: string[];
}

export type TaskWriteHook = (event: TaskWriteEvent) => Promise<Partial<TaskWriteEffects>>;

/** Whether a hook needs the watchers of the task an update (with its body) or a deletion is about to change. */
export type WatchersWanted = (kind: 'updated' | 'deleted', changes: TaskChanges | null) => boolean;

/**
 * Lets features that build on tasks (notifications, watchers, comments) add their rows to a task's write
 * without TasksService knowing them: they register a hook at start-up, and every write asks the hooks.
 */
@Injectable()
export class TaskWriteHooks {
  private readonly hooks: TaskWriteHook[] = [];
  private readonly watchersWanted: WatchersWanted[] = [];

  /**
   * `watchersWanted`: when the hook reads the task's watchers, so that they are read with the task, in the one
   * statement before the write (event.watcherIds), rather than in a round trip of their own.
   */
  register(hook: TaskWriteHook, options: { watchersWanted?: WatchersWanted } = {}): void {
    this.hooks.push(hook);
    if (options.watchersWanted) this.watchersWanted.push(options.watchersWanted);
  }

  wantWatchers(kind: 'updated' | 'deleted', changes: TaskChanges | null): boolean {
    return this.watchersWanted.some((wanted) => wanted(kind, changes));
  }

  async effectsOf(event: TaskWriteEvent): Promise<TaskWriteEffects> {
    const effects: TaskWriteEffects = { extras: [], alsoDeleteFrom: [] };
    for (const hook of this.hooks) {
      const added = await hook(event);
      effects.extras.push(...(added.extras ?? []));
      effects.alsoDeleteFrom.push(...(added.alsoDeleteFrom ?? []));
    }
    return effects;
  }
}
