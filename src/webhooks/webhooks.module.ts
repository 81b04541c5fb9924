import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '../history/history.module';
import { JobsModule } from '../jobs/jobs.module';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookFanoutService } from './webhook-fanout.service';
import { WebhookFanoutState } from './webhook-fanout.entity';
import { Webhook } from './webhook.entity';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Webhooks: change-log entries fanned out into deliveries after their writes, sent by the durable jobs. */
@Module({
  imports: [TypeOrmModule.forFeature([Webhook, WebhookDelivery, WebhookFanoutState]), HistoryModule, JobsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookDeliveriesService, WebhookFanoutService],
})
export class WebhooksModule {}
