import type { EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { newId } from '#domain';
import type { Database } from './database.js';
import { AuditLogEntity } from './entities/index.js';

/** The audit row of an admin's edit that stored a new version (a calendar, a deadline policy). */
export interface VersionAudit {
  actorId: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  at: string;
}

/**
 * Stores a new version of something kept as versions (primary key id + version) and its audit row, in one
 * transaction. False when that version exists already: someone else stored it first, before the check or between
 * the check and the insert (then the primary key refuses ours).
 */
export async function insertVersionOnce<E extends ObjectLiteral>(
  db: Database,
  entity: EntityTarget<E>,
  key: { id: string; version: number },
  row: QueryDeepPartialEntity<E>,
  audit: VersionAudit | null,
): Promise<boolean> {
  const where = key as unknown as FindOptionsWhere<E>;
  try {
    return await db.write(async (manager) => {
      if ((await manager.countBy(entity, where)) > 0) return false;
      await manager.insert(entity, row);
      if (audit) {
        const { at, details, ...who } = audit;
        await manager.insert(AuditLogEntity, { id: newId(), ...who, details: JSON.stringify(details), occurredAt: at });
      }
      return true;
    });
  } catch (error) {
    if ((await db.read((manager) => manager.countBy(entity, where))) > 0) return false;
    throw error;
  }
}
