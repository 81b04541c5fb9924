import { TaskCount } from '../tasks/task-count.entity';
import { TaskDueDay } from '../tasks/task-due-day.entity';
import { Task } from '../tasks/task.entity';
import { buildDataSourceOptions, isPostgresUrl, sqlitePath } from './data-source.options';
import { CreateTasks1763900000000 } from './migrations/1763900000000-CreateTasks';
import { AddTaskCounts1763900000001 } from './migrations/1763900000001-AddTaskCounts';

/** The options as a plain record: DataSourceOptions is a union whose members each lack the other's fields. */
function optionsFor(url: string): Record<string, unknown> {
  return buildDataSourceOptions(url) as unknown as Record<string, unknown>;
}

describe(buildDataSourceOptions.name, () => {
  describe('SQLite', () => {
    it.each([
      ['a relative file, the original form', 'sqlite:///./taskflow.db', './taskflow.db'],
      ['a relative file without ./', 'sqlite:///data/taskflow.db', 'data/taskflow.db'],
      ['an absolute file after a fourth slash', 'sqlite:////tmp/x.db', '/tmp/x.db'],
      ['memory in the short form', 'sqlite::memory:', ':memory:'],
      ['memory in the SQLAlchemy form', 'sqlite:///:memory:', ':memory:'],
    ])('opens %s: %s -> %s', (_, url, database) => {
      const options = optionsFor(url);
      expect(options.type).toBe('better-sqlite3');
      expect(options.database).toBe(database);
    });

    it('turns on WAL and a busy timeout, and never synchronizes the schema', () => {
      expect(optionsFor('sqlite:///./taskflow.db')).toMatchObject({
        enableWAL: true,
        timeout: 5000,
        synchronize: false,
      });
    });

    it('syncs every commit so acknowledged writes survive a crash', () => {
      const pragma = jest.fn();
      const prepareDatabase = optionsFor('sqlite::memory:').prepareDatabase as (db: { pragma: jest.Mock }) => void;
      prepareDatabase({ pragma });
      expect(pragma).toHaveBeenCalledWith('synchronous = FULL');
    });

    it('lists the entity and migration classes by name, not by glob', () => {
      const options = optionsFor('sqlite::memory:');
      expect(options.migrationsTransactionMode).toBe('all');
      for (const listed of [...(options.entities as unknown[]), ...(options.migrations as unknown[])]) {
        expect(typeof listed).toBe('function');
      }
      expect(options.entities).toEqual(expect.arrayContaining([Task, TaskCount, TaskDueDay]));
      expect((options.migrations as unknown[]).slice(0, 2)).toEqual([CreateTasks1763900000000, AddTaskCounts1763900000001]);
    });

    it('runs the migrations in the order of their timestamps', () => {
      const names = (optionsFor('sqlite::memory:').migrations as Array<{ name: string }>).map((migration) => migration.name);
      const timestamps = names.map((name) => Number(/\d{13}$/.exec(name)?.[0]));
      expect(timestamps.every(Number.isFinite)).toBe(true);
      expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
    });
  });

  describe('PostgreSQL', () => {
    it.each(['postgres://user:secret@db.example.com:5432/taskflow', 'postgresql://user@db.example.com/taskflow'])(
      'uses the postgres driver with the URL as given for %s',
      (url) => {
        const options = optionsFor(url);
        expect(options.type).toBe('postgres');
        expect(options.url).toBe(url);
        expect(options).not.toHaveProperty('database');
      },
    );

    it('sizes the pool at 15 connections with TCP keep-alive', () => {
      expect(optionsFor('postgres://u@h/db').extra).toMatchObject({ max: 15, keepAlive: true });
    });

    it('never synchronizes the schema and lists the same entities and migrations as SQLite', () => {
      const sqlite = optionsFor('sqlite::memory:');
      expect(optionsFor('postgres://u@h/db')).toMatchObject({
        synchronize: false,
        entities: sqlite.entities,
        migrations: sqlite.migrations,
      });
    });

    it('does not use TLS without sslmode', () => {
      expect(optionsFor('postgres://u@h/db').ssl).toBe(false);
    });

    it('encrypts without verifying the certificate for sslmode=require, as libpq does', () => {
      expect(optionsFor('postgres://u:p@h:5432/db?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    });

    it('does not use TLS for sslmode=disable', () => {
      expect(optionsFor('postgresql://u@h/db?sslmode=disable').ssl).toBe(false);
    });

    it('verifies the certificate for sslmode=verify-full', () => {
      const ssl = optionsFor('postgresql://u@h/db?sslmode=verify-full').ssl;
      expect(ssl).toBeTruthy();
      expect(ssl).not.toHaveProperty('rejectUnauthorized', false);
    });
  });
});

describe(isPostgresUrl.name, () => {
  it.each([
    ['postgres://h/db', true],
    ['postgresql://h/db', true],
    ['sqlite:///./taskflow.db', false],
    ['POSTGRES://h/db', false],
    ['xpostgres://h/db', false],
  ])('reads %s as PostgreSQL: %s', (url, expected) => {
    expect(isPostgresUrl(url)).toBe(expected);
  });
});

describe(sqlitePath.name, () => {
  it('keeps what follows the third slash, as SQLAlchemy does', () => {
    expect(sqlitePath('sqlite:///relative/dir/file.db')).toBe('relative/dir/file.db');
    expect(sqlitePath('sqlite:////abs/dir/file.db')).toBe('/abs/dir/file.db');
  });
});
