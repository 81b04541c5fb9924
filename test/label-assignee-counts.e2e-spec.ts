import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source.options';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin } from './account-fixtures';
import { createTestApp, freshDatabase, useTestApp } from './create-test-app';

type Agent = ReturnType<typeof request>;

/**
 * Lists filtered by one label or one member assignee are counted from counter rows kept by triggers
 * (AddLabelAndAssigneeCounts), and a label's page walks the label's own index. These tests hold both to a model of
 * what the tasks are, through every write that changes a task's labels, project or assignee.
 */
describe('Counts and pages of lists filtered by label (e2e, AUTH_MODE=off)', () => {
  const testApp = useTestApp();
  const http = (): Agent => request(testApp().getHttpServer());

  /** What each task is, as the test wrote it: its project key and labels. */
  const model = new Map<string, { project: string; labels: Set<string> }>();
  const archived = new Set<string>();
  let labels: Record<'a' | 'b', string>;

  beforeEach(async () => {
    model.clear();
    archived.clear();
    for (const key of ['WEB', 'OPS']) await http().post('/projects').send({ key, name: key }).expect(201);
    labels = {
      a: (await http().post('/labels').send({ name: 'alpha' }).expect(201)).body.id,
      b: (await http().post('/labels').send({ name: 'beta' }).expect(201)).body.id,
    };
  });

  const create = async (project: string, labelIds: string[]) => {
    const task = await http().post('/tasks').send({ title: `t${model.size}`, project_id: project, label_ids: labelIds }).expect(201);
    model.set(task.body.id, { project, labels: new Set(labelIds) });
    return task.body.id as string;
  };

  /** Every label × project scope: the list, X-Total-Count and /tasks/count agree with the model; so do the labels' task counts. */
  async function expectCountsMatch(): Promise<void> {
    for (const label of Object.values(labels)) {
      for (const project of [undefined, 'TF', 'WEB', 'OPS']) {
        const expected = [...model.entries()]
          .filter(([, task]) => task.labels.has(label) && (project ? task.project === project : !archived.has(task.project)))
          .map(([id]) => id)
          .sort();
        const scope = project ? `&project_id=${project}` : '';
        const listed = await http().get(`/tasks?label_ids=${label}${scope}&limit=200`).expect(200);
        expect(listed.body.map((task: { id: string }) => task.id).sort()).toEqual(expected);
        expect(listed.headers['x-total-count']).toBe(String(expected.length));
        await http().get(`/tasks/count?label_ids=${label}${scope}`).expect(200, { total: expected.length });
      }
    }
    const listed = (await http().get('/labels').expect(200)).body as Array<{ id: string; task_count: number }>;
    for (const label of listed) {
      expect(label.task_count).toBe([...model.values()].filter((task) => task.labels.has(label.id)).length);
    }
  }

  it('follows creations, label changes, moves, deletions, archiving and label deletion', async () => {
    const first = await create('TF', [labels.a]);
    const second = await create('WEB', [labels.a, labels.b]);
    const third = await create('OPS', [labels.b]);
    await create('WEB', []);
    await expectCountsMatch();

    // Labels replaced, added, removed.
    await http().patch(`/tasks/${first}`).send({ label_ids: [labels.b] }).expect(200);
    model.get(first)!.labels = new Set([labels.b]);
    await http().put(`/tasks/${third}`).send({ label_ids: [labels.a, labels.b] }).expect(200);
    model.get(third)!.labels = new Set([labels.a, labels.b]);
    await expectCountsMatch();

    // A move takes the labels along; a move that also changes them counts the new set in the new project.
    await http().patch(`/tasks/${second}`).send({ project_id: 'OPS' }).expect(200);
    model.get(second)!.project = 'OPS';
    await http().patch(`/tasks/${first}`).send({ project_id: 'WEB', label_ids: [labels.a, labels.b] }).expect(200);
    Object.assign(model.get(first)!, { project: 'WEB', labels: new Set([labels.a, labels.b]) });
    await expectCountsMatch();

    // Archived projects leave the unfiltered counts and stay in their own.
    await http().patch('/projects/OPS').send({ archived: true }).expect(200);
    archived.add('OPS');
    await expectCountsMatch();
    await http().patch('/projects/OPS').send({ archived: false }).expect(200);
    archived.delete('OPS');

    await http().delete(`/tasks/${third}`).expect(204);
    model.delete(third);
    await expectCountsMatch();

    // Deleting a label takes it off every task (and filtering by it is then 422, an unknown label).
    await http().delete(`/labels/${labels.b}`).expect(204);
    for (const task of model.values()) task.labels.delete(labels.b);
    await http().get(`/tasks?label_ids=${labels.b}`).expect(422);
    labels = { a: labels.a } as typeof labels;
    await expectCountsMatch();
  });

  it('pages a label\'s tasks in creation order, by skip and by cursor, in both directions, with other filters', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(await create(i % 2 ? 'WEB' : 'TF', i === 3 ? [labels.b] : [labels.a, labels.b]));
      await create('TF', []); // unlabelled tasks in between
    }
    const labelled = ids.filter((_, i) => i !== 3);
    const page = async (query: string) => (await http().get(`/tasks?label_ids=${labels.a}&${query}`).expect(200));
    const idsOf = (response: request.Response) => response.body.map((task: { id: string }) => task.id);

    expect(idsOf(await page('limit=50'))).toEqual(labelled);
    expect(idsOf(await page('limit=50&order=desc'))).toEqual([...labelled].reverse());
    expect(idsOf(await page('limit=2&skip=2'))).toEqual(labelled.slice(2, 4));

    for (const order of ['asc', 'desc']) {
      const seen: string[] = [];
      let response = await page(`limit=2&order=${order}`);
      seen.push(...idsOf(response));
      while (response.headers['x-next-cursor']) {
        response = await page(`limit=2&order=${order}&cursor=${encodeURIComponent(response.headers['x-next-cursor'])}`);
        seen.push(...idsOf(response));
      }
      expect(seen).toEqual(order === 'asc' ? labelled : [...labelled].reverse());
    }

    // With a second label, a project and a status: every condition still applies.
    expect(idsOf(await http().get(`/tasks?label_ids=${labels.b},${labels.a}&limit=50`).expect(200))).toEqual(labelled);
    const both = await http().get(`/tasks?label_ids=${labels.a},${labels.b}&project_id=WEB&limit=50`).expect(200);
    expect(idsOf(both)).toEqual(labelled.filter((id) => model.get(id)!.project === 'WEB'));
    expect(both.headers['x-total-count']).toBe(String(idsOf(both).length));
    await http().patch(`/tasks/${labelled[0]}`).send({ status: 'done' }).expect(200);
    const done = await page('status=done');
    expect(idsOf(done)).toEqual([labelled[0]]);
    expect(done.headers['x-total-count']).toBe('1');
  });
});

