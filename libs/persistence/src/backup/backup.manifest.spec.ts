import { describe, expect, it } from '@jest/globals';
import { BACKUP_FORMAT, type BackupManifest, compareWithManifest, type DatabaseFacts, headsDigest } from './backup.manifest.js';

const HEAD_A = 'a'.repeat(64);
const HEAD_B = 'b'.repeat(64);
const FILE = 'c'.repeat(64);

function facts(overrides: Partial<DatabaseFacts> = {}): DatabaseFacts {
  const heads: Array<[string, string | null]> = [
    ['p1', HEAD_A],
    ['p2', HEAD_B],
  ];
  return {
    schemaVersion: 'Inspections1764892800000',
    migrations: 10,
    tables: { problems: 2, problem_history: 5 },
    history: { problems: 2, rows: 5, headsDigest: headsDigest(heads), heads },
    anchors: { count: 1, latest: { day: '2026-03-02', anchor: 'd'.repeat(64) } },
    evidence: [{ sha256: FILE, size: 10 }],
    evidenceStore: { kind: 'file', storeId: 'f'.repeat(32) },
    ...overrides,
  };
}

function manifestOf(source: DatabaseFacts): BackupManifest {
  return {
    format: BACKUP_FORMAT,
    createdAt: '2026-03-03T01:00:00.000Z',
    database: { kind: 'sqlite', schemaVersion: source.schemaVersion, migrations: source.migrations, file: 'database.sqlite', sha256: 'e'.repeat(64), bytes: 1 },
    tables: source.tables,
    history: source.history,
    anchors: source.anchors,
    evidence: { store: source.evidenceStore?.kind ?? 'file', count: source.evidence.length, bytes: 10, files: source.evidence, unavailable: [] },
  };
}

describe(compareWithManifest.name, () => {
  it('finds nothing when the restored copy has what the backup recorded', () => {
    expect(compareWithManifest(manifestOf(facts()), facts())).toEqual([]);
  });

  it('names each table, problem head, anchor and evidence file that differs', () => {
    // given a restored copy with a row less, another head for p2, no anchor and no evidence
    const heads: Array<[string, string | null]> = [
      ['p1', HEAD_A],
      ['p2', HEAD_A],
    ];
    const restored = facts({
      tables: { problems: 2, problem_history: 4 },
      history: { problems: 2, rows: 4, headsDigest: headsDigest(heads), heads },
      anchors: { count: 0, latest: null },
      evidence: [],
    });

    // when
    const mismatches = compareWithManifest(manifestOf(facts()), restored);

    // then
    expect(mismatches.map((mismatch) => `${mismatch.check}:${mismatch.subject ?? ''}`)).toEqual(['table:problem_history', 'history:p2', 'anchor:', `evidence:${FILE}`]);
    expect(mismatches[0].message).toBe('Table problem_history has 4 rows; the backup recorded 5.');
  });

  it('reports a restored copy whose evidence store is not the one the backup recorded', () => {
    // given a backup of a database whose servers keep evidence in it, and a restored copy recording the file store
    const source = facts({ evidenceStore: { kind: 'database', storeId: null } });

    // when
    const mismatches = compareWithManifest(manifestOf(source), facts());

    // then
    expect(mismatches).toEqual([
      { check: 'evidence', subject: 'store', message: 'The restored database records the file evidence store; the backup recorded the database store.' },
    ]);
  });

  it('takes a manifest without a store (a backup from before the database store) for the file store', () => {
    const manifest = manifestOf(facts({ evidenceStore: null }));
    delete manifest.evidence.store;
    expect(compareWithManifest(manifest, facts({ evidenceStore: null }))).toEqual([]);
    expect(compareWithManifest(manifest, facts({ evidenceStore: { kind: 'database', storeId: null } })).map((mismatch) => mismatch.subject)).toEqual(['store']);
  });

  it('reports a schema other than the one recorded', () => {
    expect(compareWithManifest(manifestOf(facts()), facts({ schemaVersion: 'AuditChain1764806400000', migrations: 9 }))).toEqual([
      { check: 'schema', message: expect.stringContaining('AuditChain1764806400000') },
    ]);
  });
});
