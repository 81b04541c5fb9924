import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { TasksService } from '../tasks/tasks.service';

const PING_TIMEOUT_MS = 2_000;

export type DatabaseHealth = { connected: true; tasksCount: number } | { connected: false; reason: string };

@Injectable()
export class HealthService {
  constructor(
    private readonly database: TypeOrmHealthIndicator,
    private readonly tasksService: TasksService,
  ) {}

  async checkDatabase(): Promise<DatabaseHealth> {
    const { database } = await this.database.pingCheck('database').withTimeout(PING_TIMEOUT_MS);
    if (database.status !== 'up') {
      return { connected: false, reason: String(database['message'] ?? 'database did not answer') };
    }
    try {
      return { connected: true, tasksCount: await this.tasksService.count({}) };
    } catch (error) {
      return { connected: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