describe('Counts of lists filtered by member assignee (e2e, AUTH_MODE=required)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = (): Agent => request(testApp().getHttpServer());

  it('follow assignments, reassignments, moves, deletions and archiving', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    const as = (who: typeof admin) => bearer(who.accessToken);
    await http().post('/projects').set(...as(admin)).send({ key: 'WEB', name: 'Web' }).expect(201);
    const model = new Map<string, { project: string; assignee: string | null }>();
    const archived = new Set<string>();
    const create = async (project: string, assignee: string | null) => {
      const task = await http().post('/tasks').set(...as(admin)).send({ title: 't', project_id: project, assignee_id: assignee }).expect(201);
      model.set(task.body.id, { project, assignee });
      return task.body.id as string;
    };
    const expectCountsMatch = async () => {
      for (const [user, filter] of [[member.user.id, member.user.id], [admin.user.id, admin.user.id], [member.user.id, 'me']]) {
        for (const project of [undefined, 'TF', 'WEB']) {
          const expected = [...model.values()].filter((task) => task.assignee === user && (project ? task.project === project : !archived.has(task.project))).length;
          const scope = project ? `&project_id=${project}` : '';
          const listed = await http().get(`/tasks?assignee_id=${filter}${scope}&limit=200`).set(...as(member)).expect(200);
          expect([listed.body.length, listed.headers['x-total-count']]).toEqual([expected, String(expected)]);
          await http().get(`/tasks/count?assignee_id=${filter}${scope}`).set(...as(member)).expect(200, { total: expected });
        }
      }
    };

    const first = await create('TF', member.user.id);
    const second = await create('WEB', member.user.id);
    await create('WEB', admin.user.id);
    await create('TF', null);
    await expectCountsMatch();

    await http().patch(`/tasks/${first}`).set(...as(admin)).send({ assignee_id: admin.user.id }).expect(200);
    model.get(first)!.assignee = admin.user.id;
    await http().patch(`/tasks/${second}`).set(...as(admin)).send({ project_id: 'TF' }).expect(200);
    model.get(second)!.project = 'TF';
    await http().patch(`/tasks/${second}`).set(...as(admin)).send({ project_id: 'WEB', assignee_id: null }).expect(200);
    Object.assign(model.get(second)!, { project: 'WEB', assignee: null });
    await expectCountsMatch();

    await http().patch('/projects/WEB').set(...as(admin)).send({ archived: true }).expect(200);
    archived.add('WEB');
    await expectCountsMatch();
    await http().patch('/projects/WEB').set(...as(admin)).send({ archived: false }).expect(200);
    archived.delete('WEB');

    await http().delete(`/tasks/${first}`).set(...as(admin)).expect(204);
    model.delete(first);
    await expectCountsMatch();
  });
});

