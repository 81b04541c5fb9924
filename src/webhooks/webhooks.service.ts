import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDelivery } from './webhook-delivery.entity';
import { newWebhookSecret } from './webhook-signature';
import { assertAcceptableUrl } from './webhook-url';
import { Webhook } from './webhook.entity';

/** Events as stored: `["*"]`, or the names once each. */
function storedEvents(events: string[]): string {
  return JSON.stringify([...new Set(events)]);
}

@Injectable()
export class WebhooksService {
  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly sender: WebhookDeliveriesService,
    private readonly config: AppConfig,
  ) {}

  findAll(): Promise<Webhook[]> {
    return this.webhooks.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async findOne(id: string): Promise<Webhook> {
    const webhook = await this.webhooks.findOneBy({ id });
    if (!webhook) throw new NotFoundException(`Webhook ${id} not found`);
    return webhook;
  }

  async create(body: CreateWebhookDto): Promise<Webhook> {
    await assertAcceptableUrl(body.url, this.config.webhookAllowedHosts);
    const now = new Date();
    const webhook = this.webhooks.create({
      id: randomUUID(),
      url: body.url,
      events: storedEvents(body.events),
      description: body.description ?? null,
      active: body.active ?? true,
      secret: newWebhookSecret(),
      countingSince: now,
      createdAt: now,
    });
    await this.webhooks.insert(webhook);
    return webhook;
  }

  async update(id: string, body: UpdateWebhookDto): Promise<Webhook> {
    const webhook = await this.findOne(id);
    if (body.url !== undefined) await assertAcceptableUrl(body.url, this.config.webhookAllowedHosts);
    const reactivated = body.active === true && !webhook.active;
    const paused = body.active === false && webhook.active;
    Object.assign(webhook, {
      ...(body.url !== undefined && { url: body.url }),
      ...(body.events !== undefined && { events: storedEvents(body.events) }),
      ...(body.description !== undefined && { description: body.description }),
      ...(body.active !== undefined && { active: body.active }),
      // Only deliveries attempted after a reactivation count toward disabling it again.
      ...(reactivated && { countingSince: new Date() }),
    });
    await this.webhooks.save(webhook);
    if (paused) await this.sender.pause(webhook.id);
    if (reactivated) await this.sender.resume(webhook.id);
    return webhook;
  }

  async remove(id: string): Promise<void> {
    const webhook = await this.findOne(id);
    await this.deliveries.delete({ webhookId: webhook.id });
    await this.webhooks.delete({ id: webhook.id });
  }

  /** A new secret; the old one signs nothing from now on (attempts sign with the secret of their moment). */
  async rotateSecret(id: string): Promise<string> {
    const webhook = await this.findOne(id);
    const secret = newWebhookSecret();
    await this.webhooks.update({ id: webhook.id }, { secret });
    return secret;
  }
}
