import { ApiProperty } from '@nestjs/swagger';
import { DeliveryStatus, WebhookDelivery } from '../webhook-delivery.entity';

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'Also the `TaskFlow-Delivery` header and the body\'s `id`, the same on every attempt.' })
  id!: string;

  @ApiProperty({ example: 'task.updated', description: 'An event name, or `ping`.' })
  event!: string;

  @ApiProperty({ enum: DeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  status!: DeliveryStatus;

  @ApiProperty({ description: 'Attempts made so far.' })
  attempts!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'The HTTP status of the last attempt; null without an answer.' })
  response_status!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed; null when it succeeded or none was made.' })
  error!: string | null;

  @ApiProperty({ format: 'date-time', description: 'When its event happened (the change\'s `changed_at`), or when the ping was asked for.' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_attempt_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due; null once settled, and while the webhook is inactive (the delivery waits).' })
  next_attempt_at!: string | null;
}

export function toDeliveryResponse(delivery: WebhookDelivery): DeliveryResponse {
  return {
    id: delivery.id,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    response_status: delivery.responseStatus,
    error: delivery.error,
    created_at: delivery.createdAt.toISOString(),
    last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
  };
}
