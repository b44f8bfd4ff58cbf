import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * [scale-out] Fewer duplicate webhook deliveries: a claimed delivery names the claim that leased it, so the
 * deliverer renews (and records) only a lease it still holds, never one another deliverer took after it ran out.
 * Rows leased by the old code have none: their lease runs out as before and the next claim sets one.
 */
export class WebhookLeaseToken1765411200000 implements MigrationInterface {
  name = 'WebhookLeaseToken1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('webhook_deliveries', new TableColumn({ name: 'lease_token', type: 'varchar', length: '36', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webhook_deliveries', 'lease_token');
  }
}