describe('Migrating labelled and assigned tasks to the label and assignee counters (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('fills the counters and the label rows\' project and creation time from the tasks already there', async () => {
    const options = buildDataSourceOptions(database.url);
    const migrations = options.migrations as Array<new () => { name?: string }>;
    const index = migrations.findIndex((migration) => migration.name.startsWith('AddLabelAndAssigneeCounts'));
    expect(index).toBeGreaterThan(0);
    const before = new DataSource({ ...options, migrations: migrations.slice(0, index), entities: [] } as DataSourceOptions);
    await before.initialize();
    await before.runMigrations({ transaction: 'all' });
    const isPostgres = options.type === 'postgres';
    const sql = (text: string) => (isPostgres ? text : text.replace(/\$\d+/g, '?'));
    const at = (iso: string) => (isPostgres ? new Date(iso) : iso.replace('T', ' ').replace('Z', ''));
    const [{ id: project }] = await before.query('SELECT id FROM projects');
    const label = randomUUID();
    const member = randomUUID();
    await before.query(sql('INSERT INTO labels (id, name, name_folded, color, created_at) VALUES ($1, $2, $3, $4, $5)'), [label, 'old', 'old', '#123456', at('2026-01-01T00:00:00.000Z')]);
    const tasks = [
      { id: randomUUID(), created: '2026-01-03T00:00:00.000Z', labelled: true, assignee: member },
      { id: randomUUID(), created: '2026-01-01T00:00:00.000Z', labelled: true, assignee: null },
      { id: randomUUID(), created: '2026-01-02T00:00:00.000Z', labelled: false, assignee: member },
    ];
    for (const [number, task] of tasks.entries()) {
      await before.query(
        sql(`INSERT INTO tasks (id, title, status, priority, created_at, updated_at, search_title, project_id, number, assignee_id)
             VALUES ($1, $2, 'todo', 'high', $3, $4, $5, $6, $7, $8)`),
        [task.id, `task ${number}`, at(task.created), at(task.created), `task ${number}`, project, number + 1, task.assignee],
      );
      if (task.labelled) await before.query(sql('INSERT INTO task_labels (task_id, label_id) VALUES ($1, $2)'), [task.id, label]);
    }
    await before.query(sql('UPDATE projects SET next_number = $1'), [tasks.length + 1]);
    await before.destroy();

    const app = await createTestApp({ databaseUrl: database.url });
    try {
      const http = request(app.getHttpServer());
      const listed = await http.get(`/tasks?label_ids=${label}`).expect(200);
      expect(listed.body.map((task: { id: string }) => task.id)).toEqual([tasks[1].id, tasks[0].id]);
      expect(listed.headers['x-total-count']).toBe('2');
      expect((await http.get('/labels').expect(200)).body).toMatchObject([{ id: label, task_count: 2 }]);
      const dataSource = app.get(DataSource);
      const [assigned] = await dataSource.query(sql('SELECT SUM(count) AS total FROM task_assignee_counts WHERE assignee_id = $1'), [member]);
      expect(Number(assigned.total)).toBe(2);
      // Writes after the migration keep the counters: a new labelled task counts.
      await http.post('/tasks').send({ title: 'new', label_ids: [label] }).expect(201);
      await http.get(`/tasks/count?label_ids=${label}`).expect(200, { total: 3 });
    } finally {
      await app.close();
    }
  });
});
