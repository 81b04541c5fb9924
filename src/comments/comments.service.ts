import { ConflictException, ForbiddenException, Injectable, NotFoundException, OnModuleInit, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import type { CurrentUserSnapshot } from '../auth/principal';
import { runAtomically, WriteStep } from '../database/atomic-write';
import { storedDate } from '../database/sql-values';
import { ChangeLogService } from '../history/change-log.service';
import { TaskChangeKind } from '../history/task-change.entity';
import { isIssuedId } from '../http/issued-id';
import { NewNotification, WatchDecision, asWriteSteps } from '../notifications/notification-rows';
import { NotificationKind } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { toTaskResponse } from '../tasks/dto/task-response.dto';
import { TaskWriteHooks } from '../tasks/task-write-hooks';
import { Task } from '../tasks/task.entity';
import { TasksService } from '../tasks/tasks.service';
import { User } from '../users/user.entity';
import { UserRole } from '../users/user-role';
import { Comment } from './comment.entity';
import { CommentResponse } from './dto/comment.dto';
import { mentionedIds } from './mentions';

export interface CommentPage {
  comments: CommentResponse[];
  total: number;
  nextCursor: string | null;
}

/**
 * A task's comments (docs/API.md, "Comments"). Each write is one transaction with its change-log entry
 * (kind comment_created / comment_updated / comment_deleted), its watchers and its notifications.
 */
@Injectable()
export class CommentsService implements OnModuleInit {
  private readonly isPostgres: boolean;

  constructor(
    @InjectRepository(Comment) private readonly comments: Repository<Comment>,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: TasksService,
    private readonly notifications: NotificationsService,
    private readonly changeLog: ChangeLogService,
    private readonly taskWriteHooks: TaskWriteHooks,
  ) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  onModuleInit(): void {
    // Deleting a task deletes its comments, in the same transaction.
    if (this.notifications.enabled) this.taskWriteHooks.register(async (event) => (event.kind === 'deleted' ? { alsoDeleteFrom: ['comments'] } : {}));
  }

  /** Oldest first, `limit` at a time after `cursor` (`<created_at ms>.<id>` of the last one read). */
  async list(taskIdOrKey: string, limit: number, cursor?: string): Promise<CommentPage> {
    const task = await this.tasks.findOne(taskIdOrKey);
    const query = this.comments.createQueryBuilder('c').where('c.task_id = :taskId', { taskId: task.id });
    const total = await query.clone().getCount();
    if (cursor !== undefined) {
      const [ms, id] = cursor.split('.', 2) as [string, string];
      const after = new Date(Number(ms));
      query.andWhere('(c.created_at > :after OR (c.created_at = :after AND c.id > :id))', { after: storedDate(this.dataSource, after), id });
    }
    const rows = await query.orderBy('c.created_at', 'ASC').addOrderBy('c.id', 'ASC').take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      comments: await this.responses(page),
      total,
      nextCursor: rows.length > limit ? `${String(last.createdAt.getTime()).padStart(13, '0')}.${last.id}` : null,
    };
  }

  async create(taskIdOrKey: string, body: string, author: CurrentUserSnapshot): Promise<CommentResponse> {
    // The task, its project's archived flag and its watchers in one statement.
    const { task, projectArchived, watcherIds: watchers = [] } = await this.tasks.findForWrite(taskIdOrKey, { projectArchived: true, watchers: true });
    if (projectArchived) throw archivedProject(task);
    const mentions = await this.checkMentions(body);
    const now = new Date();
    const comment: Comment = { id: randomUUID(), taskId: task.id, authorId: author.id, body, createdAt: now, editedAt: null };
    const response = this.toResponse(comment, author, mentions);
    const mentioned = new Set(mentions.map((user) => user.id));
    const notifications = [
      ...this.notificationsFor(mentioned, NotificationKind.Mentioned, task, comment, author),
      ...this.notificationsFor(
        watchers.filter((id) => !mentioned.has(id)),
        NotificationKind.Commented,
        task,
        comment,
        author,
      ),
    ];
    // Commenting, like being mentioned, makes one watch again.
    const watch: WatchDecision[] = [author.id, ...mentioned].map((userId) => ({ taskId: task.id, userId, watching: true }));
    const written = await runAtomically(this.dataSource, [
      {
        sql:
          'INSERT INTO comments (id, task_id, author_id, body, created_at, edited_at) SELECT ?, ?, ?, ?, ?, NULL ' +
          `WHERE EXISTS (SELECT 1 FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.id = ? AND p.archived = ${this.false})`,
        params: [comment.id, task.id, author.id, body, now, task.id],
        required: true,
      },
      this.logStep(TaskChangeKind.CommentCreated, task, (task.commentCount ?? 0) + 1, response, author, now),
      ...asWriteSteps(notifications, watch, await this.notifications.emailRows(notifications, author.name)),
    ]);
    if (!written) await this.refusal(task.id, taskIdOrKey);
    this.changeLog.announceWrite({ notifications: notifications.length > 0 });
    return response;
  }

  async update(taskIdOrKey: string, commentId: string, body: string, user: CurrentUserSnapshot): Promise<CommentResponse> {
    const { task, projectArchived } = await this.tasks.findForWrite(taskIdOrKey, { projectArchived: true });
    const comment = await this.find(task.id, commentId);
    if (comment.authorId !== user.id) throw new ForbiddenException('Only its author can edit a comment');
    if (projectArchived) throw archivedProject(task);
    const mentions = await this.checkMentions(body);
    const before = new Set(mentionedIds(comment.body));
    const newlyMentioned = mentions.map((mentioned) => mentioned.id).filter((id) => !before.has(id));
    const now = new Date();
    const edited: Comment = { ...comment, body, editedAt: now };
    const response = this.toResponse(edited, await this.authorOf(edited), mentions);
    const notifications = this.notificationsFor(newlyMentioned, NotificationKind.Mentioned, task, edited, user);
    const written = await runAtomically(this.dataSource, [
      { sql: 'UPDATE comments SET body = ?, edited_at = ? WHERE id = ? AND task_id = ?', params: [body, now, comment.id, task.id], required: true },
      this.logStep(TaskChangeKind.CommentUpdated, task, task.commentCount ?? 0, response, user, now),
      ...(await this.notificationSteps(notifications, newlyMentioned, task, user)),
    ]);
    if (!written) throw new NotFoundException(`Comment ${commentId} not found`);
    this.changeLog.announceWrite({ notifications: notifications.length > 0 });
    return response;
  }

  async remove(taskIdOrKey: string, commentId: string, user: CurrentUserSnapshot): Promise<void> {
    const { task, projectArchived } = await this.tasks.findForWrite(taskIdOrKey, { projectArchived: true });
    const comment = await this.find(task.id, commentId);
    if (comment.authorId !== user.id && user.role !== UserRole.Admin) throw new ForbiddenException('Only its author or an admin can delete a comment');
    if (projectArchived) throw archivedProject(task);
    const now = new Date();
    const written = await runAtomically(this.dataSource, [
      { sql: 'DELETE FROM comments WHERE id = ? AND task_id = ?', params: [comment.id, task.id], required: true },
      this.logStep(TaskChangeKind.CommentDeleted, task, Math.max(0, (task.commentCount ?? 1) - 1), null, user, now),
    ]);
    if (!written) throw new NotFoundException(`Comment ${commentId} not found`);
    this.changeLog.announceWrite({ notifications: false });
  }

  /** The comment's change-log entry: no field changes, the task as it stands, the comment as written. */
  private logStep(kind: TaskChangeKind, task: Task, commentCount: number, comment: CommentResponse | null, user: CurrentUserSnapshot, at: Date): WriteStep {
    const snapshot = { ...toTaskResponse(task), comment_count: commentCount };
    return {
      rows: {
        table: 'task_changes',
        columns: ['task_id', 'kind', 'fields', 'snapshot', 'comment', 'user_id', 'changed_at'],
        pgTypes: ['varchar', 'varchar', 'text', 'text', 'text', 'varchar', 'timestamptz'],
        rows: [[task.id, kind, '{}', JSON.stringify(snapshot), comment ? JSON.stringify(comment) : null, user.id, at]],
      },
    };
  }

  /** The notifications of an edit, the watching of the newly mentioned, and their emails. */
  private async notificationSteps(notifications: NewNotification[], watchers: string[], task: Task, user: CurrentUserSnapshot): Promise<WriteStep[]> {
    const watch = watchers.map((userId) => ({ taskId: task.id, userId, watching: true }));
    return asWriteSteps(notifications, watch, await this.notifications.emailRows(notifications, user.name));
  }

  private notificationsFor(userIds: Iterable<string>, kind: NotificationKind, task: Task, comment: Comment, actor: CurrentUserSnapshot): NewNotification[] {
    const taskRef = { id: task.id, key: `${task.projectKey}-${task.number}`, title: task.title };
    return [...new Set(userIds)]
      .filter((userId) => userId !== actor.id)
      .map((userId) => ({ userId, kind, task: taskRef, actorId: actor.id, commentId: comment.id, at: comment.editedAt ?? comment.createdAt }));
  }

  /** Every mentioned id must be an enabled user (422); they come back once each, in order of first appearance. */
  private async checkMentions(body: string): Promise<Array<{ id: string; name: string }>> {
    const ids = mentionedIds(body);
    if (ids.length === 0) return [];
    const users = await this.users.find({ where: { id: In(ids) }, select: { id: true, name: true, disabled: true } });
    const enabled = new Map(users.filter((user) => !user.disabled).map((user) => [user.id, user.name]));
    const unknown = ids.filter((id) => !enabled.has(id));
    if (unknown.length > 0) throw new UnprocessableEntityException([`body mentions users that do not exist or are disabled: ${unknown.join(', ')}`]);
    return ids.map((id) => ({ id, name: enabled.get(id)! }));
  }

  /** Why a comment write changed nothing: its task was deleted (404) or its project archived (409) meanwhile. */
  private async refusal(taskId: string, taskIdOrKey: string): Promise<never> {
    const found = await this.tasks.findForWrite(taskId, { projectArchived: true }).catch(() => null);
    if (!found) throw new NotFoundException(`Task ${taskIdOrKey} not found`);
    if (found.projectArchived) throw archivedProject(found.task);
    throw new ConflictException(`Task ${taskIdOrKey} cannot take comments now`);
  }

  private async find(taskId: string, commentId: string): Promise<Comment> {
    const comment = isIssuedId(commentId) ? await this.comments.findOneBy({ id: commentId, taskId }) : null;
    if (!comment) throw new NotFoundException(`Comment ${commentId} not found`);
    return comment;
  }

  private async authorOf(comment: Comment): Promise<{ id: string; name: string }> {
    const author = await this.users.findOne({ where: { id: comment.authorId }, select: { id: true, name: true } });
    return { id: comment.authorId, name: author?.name ?? '' };
  }

  /** Responses with the current names of authors and mentioned users, read in one query. */
  private async responses(comments: Comment[]): Promise<CommentResponse[]> {
    const ids = [...new Set(comments.flatMap((comment) => [comment.authorId, ...mentionedIds(comment.body)]))];
    const users = ids.length ? await this.users.find({ where: { id: In(ids) }, select: { id: true, name: true } }) : [];
    const names = new Map(users.map((user) => [user.id, user.name]));
    return comments.map((comment) =>
      this.toResponse(
        comment,
        { id: comment.authorId, name: names.get(comment.authorId) ?? '' },
        // A mentioned user deleted since is left out.
        mentionedIds(comment.body)
          .filter((id) => names.has(id))
          .map((id) => ({ id, name: names.get(id)! })),
      ),
    );
  }

  private toResponse(comment: Comment, author: { id: string; name: string }, mentions: Array<{ id: string; name: string }>): CommentResponse {
    return {
      id: comment.id,
      task_id: comment.taskId,
      body: comment.body,
      author: { id: author.id, name: author.name },
      mentions,
      created_at: comment.createdAt.toISOString(),
      edited_at: comment.editedAt?.toISOString() ?? null,
    };
  }

  private get false(): string {
    return this.isPostgres ? 'FALSE' : '0';
  }

}

/** The 409 of a comment write on a task of an archived project (the task's project key is its project's). */
function archivedProject(task: Task): ConflictException {
  return new ConflictException(`Project ${task.projectKey} is archived: the comments of its tasks cannot change`);
}
