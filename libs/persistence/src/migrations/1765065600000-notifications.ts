import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * [notify]: channels (SMTP, group robots) with sealed targets, the routing table, the events handed to planning,
 * the messages and their delivery log; users get an email address, a mobile number, a language and opt-outs.
 */
export class Notifications1765065600000 implements MigrationInterface {
  name = 'Notifications1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'email', type: 'varchar', length: '320', isNullable: true }),
      new TableColumn({ name: 'mobile', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'language', type: 'varchar', length: '8', default: "'zh'" }),
      new TableColumn({ name: 'notify_opt_outs', type: 'text', default: "'[]'" }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'notification_channels',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'department_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'sealed_target', type: 'text' },
          { name: 'daily_digest', type: 'boolean' },
          { name: 'active', type: 'boolean' },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'paused_until', type: 'varchar', length: '30', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_routing',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'position', type: 'integer' },
          { name: 'event', type: 'varchar', length: '64' },
          { name: 'level', type: 'integer', isNullable: true },
          { name: 'audience', type: 'varchar', length: '32' },
          { name: 'route', type: 'varchar', length: '16' },
          { name: 'mandatory', type: 'boolean' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_events',
        columns: [
          { name: 'event_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'planned_at', type: 'varchar', length: '30', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_notification_events_unplanned', columnNames: ['planned_at', 'event_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '64' },
          { name: 'event_type', type: 'varchar', length: '64' },
          { name: 'problem_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'recipient_user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'address', type: 'varchar', length: '320' },
          { name: 'mention_mobiles', type: 'text' },
          { name: 'language', type: 'varchar', length: '8' },
          { name: 'urgent', type: 'boolean' },
          { name: 'title', type: 'varchar', length: '300' },
          { name: 'text', type: 'text' },
          { name: 'markdown', type: 'text' },
          { name: 'html', type: 'text' },
          { name: 'link', type: 'varchar', length: '500', isNullable: true },
          { name: 'link_label', type: 'varchar', length: '100' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'not_before', type: 'varchar', length: '30' },
          { name: 'attempts', type: 'integer' },
          { name: 'next_attempt_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'folded_into', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'sent_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_notifications_due', columnNames: ['status', 'channel_id', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_notifications_problem', columnNames: ['problem_id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_attempts',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'notification_id', type: 'varchar', length: '64' },
          { name: 'channel_id', type: 'varchar', length: '36' },
          { name: 'attempted_at', type: 'varchar', length: '30' },
          { name: 'delivered', type: 'boolean' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'vendor_code', type: 'varchar', length: '32', isNullable: true },
          { name: 'detail', type: 'varchar', length: '500' },
          { name: 'duration_ms', type: 'integer' },
        ],
        indices: [
          new TableIndex({ name: 'ix_notification_attempts_channel', columnNames: ['channel_id', 'attempted_at'] }),
          new TableIndex({ name: 'ix_notification_attempts_notification', columnNames: ['notification_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['notification_attempts', 'notifications', 'notification_events', 'notification_routing', 'notification_channels']) {
      await queryRunner.dropTable(table);
    }
    for (const column of ['notify_opt_outs', 'language', 'mobile', 'email']) await queryRunner.dropColumn('users', column);
  }
}
