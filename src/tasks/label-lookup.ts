import { DataSource } from 'typeorm';
import { TaskLabel } from './task.entity';

/** How long labels read from the database answer without reading them again. */
export const LABELS_FRESH_MS = 2_000;

/**
 * The labels a write or a filter names, checked and with their names, without a query per request: all labels
 * (a team has tens, not thousands) are read at once and kept for LABELS_FRESH_MS. An id not among them makes
 * a new read before it is refused, so a label another instance just created is found. This instance's own
 * label writes clear the copy at once; another instance's rename or deletion is seen within 2 seconds (a task
 * labelled meanwhile with a deleted label keeps an orphan row, which reads ignore, as after any such race).
 */
export class LabelLookup {
  private byId: Map<string, TaskLabel> | undefined;
  private readAt = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** The labels with these ids, ordered by name then id; undefined when one of them does not exist. */
  async find(ids: string[]): Promise<TaskLabel[] | undefined> {
    let labels = this.fresh() ? this.pick(ids) : undefined;
    if (!labels) {
      await this.read();
      labels = this.pick(ids);
    }
    return labels?.sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
  }

  /** After a label write here: the next lookup reads them again. */
  forget(): void {
    this.byId = undefined;
  }

  private fresh(): boolean {
    return this.byId !== undefined && Date.now() - this.readAt < LABELS_FRESH_MS;
  }

  private pick(ids: string[]): TaskLabel[] | undefined {
    const labels: TaskLabel[] = [];
    for (const id of ids) {
      const label = this.byId?.get(id);
      if (!label) return undefined;
      labels.push({ ...label });
    }
    return labels;
  }

  private async read(): Promise<void> {
    const rows: TaskLabel[] = await this.dataSource.query('SELECT id, name, color FROM labels');
    this.byId = new Map(rows.map((row) => [row.id, row]));
    this.readAt = Date.now();
  }
}
