import { UnprocessableEntityException } from '@nestjs/common';
import { AppValidationPipe } from '../../http/validation.pipe';
import { TaskPriority, TaskStatus } from '../task.enums';
import { toTaskChanges } from './create-task.dto';
import { UpdateTaskDto } from './update-task.dto';

/** Runs a body through the app's pipe exactly as a PUT/PATCH /tasks/:id handler receives it. */
function validateBody(body: unknown): Promise<UpdateTaskDto> {
  return new AppValidationPipe().transform(body, { type: 'body', metatype: UpdateTaskDto }) as Promise<UpdateTaskDto>;
}

/** The 422 message array for a body the pipe must refuse. */
async function rejectionMessages(body: unknown): Promise<string[]> {
  const error: unknown = await validateBody(body).then(
    (dto) => new Error(`expected a 422, but the body was accepted as ${JSON.stringify(dto)}`),
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof UnprocessableEntityException)) throw error;
  return (error.getResponse() as { message: string[] }).message;
}

describe(UpdateTaskDto.name, () => {
  describe('accepted bodies', () => {
    it('accepts an empty object, which changes nothing', async () => {
      const dto = await validateBody({});
      expect(dto).toBeInstanceOf(UpdateTaskDto);
      expect({ ...dto }).toEqual({});
      expect(toTaskChanges(dto)).toEqual({});
    });

    it('accepts a body without a title', async () => {
      await expect(validateBody({ status: 'done' })).resolves.toEqual({ status: 'done' });
    });

    it('trims the title', async () => {
      await expect(validateBody({ title: '  Renamed  ' })).resolves.toEqual({ title: 'Renamed' });
    });

    it('accepts null for description, assignee and due_date so that they can be cleared', async () => {
      await expect(validateBody({ description: null, assignee: null, due_date: null })).resolves.toEqual({
        description: null,
        assignee: null,
        due_date: null,
      });
    });

    it('strips fields a client may not set and unknown fields', async () => {
      const dto = await validateBody({ priority: 'low', id: 'other', created_at: '2020-01-01', extra: true });
      expect({ ...dto }).toEqual({ priority: 'low' });
    });
  });

  describe('refused bodies', () => {
    it('refuses a null title, which would clear a required field', async () => {
      await expect(rejectionMessages({ title: null })).resolves.toEqual(['title should not be empty']);
    });

    it.each([
      ['an empty title', ''],
      ['a title of white space only', ' \t '],
    ])('refuses %s', async (_, title) => {
      await expect(rejectionMessages({ title })).resolves.toEqual(['title should not be empty']);
    });

    it('refuses a title that is not a string', async () => {
      await expect(rejectionMessages({ title: ['a'] })).resolves.toEqual(['title must be a string']);
    });

    it('refuses a title of 201 characters after trimming', async () => {
      await expect(rejectionMessages({ title: 'b'.repeat(201) })).resolves.toEqual([
        'title must be shorter than or equal to 200 characters',
      ]);
    });

    it('refuses null status and null priority', async () => {
      await expect(rejectionMessages({ status: null, priority: null })).resolves.toEqual([
        'status must be one of the following values: todo, in_progress, done',
        'priority must be one of the following values: low, medium, high',
      ]);
    });

    it('refuses the validation rules inherited from the create body', async () => {
      await expect(
        rejectionMessages({ description: 'd'.repeat(1001), assignee: 7, due_date: '2025-02-29' }),
      ).resolves.toEqual([
        'description must be shorter than or equal to 1000 characters',
        'assignee must be a string',
        'due_date must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM])',
      ]);
    });

    it('refuses a body that is not an object', async () => {
      await expect(rejectionMessages([{ title: 'x' }])).resolves.toEqual(['request body must be a JSON object']);
    });
  });

  describe('changes it produces', () => {
    it('sets only the fields present, with null clearing the nullable ones', async () => {
      const dto = await validateBody({ title: ' Ship ', assignee: null, due_date: '2026-12-01T18:30:00-02:00' });
      expect(toTaskChanges(dto)).toEqual({
        title: 'Ship',
        searchTitle: 'ship',
        assignee: null,
        dueDate: new Date('2026-12-01T20:30:00.000Z'),
      });
    });

    it('clears the description together with its search copy', async () => {
      const dto = await validateBody({ description: null });
      expect(toTaskChanges(dto)).toEqual({ description: null, searchDescription: null });
    });

    it('changes status and priority without touching the title', async () => {
      const dto = await validateBody({ status: 'in_progress', priority: 'high' });
      expect(toTaskChanges(dto)).toEqual({ status: TaskStatus.InProgress, priority: TaskPriority.High });
    });
  });
});
