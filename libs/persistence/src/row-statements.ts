import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Plain SQL for one entity's table, derived from its TypeORM metadata (the entity stays the one description of
 * the table): a select list that names each column by its property, so a raw row has the entity's shape and the
 * mappers that read entities read it too; an INSERT and the values for it in column order.
 */
export class RowStatements<E extends ObjectLiteral> {
  readonly table: string;
  /** `column AS "property", …` */
  readonly selectList: string;
  readonly insert: string;
  /** `INSERT … ON CONFLICT DO NOTHING`. */
  readonly insertOrIgnore: string;
  private readonly columns: Array<{ column: string; property: string }>;

  constructor(dataSource: DataSource, entity: EntityTarget<E>) {
    const metadata = dataSource.getMetadata(entity);
    this.table = metadata.tableName;
    this.columns = metadata.columns.map((column) => ({ column: column.databaseName, property: column.propertyName }));
    this.selectList = this.columns.map(({ column, property }) => `${column} AS "${property}"`).join(', ');
    this.insert = `INSERT INTO ${this.table} (${this.columns.map(({ column }) => column).join(', ')}) VALUES (${this.columns.map(() => '?').join(', ')})`;
    this.insertOrIgnore = `${this.insert} ON CONFLICT DO NOTHING`;
  }

  /**
   * `UPDATE table SET every column but `fixed` = ? WHERE <where>`, built once, with the values for a row in the
   * same order (the where's own values follow them).
   */
  update(fixed: readonly (keyof E & string)[], where: string): { sql: string; values(row: Partial<E>): unknown[] } {
    const set = this.columns.filter(({ property }) => !fixed.includes(property));
    return {
      sql: `UPDATE ${this.table} SET ${set.map(({ column }) => `${column} = ?`).join(', ')} WHERE ${where}`,
      values: (row) => set.map(({ property }) => row[property] ?? null),
    };
  }

  /** A multi-row INSERT of `count` rows, for the values of each row in turn. */
  insertRows(count: number): string {
    const tuple = `(${this.columns.map(() => '?').join(', ')})`;
    return `INSERT INTO ${this.table} (${this.columns.map(({ column }) => column).join(', ')}) VALUES ${Array.from({ length: count }, () => tuple).join(', ')}`;
  }

  values(row: Partial<E>): unknown[] {
    return this.columns.map(({ property }) => row[property] ?? null);
  }
}
