import { TaskChangeResponse } from '../history/dto/task-change-response.dto';
import { TaskChangeKind } from '../history/task-change.entity';
import { bodyAfterId, bodyWithId } from './webhook-payloads';

describe('webhook payloads', () => {
  const change = {
    cursor: '42',
    task_id: 'b9b7c2c4-0f4e-4d7e-9a55-0d2c8f3f7d11',
    kind: TaskChangeKind.CommentCreated,
    comment: { id: 'c1', body: 'Quotes " and \\ and é, line\nbreak' },
    changes: {},
    user: { id: 'u1', name: 'Ada' },
    changed_at: '2026-12-08T00:00:00.123Z',
    task: null,
  } as unknown as TaskChangeResponse;

  it('rebuilds exactly the body the contract describes, JSON.stringify({ id, event, created_at, data }), for each delivery id', () => {
    const shared = bodyAfterId(change);
    for (const id of ['0b7e6c1a-1111-4a5b-8c9d-000000000001', '0b7e6c1a-1111-4a5b-8c9d-000000000002']) {
      expect(bodyWithId(id, shared)).toBe(JSON.stringify({ id, event: 'comment.created', created_at: change.changed_at, data: change }));
    }
  });
});
