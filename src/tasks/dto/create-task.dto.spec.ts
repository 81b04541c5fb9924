import { UnprocessableEntityException } from '@nestjs/common';
import { AppValidationPipe } from '../../http/validation.pipe';
import { TaskPriority, TaskStatus } from '../task.enums';
import { CreateTaskDto, toTaskChanges } from './create-task.dto';

/** Runs a body through the app's pipe exactly as a POST /tasks handler receives it. */
function validateBody(body: unknown): Promise<CreateTaskDto> {
  return new AppValidationPipe().transform(body, { type: 'body', metatype: CreateTaskDto }) as Promise<CreateTaskDto>;
}

/** The 422 message array for a body the pipe must refuse. */
async function rejectionMessages(body: unknown): Promise<string[]> {
  const error: unknown = await validateBody(body).then(
    (dto) => new Error(`expected a 422, but the body was accepted as ${JSON.stringify(dto)}`),
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof UnprocessableEntityException)) throw error;
  expect(error.getStatus()).toBe(422);
  return (error.getResponse() as { message: string[] }).message;
}

describe(CreateTaskDto.name, () => {
  describe('accepted bodies', () => {
    it('accepts a body with only a title and leaves every other field undefined', async () => {
      const dto = await validateBody({ title: 'Write the report' });
      expect(dto).toBeInstanceOf(CreateTaskDto);
      expect({ ...dto }).toEqual({ title: 'Write the report' });
    });

    it('accepts every field with a valid value', async () => {
      const body = {
        title: 'Write the report',
        description: 'Numbers for Q4',
        status: 'in_progress',
        priority: 'high',
        assignee: 'alice',
        due_date: '2026-12-01T17:00:00Z',
      };
      await expect(validateBody(body)).resolves.toEqual(body);
    });

    it('trims surrounding white space from the title, including tabs and newlines', async () => {
      await expect(validateBody({ title: ' \t Write the report \n ' })).resolves.toEqual({ title: 'Write the report' });
    });

    it('counts the title length after trimming, so 200 characters with padding are accepted', async () => {
      const title = 'a'.repeat(200);
      await expect(validateBody({ title: `   ${title}   ` })).resolves.toEqual({ title });
    });

    it('accepts null for description, assignee and due_date', async () => {
      await expect(validateBody({ title: 'x', description: null, assignee: null, due_date: null })).resolves.toEqual({
        title: 'x',
        description: null,
        assignee: null,
        due_date: null,
      });
    });

    it('strips fields a client may not set and unknown fields instead of refusing them', async () => {
      const dto = await validateBody({
        title: 'x',
        id: '11111111-1111-4111-8111-111111111111',
        created_at: '2020-01-01T00:00:00Z',
        updated_at: '2020-01-01T00:00:00Z',
        owner: 'mallory',
      });
      expect({ ...dto }).toEqual({ title: 'x' });
    });
  });

  describe('refused bodies', () => {
    it.each([
      ['an empty title', ''],
      ['a title of spaces only', '   '],
      ['a title of tabs and newlines only', '\t\n '],
    ])('refuses %s after trimming it', async (_, title) => {
      await expect(rejectionMessages({ title })).resolves.toEqual(['title should not be empty']);
    });

    it('refuses a missing title', async () => {
      await expect(rejectionMessages({ description: 'no title' })).resolves.toEqual(['title should not be empty']);
    });

    it('refuses a null title', async () => {
      await expect(rejectionMessages({ title: null })).resolves.toEqual(['title should not be empty']);
    });

    it('refuses a title that is a number rather than converting it', async () => {
      await expect(rejectionMessages({ title: 42 })).resolves.toEqual(['title must be a string']);
    });

    it('refuses a title of 201 characters after trimming', async () => {
      await expect(rejectionMessages({ title: ` ${'a'.repeat(201)} ` })).resolves.toEqual([
        'title must be shorter than or equal to 200 characters',
      ]);
    });

    it('refuses a description over 1000 characters and an assignee over 100', async () => {
      await expect(
        rejectionMessages({ title: 'x', description: 'd'.repeat(1001), assignee: 'a'.repeat(101) }),
      ).resolves.toEqual([
        'description must be shorter than or equal to 1000 characters',
        'assignee must be shorter than or equal to 100 characters',
      ]);
    });

    it('refuses null status and null priority, which have defaults but cannot be cleared', async () => {
      await expect(rejectionMessages({ title: 'x', status: null, priority: null })).resolves.toEqual([
        'status must be one of the following values: todo, in_progress, done',
        'priority must be one of the following values: low, medium, high',
      ]);
    });

    it('refuses enum values in another case', async () => {
      await expect(rejectionMessages({ title: 'x', status: 'TODO', priority: 'High' })).resolves.toEqual([
        'status must be one of the following values: todo, in_progress, done',
        'priority must be one of the following values: low, medium, high',
      ]);
    });

    it('refuses an impossible due date', async () => {
      await expect(rejectionMessages({ title: 'x', due_date: '2026-02-30' })).resolves.toEqual([
        'due_date must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])',
      ]);
    });

    it('reports one message per bad field, from the first rule it breaks', async () => {
      const messages = await rejectionMessages({ title: 5, description: 7, status: 'later' });
      expect(messages).toEqual([
        'title must be a string',
        'description must be a string',
        'status must be one of the following values: todo, in_progress, done',
      ]);
    });

    it.each([
      ['an array', []],
      ['a number', 42],
      ['null', null],
      ['no body at all', undefined],
      ['a string', 'title'],
    ])('refuses %s as the body', async (_, body) => {
      await expect(rejectionMessages(body)).resolves.toEqual(['request body must be a JSON object']);
    });
  });
});

