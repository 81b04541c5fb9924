import { Client } from 'pg';
import { buildDataSourceOptions } from './data-source.options';
import { GuardedPgClient } from './guarded-pg-client';

describe(GuardedPgClient.name, () => {
  it('survives an error emitted while nothing else listens (a plain pg Client would throw)', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(() => new Client().emit('error', terminated)).toThrow(/terminating connection/);
    expect(() => new GuardedPgClient().emit('error', terminated)).not.toThrow();
  });

  it('is the client class of the PostgreSQL pool', () => {
    const options = buildDataSourceOptions('postgres://u@h/db') as { extra?: { Client?: unknown } };
    expect(options.extra?.Client).toBe(GuardedPgClient);
  });
});
