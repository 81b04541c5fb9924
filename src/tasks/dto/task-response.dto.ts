import { ApiProperty } from '@nestjs/swagger';
import { Task } from '../task.entity';
import { TaskPriority, TaskStatus } from '../task.enums';

export class TaskAuthorResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: "The user's current name.", example: 'Alice Martin' })
  name!: string;
}

export class TaskLabelResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'bug' })
  name!: string;

  @ApiProperty({ example: '#dc2626' })
  color!: string;
}

export class TaskResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b' })
  id!: string;

  @ApiProperty({ example: 'Prepare the sprint demo' })
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Slides and a live run of the board' })
  description!: string | null;

  @ApiProperty({ enum: TaskStatus, enumName: 'TaskStatus', example: TaskStatus.Todo })
  status!: TaskStatus;

  @ApiProperty({ enum: TaskPriority, enumName: 'TaskPriority', example: TaskPriority.Medium })
  priority!: TaskPriority;

  @ApiProperty({ type: String, nullable: true, example: 'alice' })
  assignee!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-01T17:00:00.000Z' })
  due_date!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T09:15:00.000Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', description: 'Changes on every successful update.', example: '2026-11-22T09:15:00.000Z' })
  updated_at!: string;

  @ApiProperty({
    type: TaskAuthorResponse,
    nullable: true,
    description: 'Who created the task; null in AUTH_MODE=off and for tasks written before accounts existed.',
  })
  created_by!: TaskAuthorResponse | null;

  @ApiProperty({ type: TaskAuthorResponse, nullable: true, description: 'Who changed the task last (the creator until then).' })
  updated_by!: TaskAuthorResponse | null;

  @ApiProperty({ format: 'uuid', description: 'The project the task belongs to.' })
  project_id!: string;

  @ApiProperty({ description: 'Unique inside the project and never reused; a moved task takes the next number of its new project.', example: 12 })
  number!: number;

  @ApiProperty({ description: "`<project key>-<number>`: every task route accepts it instead of the id, as do the task's old keys.", example: 'TF-12' })
  key!: string;

  @ApiProperty({ type: [TaskLabelResponse], description: 'Ordered by name.' })
  labels!: TaskLabelResponse[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The member the task is assigned to; always null in AUTH_MODE=off.' })
  assignee_id!: string | null;

  @ApiProperty({ type: TaskAuthorResponse, nullable: true, description: "The assigned member's id and current name." })
  assignee_user!: TaskAuthorResponse | null;

  @ApiProperty({ description: 'Comments on the task (not part of its version).', example: 0 })
  comment_count!: number;
}

export function toTaskResponse(task: Task): TaskResponse {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    assignee: task.assignee,
    // The one place that fixes the wire format of dates: UTC, milliseconds, `Z`.
    due_date: task.dueDate?.toISOString() ?? null,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    created_by: task.createdBy ? { id: task.createdBy.id, name: task.createdBy.name } : null,
    updated_by: task.updatedBy ? { id: task.updatedBy.id, name: task.updatedBy.name } : null,
    project_id: task.projectId,
    number: task.number,
    key: `${task.projectKey}-${task.number}`,
    labels: (task.labels ?? []).map((label) => ({ id: label.id, name: label.name, color: label.color })),
    assignee_id: task.assigneeId,
    assignee_user: task.assigneeUser ? { id: task.assigneeUser.id, name: task.assigneeUser.name } : null,
    comment_count: task.commentCount ?? 0,
  };
}

export class TaskCountResponse {
  @ApiProperty({ example: 42 })
  total!: number;
}

export class TasksByStatus {
  @ApiProperty({ example: 3 }) todo!: number;
  @ApiProperty({ example: 2 }) in_progress!: number;
  @ApiProperty({ example: 5 }) done!: number;
}

export class TasksByPriority {
  @ApiProperty({ example: 4 }) low!: number;
  @ApiProperty({ example: 4 }) medium!: number;
  @ApiProperty({ example: 2 }) high!: number;
}

export class TaskStatsResponse {
  @ApiProperty({ example: 10 })
  total!: number;

  @ApiProperty({ type: TasksByStatus })
  by_status!: TasksByStatus;

  @ApiProperty({ type: TasksByPriority })
  by_priority!: TasksByPriority;

  @ApiProperty({ description: 'Tasks whose due_date is past and whose status is not done.', example: 1 })
  overdue!: number;
}
