import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { WebhooksService } from '#events';
import { CurrentActor, Roles } from '../common/auth.js';
import { CreateWebhookDto, ListDeliveriesQueryDto } from './dto/webhook.dto.js';
import {
  CreatedWebhookDto,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookSubscriptionDto,
  WebhookSubscriptionListDto,
} from './dto/webhook.response.js';

@ApiTags('admin')
@Roles('admin')
@Controller('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('webhooks')
  @ApiOperation({ summary: 'Subscribe a URL to events; the response carries the signing secret, shown once' })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  create(@CurrentActor() admin: Actor, @Body() dto: CreateWebhookDto) {
    return this.webhooks.create(admin, dto);
  }

  @Get('webhooks')
  @ApiOperation({ summary: 'Every webhook subscription: URL, event types, department, whether active, consecutive failures (never the secret)' })
  @ApiOkResponse({ type: WebhookSubscriptionListDto })
  async list() {
    return { items: await this.webhooks.list() };
  }

  @Get('webhooks/:id')
  @ApiOperation({ summary: 'One webhook subscription (never the secret)' })
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  get(@Param('id') id: string) {
    return this.webhooks.get(id);
  }

  @Post('webhooks/:id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop sending; events keep queuing for it' })
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  disable(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.webhooks.setActive(admin, id, false);
  }

  @Post('webhooks/:id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume sending (also after automatic disabling): the failure count restarts, queued events go out' })
  @ApiOkResponse({ type: WebhookSubscriptionDto })
  enable(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.webhooks.setActive(admin, id, true);
  }

  @Get('webhooks/:id/deliveries')
  @ApiOperation({ summary: 'Deliveries to this subscription, newest first: event, status, attempts, next attempt' })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  async deliveries(@Param('id') id: string, @Query() query: ListDeliveriesQueryDto) {
    return { items: await this.webhooks.deliveries(id, query.limit ?? 50) };
  }

  @Get('webhook-deliveries/:id')
  @ApiOperation({ summary: 'One delivery with its log: every attempt with status code or error, duration and time' })
  @ApiOkResponse({ type: WebhookDeliveryDetailDto })
  delivery(@Param('id') id: string) {
    return this.webhooks.delivery(id);
  }

  @Post('webhook-deliveries/:id/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send this delivery again on the next round (a new attempt), even if it was delivered' })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  redeliver(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.webhooks.redeliver(admin, id);
  }
}
