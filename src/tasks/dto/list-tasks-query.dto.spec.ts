import { UnprocessableEntityException } from '@nestjs/common';
import { AppValidationPipe } from '../../http/validation.pipe';
import { ListTasksQueryDto } from './list-tasks-query.dto';

type Query = Record<string, string | string[]>;

/** Runs query parameters through the app's pipe as Express hands them over: strings, or arrays when repeated. */
function validateQuery(query: Query): Promise<ListTasksQueryDto> {
  return new AppValidationPipe().transform(query, {
    type: 'query',
    metatype: ListTasksQueryDto,
  }) as Promise<ListTasksQueryDto>;
}

/**
 * The 422 messages for a query the pipe must refuse, sorted: their order across fields follows the
 * class hierarchy (ListTasksQueryDto's own fields first), which the contract does not fix.
 */
async function rejectionMessages(query: Query): Promise<string[]> {
  const error: unknown = await validateQuery(query).then(
    (dto) => new Error(`expected a 422, but the query was accepted as ${JSON.stringify(dto)}`),
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof UnprocessableEntityException)) throw error;
  return [...(error.getResponse() as { message: string[] }).message].sort();
}

describe(ListTasksQueryDto.name, () => {
  describe('accepted queries', () => {
    it('accepts no parameters and adds no defaults', async () => {
      const dto = await validateQuery({});
      expect(dto).toBeInstanceOf(ListTasksQueryDto);
      expect({ ...dto }).toEqual({});
    });

    it('turns skip and limit made of digits into numbers', async () => {
      await expect(validateQuery({ skip: '20', limit: '10' })).resolves.toEqual({ skip: 20, limit: 10 });
    });

    it('accepts the bounds skip 0, limit 1 and limit 1000', async () => {
      await expect(validateQuery({ skip: '0', limit: '1' })).resolves.toEqual({ skip: 0, limit: 1 });
      await expect(validateQuery({ limit: '1000' })).resolves.toEqual({ limit: 1000 });
    });

    it('reads leading zeros as decimal, not octal', async () => {
      await expect(validateQuery({ skip: '010' })).resolves.toEqual({ skip: 10 });
    });

    it('accepts every filter and sort parameter with a valid value and keeps strings as they are', async () => {
      const query = {
        status: 'in_progress',
        priority: 'high',
        assignee: 'alice',
        q: '50% off_',
        due_before: '2026-12-31',
        due_after: '2026-12-01T00:00:00+01:00',
        sort: 'due_date',
        order: 'desc',
      };
      await expect(validateQuery(query)).resolves.toEqual(query);
    });

    it.each(['created_at', 'updated_at', 'due_date', 'priority', 'status', 'title'])(
      'accepts sort=%s',
      async (sort) => {
        await expect(validateQuery({ sort })).resolves.toEqual({ sort });
      },
    );

    it('strips unknown parameters instead of refusing them', async () => {
      const dto = await validateQuery({ status: 'todo', page: '2', foo: 'bar', id: 'x' });
      expect({ ...dto }).toEqual({ status: 'todo' });
    });
  });

  describe('refused queries', () => {
    it.each([
      ['exponent notation', '1e3'],
      ['a leading space', ' 5'],
      ['a trailing space', '5 '],
      ['a negative number', '-1'],
      ['a plus sign', '+5'],
      ['a decimal fraction', '1.5'],
      ['hexadecimal', '0x10'],
      ['an empty value', ''],
      ['a word', 'ten'],
    ])('refuses %s for skip and limit', async (_, value) => {
      await expect(rejectionMessages({ skip: value, limit: value })).resolves.toEqual(
        [
          'skip must be an integer number',
          'limit must be an integer number',
        ].sort(),
      );
    });

    it('refuses repeated skip and limit, which arrive as arrays', async () => {
      await expect(rejectionMessages({ skip: ['1', '2'], limit: ['10', '10'] })).resolves.toEqual(
        [
          'skip must be an integer number',
          'limit must be an integer number',
        ].sort(),
      );
    });

    it('refuses limit 0 and limit 1001', async () => {
      await expect(rejectionMessages({ limit: '0' })).resolves.toEqual(['limit must not be less than 1']);
      await expect(rejectionMessages({ limit: '1001' })).resolves.toEqual(['limit must not be greater than 1000']);
    });

    it('refuses a skip beyond the safe integer range, which would lose precision', async () => {
      await expect(rejectionMessages({ skip: '9007199254740992' })).resolves.toEqual([
        'skip must not be greater than 9007199254740991',
      ]);
    });

    it('refuses enum values in another case', async () => {
      await expect(
        rejectionMessages({ status: 'TODO', priority: 'High', sort: 'CREATED_AT', order: 'ASC' }),
      ).resolves.toEqual(
        [
          'status must be one of the following values: todo, in_progress, done',
          'priority must be one of the following values: low, medium, high',
          'sort must be one of the following values: created_at, updated_at, due_date, priority, status, title, key',
          'order must be one of the following values: asc, desc',
        ].sort(),
      );
    });

    it('refuses a sort key that is not in the list', async () => {
      await expect(rejectionMessages({ sort: 'id' })).resolves.toEqual([
        'sort must be one of the following values: created_at, updated_at, due_date, priority, status, title, key',
      ]);
    });

    it('refuses empty values, which are present and therefore not optional', async () => {
      await expect(
        rejectionMessages({ status: '', priority: '', assignee: '', q: '', due_before: '', sort: '', order: '' }),
      ).resolves.toEqual(
        [
          'status must be one of the following values: todo, in_progress, done',
          'priority must be one of the following values: low, medium, high',
          'assignee should not be empty',
          'q should not be empty',
          'due_before must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])',
          'sort must be one of the following values: created_at, updated_at, due_date, priority, status, title, key',
          'order must be one of the following values: asc, desc',
        ].sort(),
      );
    });

    it('refuses repeated filters, which arrive as arrays', async () => {
      await expect(
        rejectionMessages({ status: ['todo', 'done'], assignee: ['a', 'b'], q: ['x', 'y'], due_after: ['2026-01-01'] }),
      ).resolves.toEqual(
        [
          'status must be one of the following values: todo, in_progress, done',
          'assignee must be a string',
          'q must be a string',
          'due_after must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])',
        ].sort(),
      );
    });

    it('refuses impossible due bounds', async () => {
      await expect(rejectionMessages({ due_before: '2026-02-30', due_after: '2026-12-01 10:00' })).resolves.toEqual(
        [
          'due_before must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])',
          'due_after must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])',
        ].sort(),
      );
    });

    // Length is not part of the query contract (a long assignee simply matches nothing);
    // NUL is refused because PostgreSQL cannot compare it.
    it('refuses a NUL character in assignee and q', async () => {
      await expect(rejectionMessages({ assignee: 'al\u0000ice', q: 'a\u0000' })).resolves.toEqual(
        ['assignee must not contain NUL (\\u0000) characters', 'q must not contain NUL (\\u0000) characters'].sort(),
      );
    });
  });
});
