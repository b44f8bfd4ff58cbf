import { type BusinessCalendar, parseCalendar } from '#calendar';
import { type CalendarAudit, CalendarStore } from '#engine';
import type { Database } from './database.js';
import { BusinessCalendarEntity } from './entities/index.js';
import { insertVersionOnce } from './versioned-rows.js';

export class TypeOrmCalendarStore extends CalendarStore {
  constructor(private readonly db: Database) {
    super();
  }

  async loadAll(): Promise<BusinessCalendar[]> {
    const rows = await this.db.read((manager) => manager.find(BusinessCalendarEntity, { order: { id: 'ASC', version: 'ASC' } }));
    return rows.map((row) => parseCalendar(row.data));
  }

  save(calendar: BusinessCalendar, audit: CalendarAudit | null): Promise<boolean> {
    const at = audit?.at ?? new Date().toISOString();
    const key = { id: calendar.id, version: calendar.version };
    return insertVersionOnce(
      this.db,
      BusinessCalendarEntity,
      key,
      { ...key, data: JSON.stringify(calendar), createdAt: at },
      audit && { ...audit, targetType: 'calendar', targetId: `${calendar.id}@${calendar.version}` },
    );
  }
}
