import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const instant = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '30', isNullable });

/** [deadlines] event delivery: webhook subscriptions, the deliveries owed to them and the log of attempts. */
export class EventDelivery1764288000000 implements MigrationInterface {
  name = 'EventDelivery1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhook_subscriptions',
        columns: [
          id,
          { name: 'url', type: 'varchar', length: '2000' },
          { name: 'secret', type: 'varchar', length: '100' },
          { name: 'event_types', type: 'text' },
          { name: 'department_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'active', type: 'boolean' },
          { name: 'consecutive_failures', type: 'integer' },
          instant('created_at'),
          instant('disabled_at', true),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          id,
          { name: 'subscription_id', type: 'varchar', length: '36' },
          { name: 'event_id', type: 'varchar', length: '36' },
          { name: 'event_type', type: 'varchar', length: '64' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer' },
          instant('next_attempt_at', true),
          instant('delivered_at', true),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ux_webhook_deliveries_subscription_event', columnNames: ['subscription_id', 'event_id'], isUnique: true }),
          new TableIndex({ name: 'ix_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_attempts',
        columns: [
          id,
          { name: 'delivery_id', type: 'varchar', length: '36' },
          instant('attempted_at'),
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
          { name: 'duration_ms', type: 'integer' },
          { name: 'succeeded', type: 'boolean' },
        ],
        indices: [new TableIndex({ name: 'ix_webhook_attempts_delivery', columnNames: ['delivery_id', 'id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_subscriptions']) await queryRunner.dropTable(table);
  }
}
