import { describe, expect, it } from 'vitest';
import { defaultView, parseTaskView, serializeTaskView, toListQuery } from './task-view';

describe('parseTaskView', () => {
  it('round-trips every setting through the query string', () => {
    const state = {
      view: 'board' as const,
      status: 'done' as const,
      priority: 'low' as const,
      assignee: 'ana maria',
      q: '50% off',
      sort: 'priority' as const,
      order: 'asc' as const,
      page: 4,
      pageSize: 50,
    };
    expect(parseTaskView(serializeTaskView(state))).toEqual(state);
  });

  it('leaves defaults out of the URL', () => {
    expect(serializeTaskView(defaultView)).toBe('');
    expect(serializeTaskView({ ...defaultView, page: 2 })).toBe('?page=2');
  });

  it('drops values the API would refuse instead of sending them', () => {
    const state = parseTaskView('?status=TODO&priority=urgent&sort=id&order=up&page=-1&limit=7&view=table&q=%20%20');
    expect(state).toEqual(defaultView);
  });

  it('turns the page into skip and limit', () => {
    expect(toListQuery({ ...defaultView, page: 3, pageSize: 10 })).toEqual({
      sort: 'created_at',
      order: 'desc',
      skip: 20,
      limit: 10,
    });
  });
});
