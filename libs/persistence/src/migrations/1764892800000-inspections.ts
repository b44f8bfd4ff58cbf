import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { newId } from '#domain';

/** Problems read per round while giving existing problems their inspection. */
const CHUNK = 1000;

interface Group {
  id: string;
  members: Set<string>;
}

/**
 * [hardening]: inspections as resources with a team. Before, an inspector's read scope took in every problem of
 * any inspection reference they had filed one problem under, so filing under a guessed reference leaked the whole
 * inspection. Existing data: each reference, within the organisation of whoever filed under it (the top of their
 * department's tree; none for filers without a department), becomes an inspection whose team is the inspectors
 * who filed under it; import keys move from the reference to the inspection.
 */
export class Inspections1764892800000 implements MigrationInterface {
  name = 'Inspections1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'inspections',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'organisation_key', type: 'varchar', length: '36' },
          { name: 'office_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'reference', type: 'varchar', length: '100' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'starts_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'ends_on', type: 'varchar', length: '10', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
        indices: [
          new TableIndex({ name: 'ux_inspections_reference', columnNames: ['organisation_key', 'reference'], isUnique: true }),
          new TableIndex({ name: 'ix_inspections_reference', columnNames: ['reference'] }),
          new TableIndex({ name: 'ix_inspections_office', columnNames: ['office_id', 'id'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'inspection_members',
        columns: [
          { name: 'inspection_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'added_by', type: 'varchar', length: '36' },
          { name: 'added_at', type: 'varchar', length: '30' },
        ],
        indices: [new TableIndex({ name: 'ix_inspection_members_user', columnNames: ['user_id', 'inspection_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'inspection_departments',
        columns: [
          { name: 'inspection_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'department_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'ix_inspection_departments_department', columnNames: ['department_id', 'inspection_id'] })],
      }),
    );
    await queryRunner.addColumn('problems', new TableColumn({ name: 'inspection_id', type: 'varchar', length: '36', isNullable: true }));
    await queryRunner.createIndex('problems', new TableIndex({ name: 'ix_problems_inspection_id', columnNames: ['inspection_id', 'id'] }));
    await this.giveProblemsTheirInspections(queryRunner);
    await this.keyImportsByInspection(queryRunner);
  }

  private async giveProblemsTheirInspections(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const mark = (index: number) => (postgres ? `$${index}` : '?');
    const marks = (from: number, count: number) => Array.from({ length: count }, (_, i) => mark(from + i)).join(', ');

    const departments: Array<{ id: string; parent_id: string | null }> = await queryRunner.query('SELECT id, parent_id FROM departments');
    const parentOf = new Map(departments.map((row) => [row.id, row.parent_id]));
    const organisationOf = (departmentId: string | null): string => {
      if (departmentId === null || !parentOf.has(departmentId)) return '';
      let current = departmentId;
      const seen = new Set<string>();
      while (parentOf.get(current) && parentOf.has(parentOf.get(current)!) && !seen.has(current)) {
        seen.add(current);
        current = parentOf.get(current)!;
      }
      return current;
    };
    const users: Array<{ id: string; role: string }> = await queryRunner.query('SELECT id, role FROM users');
    const inspectors = new Set(users.filter((user) => user.role === 'inspector').map((user) => user.id));

    const groups = new Map<string, Group>();
    let after = '';
    for (;;) {
      const rows: Array<{ id: string; inspection_ref: string; filed_by: string; filer_department_id: string | null; created_at: string }> =
        await queryRunner.query(
          `SELECT id, inspection_ref, filed_by, filer_department_id, created_at FROM problems WHERE id > ${mark(1)} ORDER BY id LIMIT ${CHUNK}`,
          [after],
        );
      if (rows.length === 0) break;
      const byInspection = new Map<string, string[]>();
      for (const row of rows) {
        const organisationKey = organisationOf(row.filer_department_id);
        const key = `${organisationKey}\u0000${row.inspection_ref}`;
        let group = groups.get(key);
        if (!group) {
          group = { id: newId(Date.parse(row.created_at)), members: new Set() };
          groups.set(key, group);
          await queryRunner.query(
            'INSERT INTO inspections (id, organisation_key, office_id, reference, title, kind, starts_on, ends_on, created_by, created_at, updated_at) ' +
              `VALUES (${marks(1, 11)})`,
            [group.id, organisationKey, row.filer_department_id, row.inspection_ref, row.inspection_ref, 'other', null, null, row.filed_by, row.created_at, row.created_at],
          );
        }
        if (inspectors.has(row.filed_by) && !group.members.has(row.filed_by)) {
          group.members.add(row.filed_by);
          await queryRunner.query(`INSERT INTO inspection_members (inspection_id, user_id, added_by, added_at) VALUES (${marks(1, 4)})`, [
            group.id,
            row.filed_by,
            row.filed_by,
            row.created_at,
          ]);
        }
        byInspection.set(group.id, [...(byInspection.get(group.id) ?? []), row.id]);
      }
      for (const [inspectionId, ids] of byInspection) {
        await queryRunner.query(`UPDATE problems SET inspection_id = ${mark(1)} WHERE id IN (${marks(2, ids.length)})`, [inspectionId, ...ids]);
      }
      after = rows[rows.length - 1].id;
    }
  }

  /** Import keys were unique per reference, across organisations; they are unique per inspection now. */
  private async keyImportsByInspection(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable('import_keys', 'import_keys_by_reference');
    await queryRunner.createTable(
      new Table({
        name: 'import_keys',
        columns: [
          { name: 'inspection_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'import_key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
    await queryRunner.query(
      'INSERT INTO import_keys (inspection_id, import_key, problem_id, created_at) ' +
        'SELECT p.inspection_id, k.import_key, k.problem_id, k.created_at FROM import_keys_by_reference k JOIN problems p ON p.id = k.problem_id',
    );
    await queryRunner.dropTable('import_keys_by_reference');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable('import_keys', 'import_keys_by_inspection');
    await queryRunner.createTable(
      new Table({
        name: 'import_keys',
        columns: [
          { name: 'inspection_ref', type: 'varchar', length: '100', isPrimary: true },
          { name: 'import_key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'problem_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'varchar', length: '30' },
        ],
      }),
    );
    // Keys of two organisations' inspections with one reference collide in the old shape: the first is kept.
    const rows: Array<{ inspection_ref: string; import_key: string; problem_id: string; created_at: string }> = await queryRunner.query(
      'SELECT p.inspection_ref, k.import_key, k.problem_id, k.created_at FROM import_keys_by_inspection k JOIN problems p ON p.id = k.problem_id ORDER BY k.created_at',
    );
    const postgres = queryRunner.connection.options.type === 'postgres';
    const values = postgres ? '($1, $2, $3, $4)' : '(?, ?, ?, ?)';
    for (const row of rows) {
      await queryRunner.query(`INSERT INTO import_keys (inspection_ref, import_key, problem_id, created_at) VALUES ${values} ON CONFLICT DO NOTHING`, [
        row.inspection_ref,
        row.import_key,
        row.problem_id,
        row.created_at,
      ]);
    }
    await queryRunner.dropTable('import_keys_by_inspection');
    await queryRunner.dropIndex('problems', 'ix_problems_inspection_id');
    await queryRunner.dropColumn('problems', 'inspection_id');
    await queryRunner.dropTable('inspection_departments');
    await queryRunner.dropTable('inspection_members');
    await queryRunner.dropTable('inspections');
  }
}
