import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/unique-violation';
import { isIssuedId } from '../http/issued-id';
import { TaskAuthor } from '../tasks/task-author';
import { TasksService } from '../tasks/tasks.service';
import { CreateLabelDto, UpdateLabelDto } from './dto/label.dto';
import { DEFAULT_LABEL_COLOR, Label } from './label.entity';

export interface LabelWithCount {
  label: Label;
  taskCount: number;
}

@Injectable()
export class LabelsService {
  constructor(
    @InjectRepository(Label) private readonly labels: Repository<Label>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: TasksService,
  ) {}

  async findAll(): Promise<LabelWithCount[]> {
    const [labels, counts] = await Promise.all([
      this.labels.find({ order: { name: 'ASC', id: 'ASC' } }),
      // The counters (kept per project by triggers) rather than a count over every label row.
      this.dataSource.query<Array<{ label_id: string; total: string | number }>>('SELECT label_id, SUM(count) AS total FROM task_label_counts GROUP BY label_id'),
    ]);
    const byLabel = new Map(counts.map((row) => [row.label_id, Number(row.total)]));
    return labels.map((label) => ({ label, taskCount: byLabel.get(label.id) ?? 0 }));
  }

  async findOne(id: string): Promise<Label> {
    const label = isIssuedId(id) ? await this.labels.findOneBy({ id }) : null;
    if (!label) throw new NotFoundException(`Label ${id} not found`);
    return label;
  }

  async withCount(label: Label): Promise<LabelWithCount> {
    const placeholder = this.dataSource.options.type === 'postgres' ? '$1' : '?';
    const [row] = await this.dataSource.query<Array<{ total: string | number }>>(
      `SELECT COALESCE(SUM(count), 0) AS total FROM task_label_counts WHERE label_id = ${placeholder}`,
      [label.id],
    );
    return { label, taskCount: Number(row?.total ?? 0) };
  }

  async create(body: CreateLabelDto): Promise<Label> {
    const label = this.labels.create({
      id: randomUUID(),
      name: body.name,
      nameFolded: foldName(body.name),
      color: body.color ?? DEFAULT_LABEL_COLOR,
      createdAt: new Date(),
    });
    await this.save(() => this.labels.insert(label), label.name, label.id);
    return label;
  }

  async update(id: string, body: UpdateLabelDto): Promise<Label> {
    const label = await this.findOne(id);
    const changes: Partial<Label> = {};
    if (body.name !== undefined) Object.assign(changes, { name: body.name, nameFolded: foldName(body.name) });
    if (body.color !== undefined) changes.color = body.color;
    if (Object.keys(changes).length > 0) await this.save(() => this.labels.update({ id }, changes), changes.name ?? label.name, id);
    return Object.assign(label, changes);
  }

  /** Takes the label off every task carrying it (each gets a new version and a change-log entry), then deletes it. */
  async remove(id: string, author: TaskAuthor): Promise<void> {
    const label = await this.findOne(id);
    await this.tasks.detachLabel(label.id, author);
    await this.labels.delete({ id: label.id });
    this.tasks.forgetLabels();
    // A task labelled while the label was being detached keeps an orphan row, which reads ignore; clear it too.
    const placeholder = this.dataSource.options.type === 'postgres' ? '$1' : '?';
    await this.dataSource.query(`DELETE FROM task_labels WHERE label_id = ${placeholder}`, [label.id]);
    await this.dataSource.query(`DELETE FROM task_label_counts WHERE label_id = ${placeholder}`, [label.id]);
  }

  /** Writes a label (a name another label has is 409); the tasks' copy of the labels is read again afterwards. */
  private async save(write: () => Promise<unknown>, name: string, id: string): Promise<void> {
    const clash = await this.labels.findOneBy({ nameFolded: foldName(name) });
    if (clash && clash.id !== id) throw nameTaken(name);
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name);
      throw error;
    } finally {
      this.tasks.forgetLabels();
    }
  }
}

function foldName(name: string): string {
  return name.toLowerCase();
}

function nameTaken(name: string): ConflictException {
  return new ConflictException(`A label named "${name}" already exists`);
}
