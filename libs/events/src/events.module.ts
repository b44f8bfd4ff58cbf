import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { EventDispatcher } from './event-dispatcher.js';
import { EVENT_DELIVERY_OPTIONS, type EventDeliveryOptions } from './event-delivery.options.js';
import { EventStream } from './event-stream.js';
import { OutboxRelay } from './outbox-relay.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { DnsWebhookHostResolver, WebhookHostResolver } from './webhook-host.resolver.js';
import { WebhookTargetPolicy } from './webhook-target.policy.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Event delivery from the outbox: the relay, the in-process bus (@nestjs/event-emitter: listen with
 * `@OnEvent('problem.assigned')`, at least once, in the relaying process), webhooks and the live stream. Its ports
 * (OutboxStore, WebhookStore, ClusterBus) are bound by the PersistenceModule.
 */
@Module({})
export class EventsModule {
  static forRoot(options: EventDeliveryOptions): DynamicModule {
    return {
      module: EventsModule,
      global: true,
      imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: '.', maxListeners: 100 })],
      providers: [
        { provide: EVENT_DELIVERY_OPTIONS, useValue: options },
        { provide: WebhookTargetPolicy, useValue: new WebhookTargetPolicy(options.webhookAllowedTargets) },
        { provide: WebhookHostResolver, useClass: DnsWebhookHostResolver },
        OutboxRelay,
        WebhookDeliverer,
        WebhooksService,
        EventStream,
        EventDispatcher,
      ],
      exports: [EVENT_DELIVERY_OPTIONS, WebhookTargetPolicy, WebhookHostResolver, OutboxRelay, WebhookDeliverer, WebhooksService, EventStream, EventDispatcher],
    };
  }
}
