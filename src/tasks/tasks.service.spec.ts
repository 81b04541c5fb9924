import { ConflictException, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { clearAll, createTestApp } from '../../test/create-test-app';
import { taskEtag } from './task-etag';
import { TaskWrites } from './task-writes';
import { TaskPriority, TaskStatus } from './task.enums';
import { countedByCounters, nextUpdatedAt, TasksService } from './tasks.service';

// The service on a real in-memory SQLite database (migrations, triggers and all), not on mocks of it.
describe(TasksService.name, () => {
  let app: NestExpressApplication;
  let service: TasksService;
  const author = null;

  beforeAll(async () => {
    app = await createTestApp({ databaseUrl: 'sqlite::memory:' });
    service = app.get(TasksService);
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    jest.restoreAllMocks();
    await clearAll(app);
  });

  const create = () => service.create({ title: 'Write the report', searchTitle: 'write the report' }, author);

  describe('findOne', () => {
    it.each([
      ['a malformed id', 'not-a-uuid'],
      ['an empty id', ''],
      ['an id with SQL in it', "' OR 1=1 --"],
      ['an upper-case uuid, which was never issued', '3F2B6C1E-8A4D-4E5F-9B7A-0C1D2E3F4A5B'],
    ])('answers 404 for %s', async (_, id) => {
      await expect(service.findOne(id)).rejects.toThrow(new NotFoundException(`Task ${id} not found`));
    });

    it('answers 404 for a well-formed id that no task has, and the task for its own id', async () => {
      await expect(service.findOne('3f2b6c1e-8a4d-4e5f-9b7a-0c1d2e3f4a5b')).rejects.toThrow(NotFoundException);
      const task = await create();
      await expect(service.findOne(task.id)).resolves.toMatchObject({ id: task.id, title: 'Write the report' });
    });
  });

  describe('update', () => {
    it('changes only the fields given and moves updated_at forward', async () => {
      const task = await create();
      const updated = await service.update(task.id, { status: TaskStatus.Done });
      expect(updated).toMatchObject({ status: TaskStatus.Done, title: 'Write the report', priority: TaskPriority.Medium });
      expect(updated.updatedAt.getTime()).toBeGreaterThan(task.updatedAt.getTime());
      await expect(service.findOne(task.id)).resolves.toMatchObject({ status: TaskStatus.Done, updatedAt: updated.updatedAt });
    });

    it('retries on the newer version when a competing write lands between its read and its write', async () => {
      const task = await create();
      const write = TaskWrites.prototype.update;
      const spy = jest.spyOn(TaskWrites.prototype, 'update').mockImplementationOnce(async function (this: TaskWrites, ...args) {
        // The competing write: another request renames the task first.
        await app.get(DataSource).query(`UPDATE tasks SET title = 'Competitor', updated_at = '2999-01-01 00:00:00.000'`);
        return write.apply(this, args);
      });
      const updated = await service.update(task.id, { priority: TaskPriority.High });
      expect(spy).toHaveBeenCalledTimes(2);
      // Last write wins, on top of the competitor's version: its title stays, updated_at passes it.
      expect(updated).toMatchObject({ title: 'Competitor', priority: TaskPriority.High });
      expect(updated.updatedAt.toISOString()).toBe('2999-01-01T00:00:00.001Z');
    });

    it('answers 412 and writes nothing when If-Match names an older version', async () => {
      const task = await create();
      const stale = taskEtag({ updatedAt: new Date(task.updatedAt.getTime() - 1) });
      await expect(service.update(task.id, { status: TaskStatus.Done }, stale)).rejects.toThrow(PreconditionFailedException);
      await expect(service.findOne(task.id)).resolves.toMatchObject({ status: TaskStatus.Todo });
    });

    it('writes when If-Match names the current version', async () => {
      const task = await create();
      await expect(service.update(task.id, { priority: TaskPriority.High }, taskEtag(task))).resolves.toMatchObject({
        priority: TaskPriority.High,
      });
    });

    it('answers 412 rather than overwriting when a competing write wins after the If-Match check', async () => {
      const task = await create();
      const write = TaskWrites.prototype.update;
      jest.spyOn(TaskWrites.prototype, 'update').mockImplementationOnce(async function (this: TaskWrites, ...args) {
        await app.get(DataSource).query(`UPDATE tasks SET updated_at = '2999-01-01 00:00:00.000'`);
        return write.apply(this, args);
      });
      await expect(service.update(task.id, { status: TaskStatus.Done }, taskEtag(task))).rejects.toThrow(PreconditionFailedException);
      await expect(service.findOne(task.id)).resolves.toMatchObject({ status: TaskStatus.Todo });
    });

    it('gives up with 409 after ten lost races', async () => {
      const task = await create();
      const spy = jest.spyOn(TaskWrites.prototype, 'update').mockResolvedValue({ affected: 0 });
      await expect(service.update(task.id, { status: TaskStatus.Done })).rejects.toThrow(ConflictException);
      expect(spy).toHaveBeenCalledTimes(10);
    });

    it('answers 404 without writing when the task is gone', async () => {
      const task = await create();
      await service.remove(task.id);
      const write = jest.spyOn(TaskWrites.prototype, 'update');
      await expect(service.update(task.id, { status: TaskStatus.Done }, '*')).rejects.toThrow(NotFoundException);
      expect(write).not.toHaveBeenCalled();
    });

    it('moves updated_at forward even when the stored value is ahead of the clock', async () => {
      const task = await create();
      await app.get(DataSource).query(`UPDATE tasks SET updated_at = '2999-01-01 00:00:00.000'`);
      const updated = await service.update(task.id, {});
      expect(updated.updatedAt.toISOString()).toBe('2999-01-01T00:00:00.001Z');
    });
  });

  describe('remove', () => {
    it('deletes the task', async () => {
      const task = await create();
      await expect(service.remove(task.id)).resolves.toBeUndefined();
      await expect(service.findOne(task.id)).rejects.toThrow(NotFoundException);
    });

    it('answers 412 and deletes nothing when If-Match is stale', async () => {
      const task = await create();
      await expect(service.remove(task.id, '"stale"')).rejects.toThrow(PreconditionFailedException);
      await expect(service.findOne(task.id)).resolves.toMatchObject({ id: task.id });
    });
  });
});

describe(nextUpdatedAt.name, () => {
  const previous = new Date('2026-11-22T09:15:00.000Z');

  it('is the current time when the clock has moved on', () => {
    expect(nextUpdatedAt(previous, new Date('2026-11-22T09:15:00.250Z')).toISOString()).toBe('2026-11-22T09:15:00.250Z');
  });

  it('adds one millisecond when the clock has not moved', () => {
    expect(nextUpdatedAt(previous, new Date(previous.getTime())).toISOString()).toBe('2026-11-22T09:15:00.001Z');
  });

  it('never goes backwards when the clock is behind the stored value', () => {
    expect(nextUpdatedAt(previous, new Date('2026-11-22T09:14:00.000Z')).toISOString()).toBe('2026-11-22T09:15:00.001Z');
  });

  it('returns a new Date rather than changing the previous one', () => {
    const next = nextUpdatedAt(previous, previous);
    expect(next).not.toBe(previous);
    expect(previous.toISOString()).toBe('2026-11-22T09:15:00.000Z');
  });

  it('defaults to the real clock', () => {
    const before = Date.now();
    const next = nextUpdatedAt(new Date(0)).getTime();
    expect(next).toBeGreaterThanOrEqual(before);
    expect(next).toBeLessThanOrEqual(Date.now());
  });
});

describe(countedByCounters.name, () => {
  it.each([
    [{}, true],
    [{ status: TaskStatus.Done }, true],
    [{ status: TaskStatus.Done, priority: TaskPriority.High }, true],
    [{ assignee: 'ann' }, false],
    [{ q: 'x' }, false],
    [{ due_before: '2026-12-01' }, false],
    [{ priority: TaskPriority.Low, due_after: '2026-12-01' }, false],
  ])('answers %p with %p', (filters, expected) => {
    expect(countedByCounters(filters)).toBe(expected);
  });
});
