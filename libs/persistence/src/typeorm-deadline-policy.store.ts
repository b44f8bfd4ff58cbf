import { DeadlinePolicyStore, type PublishedPolicy } from '#engine';
import { completePolicy } from '#rectification';
import type { Database } from './database.js';
import { DeadlinePolicyEntity } from './entities/index.js';
import { insertVersionOnce } from './versioned-rows.js';

export class TypeOrmDeadlinePolicyStore extends DeadlinePolicyStore {
  constructor(private readonly db: Database) {
    super();
  }

  async loadAll(): Promise<PublishedPolicy[]> {
    const rows = await this.db.read((manager) => manager.find(DeadlinePolicyEntity, { order: { id: 'ASC', version: 'ASC' } }));
    return rows.map((row) => ({
      policy: completePolicy(JSON.parse(row.data) as Parameters<typeof completePolicy>[0]),
      publication:
        row.publishedBy === null ? null : { actorId: row.publishedBy, actorName: row.publishedByName ?? '', at: row.publishedAt, note: row.note ?? '' },
    }));
  }

  save({ policy, publication }: PublishedPolicy): Promise<boolean> {
    const key = { id: policy.id, version: policy.version };
    const row = {
      ...key,
      data: JSON.stringify(policy),
      publishedAt: publication?.at ?? new Date().toISOString(),
      publishedBy: publication?.actorId ?? null,
      publishedByName: publication?.actorName ?? null,
      note: publication?.note ?? null,
    };
    const audit = publication && {
      actorId: publication.actorId,
      actorName: publication.actorName,
      action: 'deadline_policy.published',
      targetType: 'deadline_policy',
      targetId: `${policy.id}@${policy.version}`,
      details: { version: policy.version, name: policy.name, note: publication.note },
      at: publication.at,
    };
    return insertVersionOnce(this.db, DeadlinePolicyEntity, key, row, audit);
  }
}
