// The plain Nest baseline: NestJS + Express as its getting-started guide builds an app, one controller serving the
// benchmark's routes with the same SQL as `plain` (plain-pg.mjs / plain-sqlite.mjs on `plain_tasks`) and the same
// request checks (requests.mjs), and nothing else: no guards, pipes, interceptors, logging, helmet or metrics. Its
// figures are the framework's own floor, what TaskFlow's are compared with.
//
// Plain JavaScript has no decorator syntax without a compiler, so the decorators are applied by hand: each is the
// same function TypeScript's `@Get(':id')` would call, with the same arguments, so Nest sees the same metadata.
import 'reflect-metadata';
import { Body, Controller, Delete, Get, HttpCode, HttpException, Module, NotFoundException, Param, Post, Put, Query, Res }
  from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { encodeCursor } from '../lib/cursor.mjs';
import { HttpError, etag, readChanges, readFilters, readPage } from './requests.mjs';
import { openPlainPgStore } from './plain-pg.mjs';
import { openPlainSqliteStore } from './plain-sqlite.mjs';

const port = Number(process.env.PORT ?? 8100);
const databaseUrl = process.env.DATABASE_URL ?? '';
const environment = process.env.NODE_ENV ?? 'development';
const store = databaseUrl.startsWith('postgres') ? openPlainPgStore(databaseUrl) : openPlainSqliteStore(databaseUrl);

/** Express's parsed query as requests.mjs reads it (a repeated name counts as its first value). */
const paramsOf = (query) => ({
  get: (name) => (query[name] === undefined ? null : String(Array.isArray(query[name]) ? query[name][0] : query[name])),
});

/** The shared checks throw HttpError; Nest answers an HttpException with its own error body. */
async function answer(work) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw new HttpException({ statusCode: error.status, message: error.message }, error.status);
    throw error;
  }
}

class TasksController {
  async health() {
    await store.ping();
    return { status: 'healthy', database: 'connected', tasks_count: await store.count({}), environment };
  }

  list(query, res) {
    return answer(async () => {
      const params = paramsOf(query);
      const filters = readFilters(params);
      const page = readPage(params);
      const [tasks, total] = await Promise.all([store.list(filters, page), store.count(filters)]);
      res.setHeader('X-Total-Count', String(total));
      const last = tasks.length === page.limit ? tasks[tasks.length - 1] : undefined;
      if (last) res.setHeader('X-Next-Cursor', encodeCursor('created_at', 'asc', last.created_at, last.id));
      return tasks;
    });
  }

  count(query) {
    return answer(async () => ({ total: await store.count(readFilters(paramsOf(query))) }));
  }

  stats() {
    return store.stats();
  }

  async get(id, res) {
    const task = await store.get(id);
    if (!task) throw new NotFoundException(`Task ${id} not found`);
    res.setHeader('ETag', etag(task));
    return task;
  }

  create(body, res) {
    return answer(async () => {
      const task = await store.create(readChanges(body, true));
      res.setHeader('Location', `/tasks/${task.id}`);
      res.setHeader('ETag', etag(task));
      return task;
    });
  }

  update(id, body, res) {
    return answer(async () => {
      const task = await store.update(id, readChanges(body, false));
      if (!task) throw new NotFoundException(`Task ${id} not found`);
      res.setHeader('ETag', etag(task));
      return task;
    });
  }

  async remove(id) {
    if (!(await store.remove(id))) throw new NotFoundException(`Task ${id} not found`);
  }
}

/** `@Decorator() method(@Param(...) a, ...)`, as TypeScript's emitted __decorate calls would apply it. */
function route(method, decorators, parameters = []) {
  const descriptor = Object.getOwnPropertyDescriptor(TasksController.prototype, method);
  parameters.forEach((decorate, index) => decorate(TasksController.prototype, method, index));
  for (const decorate of decorators) decorate(TasksController.prototype, method, descriptor);
}
const response = () => Res({ passthrough: true });
// Literal paths before `tasks/:id`, as a TypeScript controller would declare them.
route('health', [Get('health')]);
route('list', [Get('tasks')], [Query(), response()]);
route('count', [Get('tasks/count')], [Query()]);
route('stats', [Get('tasks/stats')]);
route('get', [Get('tasks/:id')], [Param('id'), response()]);
route('create', [Post('tasks')], [Body(), response()]);
route('update', [Put('tasks/:id')], [Param('id'), Body(), response()]);
route('remove', [Delete('tasks/:id'), HttpCode(204)], [Param('id')]);
Controller()(TasksController);

class AppModule {}
Module({ controllers: [TasksController] })(AppModule);

// Warnings and errors only, as TaskFlow runs in the bench (LOG_LEVEL=warn).
const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
const server = app.getHttpServer();
server.keepAliveTimeout = 65_000;
await app.listen(port, '127.0.0.1');

const shutdown = () => app.close().then(() => store.close()).then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
