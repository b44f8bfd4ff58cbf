import { type BusinessCalendar, parseCalendar } from '#calendar';
import { newId } from '#domain';
import { type CalendarAudit, CalendarStore } from '#engine';
import type { Database } from './database.js';
import { AuditLogEntity, BusinessCalendarEntity } from './entities/index.js';

export class TypeOrmCalendarStore extends CalendarStore {
  constructor(private readonly db: Database) {
    super();
  }

  async loadAll(): Promise<BusinessCalendar[]> {
    const rows = await this.db.read((manager) => manager.find(BusinessCalendarEntity, { order: { id: 'ASC', version: 'ASC' } }));
    return rows.map((row) => parseCalendar(row.data));
  }

  async save(calendar: BusinessCalendar, audit: CalendarAudit | null): Promise<boolean> {
    try {
      return await this.db.write(async (manager) => {
        if ((await manager.countBy(BusinessCalendarEntity, { id: calendar.id, version: calendar.version })) > 0) return false;
        const at = audit?.at ?? new Date().toISOString();
        await manager.insert(BusinessCalendarEntity, { id: calendar.id, version: calendar.version, data: JSON.stringify(calendar), createdAt: at });
        if (audit) {
          await manager.insert(AuditLogEntity, {
            id: newId(),
            actorId: audit.actorId,
            actorName: audit.actorName,
            action: audit.action,
            targetType: 'calendar',
            targetId: `${calendar.id}@${calendar.version}`,
            details: JSON.stringify(audit.details),
            occurredAt: at,
          });
        }
        return true;
      });
    } catch (error) {
      // Another server stored this version between our check and our insert (primary key): it is not ours.
      if ((await this.db.read((manager) => manager.countBy(BusinessCalendarEntity, { id: calendar.id, version: calendar.version }))) > 0) return false;
      throw error;
    }
  }
}
