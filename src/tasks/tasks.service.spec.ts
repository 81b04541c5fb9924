import { ConflictException, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { TaskCount } from './task-count.entity';
import { TaskDueDay } from './task-due-day.entity';
import { taskEtag } from './task-etag';
import { Task } from './task.entity';
import { TaskPriority, TaskStatus } from './task.enums';
import { countedByStatusAndPriority, nextUpdatedAt, TasksService } from './tasks.service';

const ID = '3f2b6c1e-8a4d-4e5f-9b7a-0c1d2e3f4a5b';

function storedTask(updatedAt: string): Task {
  return Object.assign(new Task(), {
    id: ID,
    title: 'Write the report',
    description: null,
    status: TaskStatus.Todo,
    priority: TaskPriority.Medium,
    assignee: null,
    dueDate: null,
    createdAt: new Date('2026-11-01T00:00:00.000Z'),
    updatedAt: new Date(updatedAt),
  });
}

describe(TasksService.name, () => {
  let service: TasksService;
  let repository: { findOneBy: jest.Mock; createQueryBuilder: jest.Mock };
  // The conditional UPDATE/DELETE chain; each method returns the builder, execute() resolves the result.
  let writeQuery: Record<'update' | 'delete' | 'from' | 'set' | 'where' | 'execute', jest.Mock>;

  beforeEach(async () => {
    writeQuery = {
      update: jest.fn(),
      delete: jest.fn(),
      from: jest.fn(),
      set: jest.fn(),
      where: jest.fn(),
      execute: jest.fn(),
    };
    for (const method of ['update', 'delete', 'from', 'set', 'where'] as const) {
      writeQuery[method].mockReturnValue(writeQuery);
    }
    repository = { findOneBy: jest.fn(), createQueryBuilder: jest.fn().mockReturnValue(writeQuery) };

    const moduleRef = await Test.createTestingModule({
      providers: [
        TasksService,
        { provide: getRepositoryToken(Task), useValue: repository },
        { provide: getRepositoryToken(TaskCount), useValue: {} },
        { provide: getRepositoryToken(TaskDueDay), useValue: {} },
      ],
    }).compile();
    service = moduleRef.get(TasksService);
  });

  describe('findOne', () => {
    it.each([
      ['a malformed id', 'not-a-uuid'],
      ['an empty id', ''],
      ['an id with SQL in it', "' OR 1=1 --"],
      ['an upper-case uuid, which was never issued', ID.toUpperCase()],
      ['a uuid with a trailing character', `${ID}x`],
    ])('returns 404 for %s without querying the database', async (_, id) => {
      await expect(service.findOne(id)).rejects.toThrow(new NotFoundException(`Task ${id} not found`));
      expect(repository.findOneBy).not.toHaveBeenCalled();
    });

    it('returns 404 for a well-formed id that no task has', async () => {
      repository.findOneBy.mockResolvedValue(null);
      await expect(service.findOne(ID)).rejects.toThrow(NotFoundException);
      expect(repository.findOneBy).toHaveBeenCalledWith({ id: ID });
    });

    it('returns the stored task', async () => {
      const task = storedTask('2026-11-22T09:15:00.000Z');
      repository.findOneBy.mockResolvedValue(task);
      await expect(service.findOne(ID)).resolves.toBe(task);
    });
  });

  describe('update', () => {
    it('writes only if the version read is still current, and returns the task with the changes', async () => {
      repository.findOneBy.mockResolvedValueOnce(storedTask('2026-11-22T09:15:00.000Z'));
      writeQuery.execute.mockResolvedValueOnce({ affected: 1 });

      const updated = await service.update(ID, { status: TaskStatus.Done });

      expect(writeQuery.where).toHaveBeenCalledWith('id = :id AND updated_at = :version', {
        id: ID,
        version: new Date('2026-11-22T09:15:00.000Z'),
      });
      const written = writeQuery.set.mock.calls[0][0] as Partial<Task>;
      expect(written.status).toBe(TaskStatus.Done);
      expect(updated.status).toBe(TaskStatus.Done);
      expect(updated.title).toBe('Write the report');
      expect(updated.updatedAt).toEqual(written.updatedAt);
    });

    it('retries on the newer version when the conditional write affects no row, then succeeds', async () => {
      repository.findOneBy
        .mockResolvedValueOnce(storedTask('2026-11-22T09:15:00.000Z'))
        .mockResolvedValueOnce(storedTask('2026-11-22T09:16:00.000Z'));
      writeQuery.execute.mockResolvedValueOnce({ affected: 0 }).mockResolvedValueOnce({ affected: 1 });

      const updated = await service.update(ID, { title: 'Renamed', searchTitle: 'renamed' });

      expect(repository.findOneBy).toHaveBeenCalledTimes(2);
      expect(writeQuery.execute).toHaveBeenCalledTimes(2);
      // The second write is conditional on the version the competing write left behind.
      expect(writeQuery.where).toHaveBeenLastCalledWith('id = :id AND updated_at = :version', {
        id: ID,
        version: new Date('2026-11-22T09:16:00.000Z'),
      });
      expect(updated.title).toBe('Renamed');
      expect(updated.updatedAt.getTime()).toBeGreaterThan(new Date('2026-11-22T09:16:00.000Z').getTime());
    });

    it('throws 412 and writes nothing when If-Match names an older version', async () => {
      const stale = taskEtag({ updatedAt: new Date('2026-11-22T09:14:59.999Z') });
      repository.findOneBy.mockResolvedValue(storedTask('2026-11-22T09:15:00.000Z'));

      await expect(service.update(ID, { status: TaskStatus.Done }, stale)).rejects.toThrow(PreconditionFailedException);
      expect(repository.createQueryBuilder).not.toHaveBeenCalled();
      expect(writeQuery.execute).not.toHaveBeenCalled();
    });

    it('writes when If-Match names the current version', async () => {
      const task = storedTask('2026-11-22T09:15:00.000Z');
      repository.findOneBy.mockResolvedValueOnce(task);
      writeQuery.execute.mockResolvedValueOnce({ affected: 1 });

      await expect(service.update(ID, { priority: TaskPriority.High }, taskEtag(task))).resolves.toMatchObject({
        priority: TaskPriority.High,
      });
    });

    it('throws 412 rather than overwriting when a concurrent write wins the race after the If-Match check', async () => {
      const first = storedTask('2026-11-22T09:15:00.000Z');
      const ifMatch = taskEtag(first);
      repository.findOneBy.mockResolvedValueOnce(first).mockResolvedValueOnce(storedTask('2026-11-22T09:15:00.500Z'));
      writeQuery.execute.mockResolvedValueOnce({ affected: 0 });

      await expect(service.update(ID, { status: TaskStatus.Done }, ifMatch)).rejects.toThrow(
        PreconditionFailedException,
      );
      expect(writeQuery.execute).toHaveBeenCalledTimes(1);
    });

    it('gives up with 409 after ten lost races', async () => {
      repository.findOneBy.mockImplementation(() => Promise.resolve(storedTask('2026-11-22T09:15:00.000Z')));
      writeQuery.execute.mockResolvedValue({ affected: 0 });

      await expect(service.update(ID, { status: TaskStatus.Done })).rejects.toThrow(ConflictException);
      expect(repository.findOneBy).toHaveBeenCalledTimes(10);
      expect(writeQuery.execute).toHaveBeenCalledTimes(10);
    });

    it('returns 404 without writing when the task is gone', async () => {
      repository.findOneBy.mockResolvedValue(null);
      await expect(service.update(ID, { status: TaskStatus.Done }, '*')).rejects.toThrow(NotFoundException);
      expect(writeQuery.execute).not.toHaveBeenCalled();
    });

    it('moves updated_at forward even when the stored value is ahead of the clock', async () => {
      repository.findOneBy.mockResolvedValueOnce(storedTask('2999-01-01T00:00:00.000Z'));
      writeQuery.execute.mockResolvedValueOnce({ affected: 1 });

      const updated = await service.update(ID, {});

      expect(updated.updatedAt.toISOString()).toBe('2999-01-01T00:00:00.001Z');
    });
  });

  describe('remove', () => {
    it('deletes only the version that was read', async () => {
      repository.findOneBy.mockResolvedValueOnce(storedTask('2026-11-22T09:15:00.000Z'));
      writeQuery.execute.mockResolvedValueOnce({ affected: 1 });

      await expect(service.remove(ID)).resolves.toBeUndefined();
      expect(writeQuery.delete).toHaveBeenCalledTimes(1);
      expect(writeQuery.where).toHaveBeenCalledWith('id = :id AND updated_at = :version', {
        id: ID,
        version: new Date('2026-11-22T09:15:00.000Z'),
      });
    });

    it('throws 412 and deletes nothing when If-Match is stale', async () => {
      repository.findOneBy.mockResolvedValue(storedTask('2026-11-22T09:15:00.000Z'));
      await expect(service.remove(ID, '"stale"')).rejects.toThrow(PreconditionFailedException);
      expect(writeQuery.delete).not.toHaveBeenCalled();
    });
  });
});

describe(nextUpdatedAt.name, () => {
  const previous = new Date('2026-11-22T09:15:00.000Z');

  it('is the current time when the clock has moved on', () => {
    expect(nextUpdatedAt(previous, new Date('2026-11-22T09:15:00.250Z')).toISOString()).toBe(
      '2026-11-22T09:15:00.250Z',
    );
  });

  it('adds one millisecond when the clock has not moved', () => {
    expect(nextUpdatedAt(previous, new Date(previous.getTime())).toISOString()).toBe('2026-11-22T09:15:00.001Z');
  });

  it('never goes backwards when the clock is behind the stored value', () => {
    expect(nextUpdatedAt(previous, new Date('2026-11-22T09:14:00.000Z')).toISOString()).toBe(
      '2026-11-22T09:15:00.001Z',
    );
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

  describe(countedByStatusAndPriority.name, () => {
    it.each([
      [{}, true],
      [{ status: TaskStatus.Done }, true],
      [{ status: TaskStatus.Done, priority: TaskPriority.High }, true],
      [{ assignee: 'ann' }, false],
      [{ q: 'x' }, false],
      [{ due_before: '2026-12-01' }, false],
      [{ priority: TaskPriority.Low, due_after: '2026-12-01' }, false],
    ])('answers %p with %p', (filters, expected) => {
      expect(countedByStatusAndPriority(filters)).toBe(expected);
    });
  });
});