describe(toTaskChanges.name, () => {
  it('sets only the fields present in the body', () => {
    expect(toTaskChanges({ status: TaskStatus.Done })).toEqual({ status: TaskStatus.Done });
    expect(toTaskChanges({})).toEqual({});
  });

  it('stores a lower-cased copy of the title and description for case-insensitive search', () => {
    expect(toTaskChanges({ title: 'Été ÉLAN', description: 'ÀBC déf' })).toEqual({
      title: 'Été ÉLAN',
      searchTitle: 'été élan',
      description: 'ÀBC déf',
      searchDescription: 'àbc déf',
    });
  });

  it('keeps null for nullable fields so that they are cleared, search copy included', () => {
    expect(toTaskChanges({ description: null, assignee: null, due_date: null })).toEqual({
      description: null,
      searchDescription: null,
      assignee: null,
      dueDate: null,
    });
  });

  it('parses due_date into the UTC instant it names', () => {
    const changes = toTaskChanges({ due_date: '2026-12-01T10:00:00.123456+01:00' });
    expect(changes.dueDate).toBeInstanceOf(Date);
    expect(changes.dueDate?.toISOString()).toBe('2026-12-01T09:00:00.123Z');
  });

  it('maps every wire field to its entity field', () => {
    expect(
      toTaskChanges({
        title: 'T',
        description: 'D',
        status: TaskStatus.InProgress,
        priority: TaskPriority.Low,
        assignee: 'bob',
        due_date: '2026-12-01',
      }),
    ).toEqual({
      title: 'T',
      searchTitle: 't',
      description: 'D',
      searchDescription: 'd',
      status: TaskStatus.InProgress,
      priority: TaskPriority.Low,
      assignee: 'bob',
      dueDate: new Date('2026-12-01T00:00:00.000Z'),
    });
  });

  it('turns a validated body into changes without the stripped fields', async () => {
    const dto = await validateBody({ title: '  Plan  ', id: 'x', priority: 'high' });
    expect(toTaskChanges(dto)).toEqual({ title: 'Plan', searchTitle: 'plan', priority: TaskPriority.High });
  });
});
