import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe(isDatabaseUnavailable.name, () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down (57P01)', new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01'))],
    ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    ['the pool waiting too long', new Error('timeout exceeded when trying to connect')],
    ['a data source that is not connected', new Error('Driver not Connected')],
    ['SQLite locked past its busy timeout', new QueryFailedError('INSERT', [], withCode('database is locked', 'SQLITE_BUSY'))],
    ['an I/O failure of SQLite', withCode('disk I/O error', 'SQLITE_IOERR_WRITE')],
  ])('recognises %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    ['a bug', new TypeError('Cannot read properties of undefined')],
    ['something that is not an error', 'ECONNREFUSED'],
  ])('leaves %s to be a 500 (or handled where it arises)', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
