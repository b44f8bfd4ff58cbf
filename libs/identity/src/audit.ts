import { type Actor, newId } from '#domain';
import type { AuditRecord } from './identity.records.js';

export function auditEntry(
  actor: Actor,
  action: string,
  targetType: AuditRecord['targetType'],
  targetId: string,
  details: Record<string, unknown>,
  at: Date,
): AuditRecord {
  return { id: newId(), actorId: actor.userId, actorName: actor.name, action, targetType, targetId, details, occurredAt: at.toISOString() };
}
