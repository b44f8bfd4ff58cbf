import { newId } from '#domain';
import { DeadlinePolicyStore, type PublishedPolicy } from '#engine';
import type { DeadlinePolicy } from '#rectification';
import type { Database } from './database.js';
import { AuditLogEntity, DeadlinePolicyEntity } from './entities/index.js';

export class TypeOrmDeadlinePolicyStore extends DeadlinePolicyStore {
  constructor(private readonly db: Database) {
    super();
  }

  async loadAll(): Promise<PublishedPolicy[]> {
    const rows = await this.db.read((manager) => manager.find(DeadlinePolicyEntity, { order: { id: 'ASC', version: 'ASC' } }));
    return rows.map((row) => ({
      policy: JSON.parse(row.data) as DeadlinePolicy,
      publication:
        row.publishedBy === null ? null : { actorId: row.publishedBy, actorName: row.publishedByName ?? '', at: row.publishedAt, note: row.note ?? '' },
    }));
  }

  async save({ policy, publication }: PublishedPolicy): Promise<boolean> {
    const exists = (manager: Parameters<Parameters<Database['read']>[0]>[0]) => manager.countBy(DeadlinePolicyEntity, { id: policy.id, version: policy.version });
    try {
      return await this.db.write(async (manager) => {
        if ((await exists(manager)) > 0) return false;
        const at = publication?.at ?? new Date().toISOString();
        await manager.insert(DeadlinePolicyEntity, {
          id: policy.id,
          version: policy.version,
          data: JSON.stringify(policy),
          publishedAt: at,
          publishedBy: publication?.actorId ?? null,
          publishedByName: publication?.actorName ?? null,
          note: publication?.note ?? null,
        });
        if (publication) {
          await manager.insert(AuditLogEntity, {
            id: newId(),
            actorId: publication.actorId,
            actorName: publication.actorName,
            action: 'deadline_policy.published',
            targetType: 'deadline_policy',
            targetId: `${policy.id}@${policy.version}`,
            details: JSON.stringify({ version: policy.version, name: policy.name, note: publication.note }),
            occurredAt: at,
          });
        }
        return true;
      });
    } catch (error) {
      // Another server stored this version between our check and our insert (primary key): it is not ours.
      if ((await this.db.read(exists)) > 0) return false;
      throw error;
    }
  }
}
