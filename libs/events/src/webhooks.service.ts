import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { type Actor, Clock, DomainError, newId, UnknownDepartmentError } from '#domain';
import { OrganisationDirectory } from '#access';
import { auditEntry } from '#identity';
import { WebhookStore } from './event-delivery.ports.js';
import type { WebhookAttemptRecord, WebhookDeliveryRecord, WebhookSubscriptionRecord } from './event-delivery.records.js';
import { WebhookTargetPolicy } from './webhook-target.policy.js';

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
    private readonly targets: WebhookTargetPolicy,
  ) {}

  async create(admin: Actor, input: { url: string; eventTypes?: string[]; departmentId?: string | null }): Promise<CreatedWebhook> {
    this.assertTargetAllowed(input.url);
    const departmentId = input.departmentId ?? null;
    if (departmentId !== null && !(await this.organisation.isActiveDepartment(departmentId))) {
      throw new UnknownDepartmentError(departmentId, 'departmentId');
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

  /**
   * Refuses at once what the URL alone shows to be refused (an IP literal, localhost); a host name is checked on
   * the addresses it resolves to, at every connection.
   */
  private assertTargetAllowed(url: string): void {
    const verdict = this.targets.checkUrl(url);
    if (!verdict || verdict.allowed) return;
    throw new DomainError(
      'WEBHOOK.TARGET_NOT_ALLOWED',
      `Webhooks may not target ${verdict.address}: it is a ${verdict.kind} address (${verdict.range}). To deliver inside ` +
        `your own network, list the address or its range in the server's WEBHOOK_ALLOWED_TARGETS setting ` +
        `(comma-separated IPs or CIDRs, e.g. ${verdict.address.includes(':') ? `${verdict.address}/128` : `${verdict.address}/32`}).`,
      { field: 'url', address: verdict.address, range: verdict.range },
    );
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
