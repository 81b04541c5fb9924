// Only for `--baseline-only` runs on a machine where the API cannot start (for example while the backend is
// being written): a copy of the tasks table the migration creates, so the baseline can be exercised alone.
// Real runs never use it: the API's own migrations create the schema.
export const DEV_SCHEMA = {
  pg: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE migrations (id serial PRIMARY KEY, timestamp bigint NOT NULL, name varchar NOT NULL);
    INSERT INTO migrations (timestamp, name) VALUES (0, 'BenchDevSchema0');
    CREATE TABLE tasks (
      id varchar(36) PRIMARY KEY,
      title varchar(200) NOT NULL,
      description varchar(1000),
      status varchar(20) NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done')),
      priority varchar(20) NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
      assignee varchar(100),
      due_date timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      search_title text NOT NULL,
      search_description text
    );
    CREATE INDEX tasks_created ON tasks (created_at, id);
    CREATE INDEX tasks_status_priority ON tasks (status, priority, created_at, id);
    CREATE INDEX tasks_assignee ON tasks (assignee, created_at, id);
    CREATE INDEX tasks_search_title ON tasks USING gin (search_title gin_trgm_ops);
    CREATE INDEX tasks_search_description ON tasks USING gin (search_description gin_trgm_ops);
    CREATE INDEX tasks_overdue ON tasks (due_date) WHERE status <> 'done';`,
  sqlite: `
    CREATE TABLE migrations (id integer PRIMARY KEY AUTOINCREMENT, timestamp bigint NOT NULL, name varchar NOT NULL);
    INSERT INTO migrations (timestamp, name) VALUES (0, 'BenchDevSchema0');
    CREATE TABLE tasks (
      id varchar(36) PRIMARY KEY NOT NULL,
      title varchar(200) NOT NULL,
      description varchar(1000),
      status varchar(20) NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done')),
      priority varchar(20) NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
      assignee varchar(100),
      due_date datetime,
      created_at datetime NOT NULL,
      updated_at datetime NOT NULL,
      search_title text NOT NULL,
      search_description text
    );
    CREATE INDEX tasks_created ON tasks (created_at, id);
    CREATE INDEX tasks_status_priority ON tasks (status, priority, created_at, id);
    CREATE INDEX tasks_assignee ON tasks (assignee, created_at, id);
    CREATE INDEX tasks_overdue ON tasks (due_date) WHERE status <> 'done';`,
};
