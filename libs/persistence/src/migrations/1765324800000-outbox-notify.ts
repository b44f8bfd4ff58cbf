import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * [scale-out] Fan-out across servers: on PostgreSQL every outbox row, whoever writes it, sends its id on the
 * `outbox_events` channel in the transaction that inserts it. PostgreSQL delivers notifications only on commit and
 * in commit order, to every process listening (PgClusterBus), so live streams need no relay. SQLite (one process)
 * needs nothing: its relay feeds the in-process bus.
 */
export class OutboxNotify1765324800000 implements MigrationInterface {
  name = 'OutboxNotify1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`
      CREATE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_events', NEW.id);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      'CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events FOR EACH ROW EXECUTE FUNCTION outbox_events_notify()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('DROP TRIGGER outbox_events_notify ON outbox_events');
    await queryRunner.query('DROP FUNCTION outbox_events_notify()');
  }
}
