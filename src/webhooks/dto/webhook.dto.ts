import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy, ValidateIf } from 'class-validator';
import { ALL_EVENTS, WEBHOOK_EVENTS } from '../webhook-events';
import { Webhook } from '../webhook.entity';
import { MAX_URL_LENGTH } from '../webhook-url';

const EVENT_CHOICES = [ALL_EVENTS, ...WEBHOOK_EVENTS];

/** `["*"]` alone, or names of events (duplicates allowed, collapsed when stored). */
const IsEventList = () =>
  ValidateBy({
    name: 'isEventList',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.every((event) => typeof event === 'string' && EVENT_CHOICES.includes(event)) &&
        (!value.includes(ALL_EVENTS) || value.every((event) => event === ALL_EVENTS)),
      defaultMessage: () => `events must be ["*"] or a list of: ${WEBHOOK_EVENTS.join(', ')}`,
    },
  });

const EVENTS_PROPERTY: ApiPropertyOptions = {
  type: [String],
  example: ['task.created', 'comment.created'],
  description: `\`["*"]\` (every event, today's and future ones) or a non-empty list of: ${WEBHOOK_EVENTS.join(', ')}. Duplicates are collapsed; "*" among names is 422.`,
};

export class CreateWebhookDto {
  @ApiProperty({ maxLength: MAX_URL_LENGTH, example: 'https://hooks.example.com/taskflow', description: 'Absolute http(s), no user or password; not a loopback, private, link-local, unique-local, multicast or unspecified address (after DNS resolution) unless its host is in WEBHOOK_ALLOWED_HOSTS.' })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url!: string;

  @ApiProperty(EVENTS_PROPERTY)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsEventList()
  events!: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'Default true. An inactive webhook makes no deliveries, and those it had wait.' })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  active?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: MAX_URL_LENGTH, description: 'The same rules as at creation.' })
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url?: string;

  @ApiPropertyOptional(EVENTS_PROPERTY)
  @ValidateIf((_, value) => value !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsEventList()
  events?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'null clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'false pauses it; true resumes it and attempts its waiting deliveries at once.' })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  active?: boolean;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/taskflow' })
  url!: string;

  @ApiProperty({ type: [String], example: ['*'] })
  events!: string[];

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ description: 'False when paused, or disabled after 20 failed deliveries in a row.' })
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class SecretResponse {
  @ApiProperty({ description: 'The signing secret (`whsec_` and 43 base64url characters); shown only here.', example: 'whsec_2bK4pY1q0Z8c5bQ6n3v7r9Xk1tWmA0dLfE4gH8jJ2sU' })
  secret!: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({ description: 'The signing secret; shown only in this answer (rotate it to get a new one).' })
  secret!: string;
}

export function toWebhookResponse(webhook: Webhook): WebhookResponse {
  return {
    id: webhook.id,
    url: webhook.url,
    events: JSON.parse(webhook.events) as string[],
    description: webhook.description,
    active: webhook.active,
    created_at: webhook.createdAt.toISOString(),
  };
}

export class ListDeliveriesQueryDto {
  @ApiPropertyOptional({ description: 'Deliveries to return, 1 to 100; default 50.', minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
