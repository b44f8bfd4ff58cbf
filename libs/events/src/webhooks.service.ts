import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { type Actor, Clock, DomainError, newId } from '../../domain/src/index.js';
import { OrganisationDirectory } from '../../engine/src/index.js';
import { auditEntry } from '../../identity/src/index.js';
import { WebhookStore } from './event-delivery.ports.js';
import type { WebhookAttemptRecord, WebhookDeliveryRecord, WebhookSubscriptionRecord } from './event-delivery.records.js';

/** A subscription as admins see it: never the secret. */
export type WebhookSummary = Omit<WebhookSubscriptionRecord, 'secret'>;

export interface CreatedWebhook extends WebhookSummary {
  /** Shown once: receivers verify signatures with it. */
  secret: string;
}

/** Admin use cases of webhook subscriptions; every change is audited in the same transaction. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhookStore,
    private readonly organisation: OrganisationDirectory,
    private readonly clock: Clock,
  ) {}

  async create(admin: Actor, input: { url: string; eventTypes?: string[]; departmentId?: string | null }): Promise<CreatedWebhook> {
    const departmentId = input.departmentId ?? null;
    if (departmentId !== null && !(await this.organisation.isActiveDepartment(departmentId))) {
      throw new DomainError('DEPARTMENT.UNKNOWN', `No active department with id ${departmentId}.`, { field: 'departmentId' });
    }
    const now = this.clock.now();
    const subscription: WebhookSubscriptionRecord = {
      id: newId(now.getTime()),
      url: input.url,
      secret: `whsec_${randomBytes(32).toString('hex')}`,
      eventTypes: [...new Set(input.eventTypes ?? [])].sort(),
      departmentId,
      active: true,
      consecutiveFailures: 0,
      createdAt: now.toISOString(),
      disabledAt: null,
    };
    await this.webhooks.insertSubscription(
      subscription,
      auditEntry(admin, 'webhook.created', 'webhook', subscription.id, { url: subscription.url, eventTypes: subscription.eventTypes, departmentId }, now),
    );
    return subscription;
  }

  async list(): Promise<WebhookSummary[]> {
    return (await this.webhooks.listSubscriptions()).map(summary);
  }

  async get(id: string): Promise<WebhookSummary> {
    return summary(await this.find(id));
  }

  /** Enabling also clears the failure streak and sends what queued up meanwhile. */
  async setActive(admin: Actor, id: string, active: boolean): Promise<WebhookSummary> {
    const subscription = await this.find(id);
    if (subscription.active === active) return summary(subscription);
    const now = this.clock.now();
    await this.webhooks.setSubscriptionActive(
      id,
      active,
      now.toISOString(),
      auditEntry(admin, active ? 'webhook.enabled' : 'webhook.disabled', 'webhook', id, { url: subscription.url }, now),
    );
    return this.get(id);
  }

  async deliveries(subscriptionId: string, limit: number): Promise<WebhookDeliveryRecord[]> {
    await this.find(subscriptionId);
    return this.webhooks.listDeliveries(subscriptionId, limit);
  }

  async delivery(id: string): Promise<WebhookDeliveryRecord & { log: WebhookAttemptRecord[] }> {
    const delivery = await this.findDelivery(id);
    return { ...delivery, log: await this.webhooks.listAttempts(id) };
  }

  /** The delivery is sent again on the next round (a new attempt), even if it was delivered. */
  async redeliver(admin: Actor, id: string): Promise<WebhookDeliveryRecord> {
    const delivery = await this.findDelivery(id);
    const now = this.clock.now();
    await this.webhooks.requestRedelivery(
      id,
      now.toISOString(),
      auditEntry(admin, 'webhook.redelivery_requested', 'webhook', delivery.subscriptionId, { deliveryId: id, eventId: delivery.eventId }, now),
    );
    return this.findDelivery(id);
  }

  private async find(id: string): Promise<WebhookSubscriptionRecord> {
    const subscription = await this.webhooks.findSubscription(id);
    if (!subscription) throw new DomainError('WEBHOOK.NOT_FOUND', `No webhook subscription with id ${id}. List them with GET /admin/webhooks.`);
    return subscription;
  }

  private async findDelivery(id: string): Promise<WebhookDeliveryRecord> {
    const delivery = await this.webhooks.findDelivery(id);
    if (!delivery) {
      throw new DomainError('WEBHOOK.DELIVERY_NOT_FOUND', `No webhook delivery with id ${id}. List them with GET /admin/webhooks/{id}/deliveries.`);
    }
    return delivery;
  }
}

function summary({ secret: _secret, ...rest }: WebhookSubscriptionRecord): WebhookSummary {
  return rest;
}
