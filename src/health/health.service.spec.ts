import { TasksService } from '../tasks/tasks.service';
import { HealthService } from './health.service';

const serviceCounting = (count: () => Promise<number>) => new HealthService({ count } as unknown as TasksService);

describe('HealthService', () => {
  afterEach(() => jest.useRealTimers());

  it('is connected when the count answers, with the count', async () => {
    await expect(serviceCounting(() => Promise.resolve(7)).checkDatabase()).resolves.toEqual({ connected: true, tasksCount: 7 });
  });

  it('reports why when the count fails', async () => {
    const check = serviceCounting(() => Promise.reject(new Error('connection refused'))).checkDatabase();
    await expect(check).resolves.toEqual({ connected: false, reason: 'connection refused' });
  });

  it('gives up after 2 s on a database that does not answer', async () => {
    jest.useFakeTimers();
    const check = serviceCounting(() => new Promise<number>(() => undefined)).checkDatabase();
    await jest.advanceTimersByTimeAsync(1_999);
    let settled = false;
    void check.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(check).resolves.toEqual({ connected: false, reason: 'database did not answer within 2 s' });
  });
});
