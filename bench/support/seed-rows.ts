import Sqlite from 'better-sqlite3';
import { newId } from '#domain';
import { progress } from './bench-environment.js';

/**
 * Set-up, not what is measured: `count` problem rows copied from template rows (real problems the engine wrote),
 * with fresh ids, by the raw driver in large transactions. `vary` adjusts each copy (timer, department, …).
 */
export function seedProblemRows(
  path: string,
  templates: Array<Record<string, unknown>>,
  count: number,
  vary: (row: Record<string, unknown>, index: number) => Record<string, unknown> = (row) => row,
): void {
  const db = new Sqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const columns = Object.keys(templates[0]);
  const insert = db.prepare(`INSERT INTO problems (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const tick = progress('seeding problem rows', count);
  const start = Date.now() - count;
  for (let offset = 0; offset < count; offset += 20_000) {
    db.transaction(() => {
      for (let index = offset; index < Math.min(count, offset + 20_000); index += 1) {
        // Ids in creation order, as the engine makes them (UUIDv7), one millisecond apart.
        const row = vary({ ...templates[index % templates.length], id: newId(start + index) }, index);
        insert.run(...columns.map((column) => row[column]));
      }
    })();
    tick(Math.min(count, offset + 20_000));
  }
  db.close();
}

/** The problem rows of these ids as stored. */
export function problemRows(path: string, ids: string[]): Array<Record<string, unknown>> {
  const db = new Sqlite(path, { readonly: true });
  const statement = db.prepare('SELECT * FROM problems WHERE id = ?');
  const rows = ids.map((id) => statement.get(id) as Record<string, unknown>);
  db.close();
  return rows;
}
