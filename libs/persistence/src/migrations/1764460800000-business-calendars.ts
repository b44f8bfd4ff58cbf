import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** [deadlines]: stored versions of the organisation's business calendar (closures, imported holidays). */
export class BusinessCalendars1764460800000 implements MigrationInterface {
  name = 'BusinessCalendars1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'business_calendars',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'version', type: 'integer', isPrimary: true },
          { name: 'data', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('business_calendars');
  }
}
