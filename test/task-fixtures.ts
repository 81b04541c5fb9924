import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';

export interface WireTask {
  id: string;
  title: string;
  description: string | null;
  status: 'todo' | 'in_progress' | 'done';
  priority: 'low' | 'medium' | 'high';
  assignee: string | null;
  due_date: string | null;
  created_at: string;
  updated_at: string;
  created_by: { id: string; name: string } | null;
  updated_by: { id: string; name: string } | null;
}

export const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Creates a task through the API and returns it; fails the test on anything but 201. */
export async function createTask(app: NestExpressApplication, body: Record<string, unknown>): Promise<WireTask> {
  const response = await request(app.getHttpServer()).post('/tasks').send(body);
  if (response.status !== 201) throw new Error(`POST /tasks ${JSON.stringify(body)} -> ${response.status} ${response.text}`);
  return response.body as WireTask;
}

/** Creates tasks one after the other, so that their created_at order is their order here. */
export async function createTasks(app: NestExpressApplication, bodies: Record<string, unknown>[]): Promise<WireTask[]> {
  const tasks: WireTask[] = [];
  for (const body of bodies) tasks.push(await createTask(app, body));
  return tasks;
}

export async function listTasks(app: NestExpressApplication, query: string): Promise<{ tasks: WireTask[]; total: number }> {
  const response = await request(app.getHttpServer()).get(`/tasks${query}`).expect(200);
  return { tasks: response.body as WireTask[], total: Number(response.headers['x-total-count']) };
}

export async function countInDatabase(app: NestExpressApplication): Promise<number> {
  const response = await request(app.getHttpServer()).get('/tasks/count').expect(200);
  return (response.body as { total: number }).total;
}
