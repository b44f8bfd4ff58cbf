import { ApiProperty } from '@nestjs/swagger';
import type { CreatedWebhook, DeliveryStatus, WebhookAttemptRecord, WebhookDeliveryRecord, WebhookSummary } from '#events';
import { EVENT_TYPES } from './webhook.dto.js';

// The answers of /admin/webhooks and /admin/webhook-deliveries for the OpenAPI document; each class `implements`
// the events library's type, so a field it renames or retypes breaks the build instead of the console.

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered'] as const satisfies readonly DeliveryStatus[];

/** A webhook subscription as admins see it: never the secret. */
export class WebhookSubscriptionDto implements WebhookSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'https://ledger.example.org/hooks/rectification' })
  url: string;

  @ApiProperty({ enum: EVENT_TYPES, isArray: true, description: 'Event types delivered, sorted; empty: every type' })
  eventTypes: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Only events of problems assigned to this department; null: every problem' })
  departmentId: string | null;

  @ApiProperty({ description: 'false: nothing is sent (disabled by an admin, or after too many failures in a row); events keep queuing' })
  active: boolean;

  @ApiProperty({ type: 'integer', description: 'Failed attempts in a row; reaching the limit disables the subscription' })
  consecutiveFailures: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was last disabled; null while active' })
  disabledAt: string | null;
}

/** POST /admin/webhooks: the subscription with its signing secret, shown this once. */
export class CreatedWebhookDto extends WebhookSubscriptionDto implements CreatedWebhook {
  @ApiProperty({ example: 'whsec_4f0c…', description: 'Receivers verify the X-Rectification-Signature of each delivery with it. Never shown again' })
  secret: string;
}

export class WebhookSubscriptionListDto {
  @ApiProperty({ type: [WebhookSubscriptionDto] })
  items: WebhookSubscriptionDto[];
}

/** One event owed to one subscription. */
export class WebhookDeliveryDto implements WebhookDeliveryRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId: string;

  @ApiProperty({ format: 'uuid', description: 'The event delivered (its X-Rectification-Event-Id)' })
  eventId: string;

  @ApiProperty({ enum: EVENT_TYPES })
  eventType: string;

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES })
  status: DeliveryStatus;

  @ApiProperty({ type: 'integer', description: 'Attempts made so far' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due; null once delivered' })
  nextAttemptAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Newest first' })
  items: WebhookDeliveryDto[];
}

/** One POST of a delivery, with the receiver's answer or why there was none. */
export class WebhookAttemptDto implements WebhookAttemptRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  deliveryId: string;

  @ApiProperty({ format: 'date-time' })
  attemptedAt: string;

  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's HTTP status; null when no answer came" })
  statusCode: number | null;

  @ApiProperty({ type: String, nullable: true, example: 'HTTP 500', description: 'Why it failed; null when it succeeded' })
  error: string | null;

  @ApiProperty({ type: 'integer' })
  durationMs: number;

  @ApiProperty()
  succeeded: boolean;
}

/** GET /admin/webhook-deliveries/:id adds its log. */
export class WebhookDeliveryDetailDto extends WebhookDeliveryDto {
  @ApiProperty({ type: [WebhookAttemptDto], description: 'Every attempt, oldest first' })
  log: WebhookAttemptDto[];
}
