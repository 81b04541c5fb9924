import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AccountRoute, AdminOnly } from '../auth/access.decorators';
import { ApiCredential } from '../auth/auth.api-docs';
import { ErrorResponse } from '../http/error-response';
import { ApiInvalidInput, ApiJsonBody } from '../tasks/tasks.api-docs';
import { DeliveryResponse, toDeliveryResponse } from './dto/delivery.dto';
import { CreatedWebhookResponse, CreateWebhookDto, ListDeliveriesQueryDto, SecretResponse, toWebhookResponse, UpdateWebhookDto, WebhookResponse } from './dto/webhook.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhooksService } from './webhooks.service';

const DEFAULT_DELIVERIES_LIMIT = 50;

const ApiWebhookId = () => ApiParam({ name: 'id', description: "The webhook's id.", schema: { type: 'string' } });
const ApiNoWebhook = () => ApiNotFoundResponse({ description: 'No such webhook.', type: ErrorResponse });

/** Webhooks (AUTH_MODE=required only): signed-in admins only, never an API token. */
@ApiTags('webhooks')
@Controller('webhooks')
@AccountRoute()
@ApiCredential("A signed-in admin's access token; API tokens get 403.")
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'Every webhook, oldest first' })
  @ApiOkResponse({ type: [WebhookResponse] })
  async findAll(): Promise<WebhookResponse[]> {
    return (await this.webhooks.findAll()).map(toWebhookResponse);
  }

  @Post()
  @AdminOnly()
  @ApiOperation({
    summary: 'Register a webhook',
    description: 'The answer carries the signing secret, shown only here. The URL is checked after DNS resolution (422 for a loopback, private, link-local, unique-local, multicast or unspecified address unless WEBHOOK_ALLOWED_HOSTS lists its host).',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiJsonBody()
  async create(@Body() body: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const webhook = await this.webhooks.create(body);
    return { ...toWebhookResponse(webhook), secret: webhook.secret };
  }

  @Get(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'One webhook (without its secret)' })
  @ApiWebhookId()
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNoWebhook()
  async findOne(@Param('id') id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.webhooks.findOne(id));
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOperation({ summary: 'Change a webhook', description: '`active: false` pauses it (its deliveries wait); `active: true` resumes it and attempts the waiting deliveries at once.' })
  @ApiWebhookId()
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNoWebhook()
  @ApiJsonBody()
  async update(@Param('id') id: string, @Body() body: UpdateWebhookDto): Promise<WebhookResponse> {
    return toWebhookResponse(await this.webhooks.update(id, body));
  }

  @Delete(':id')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a webhook and its delivery log' })
  @ApiWebhookId()
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNoWebhook()
  async remove(@Param('id') id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Post(':id/rotate-secret')
  @AdminOnly()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Replace the signing secret', description: 'The new secret is shown only here; the old one stops signing at once (retries of earlier deliveries are signed with the new one).' })
  @ApiWebhookId()
  @ApiOkResponse({ type: SecretResponse })
  @ApiNoWebhook()
  async rotateSecret(@Param('id') id: string): Promise<SecretResponse> {
    return { secret: await this.webhooks.rotateSecret(id) };
  }

  @Post(':id/ping')
  @AdminOnly()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a ping', description: 'A delivery of event `ping` with `data: {"webhook_id"}` follows, whatever the webhook\'s events.' })
  @ApiWebhookId()
  @ApiAcceptedResponse({ description: 'The ping is on its way; see the delivery log.' })
  @ApiNoWebhook()
  @ApiConflictResponse({ description: 'The webhook is inactive.', type: ErrorResponse })
  async ping(@Param('id') id: string): Promise<void> {
    await this.deliveries.ping(await this.webhooks.findOne(id));
  }

  @Get(':id/deliveries')
  @AdminOnly()
  @ApiOperation({ summary: "A webhook's delivery log, newest first", description: 'Deliveries are kept 30 days.' })
  @ApiWebhookId()
  @ApiOkResponse({ type: [DeliveryResponse] })
  @ApiNoWebhook()
  @ApiInvalidInput()
  async deliveriesOf(@Param('id') id: string, @Query() query: ListDeliveriesQueryDto): Promise<DeliveryResponse[]> {
    const webhook = await this.webhooks.findOne(id);
    return (await this.deliveries.list(webhook.id, query.limit ?? DEFAULT_DELIVERIES_LIMIT)).map(toDeliveryResponse);
  }

  @Post(':id/deliveries/:delivery_id/redeliver')
  @AdminOnly()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Attempt a delivery once more',
    description: 'The same delivery (same `TaskFlow-Delivery`, same body), attempted now; `attempts` grows and its status follows that attempt. A pending delivery keeps its remaining retries. For an inactive webhook it waits for the reactivation.',
  })
  @ApiWebhookId()
  @ApiParam({ name: 'delivery_id', description: "The delivery's id.", schema: { type: 'string' } })
  @ApiAcceptedResponse({ description: 'The attempt is on its way.' })
  @ApiNotFoundResponse({ description: 'No such webhook, or no such delivery of it.', type: ErrorResponse })
  async redeliver(@Param('id') id: string, @Param('delivery_id') deliveryId: string): Promise<void> {
    await this.deliveries.redeliver(await this.webhooks.findOne(id), deliveryId);
  }
}
