import { describe, expect, it } from 'vitest';
import { makeTask } from '../../test/fake-api';
import { emptyTaskForm, mapServerMessages, toFormValues, toUpdateBody, validateTaskForm } from './task-form-values';

describe('validateTaskForm', () => {
  it('accepts the limits exactly and refuses one character more', () => {
    const atLimit = { ...emptyTaskForm, title: 't'.repeat(200), description: 'd'.repeat(1000), assignee: 'a'.repeat(100) };
    expect(validateTaskForm(atLimit)).toEqual({});
    const over = { ...emptyTaskForm, title: 't'.repeat(201), description: 'd'.repeat(1001), assignee: 'a'.repeat(101) };
    expect(Object.keys(validateTaskForm(over)).sort()).toEqual(['assignee', 'description', 'title']);
  });

  it('measures the title after trimming, as the server does', () => {
    expect(validateTaskForm({ ...emptyTaskForm, title: `  ${'t'.repeat(200)}  ` })).toEqual({});
    expect(validateTaskForm({ ...emptyTaskForm, title: ' \t\n' }).title).toBe('Title is required.');
  });
});

describe('mapServerMessages', () => {
  it('puts each message beside the field it starts with, and keeps the rest for the form', () => {
    expect(
      mapServerMessages([
        'Title cannot be empty',
        'description must be shorter than or equal to 1000 characters',
        'due_date must be a valid ISO 8601 date string',
        'property foo should not exist',
      ]),
    ).toEqual({
      fields: {
        title: 'Title cannot be empty',
        description: 'description must be shorter than or equal to 1000 characters',
        dueDate: 'due_date must be a valid ISO 8601 date string',
      },
      general: ['property foo should not exist'],
    });
  });
});

describe('toUpdateBody', () => {
  it('is empty when nothing changed, and clears a field with null', () => {
    const task = makeTask({ description: 'text', assignee: 'ana', due_date: '2026-12-01T09:00:00.000Z' });
    expect(toUpdateBody(toFormValues(task), task)).toEqual({});
    expect(toUpdateBody({ ...toFormValues(task), description: '', dueDate: '' }, task)).toEqual({
      description: null,
      due_date: null,
    });
  });
});
