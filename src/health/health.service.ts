import { Injectable } from '@nestjs/common';
import { TasksService } from '../tasks/tasks.service';

/** A database that has not answered by then is reported unhealthy rather than left to hang Render's check. */
const ANSWER_WITHIN_MS = 2_000;

export type DatabaseHealth = { connected: true; tasksCount: number } | { connected: false; reason: string };

@Injectable()
export class HealthService {
  constructor(private readonly tasksService: TasksService) {}

  /** Counting the tasks is the ping: a database that answers it is connected (one statement, not two). */
  async checkDatabase(): Promise<DatabaseHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`database did not answer within ${ANSWER_WITHIN_MS / 1000} s`)), ANSWER_WITHIN_MS);
    });
    try {
      return { connected: true, tasksCount: await Promise.race([this.tasksService.count({}), timeout]) };
    } catch (error) {
      return { connected: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
