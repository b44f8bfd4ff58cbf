import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One version of an organisation's business calendar; versions are never changed, only added. */
@Entity({ name: 'business_calendars' })
export class BusinessCalendarEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  /** JSON of the calendar (libs/calendar BusinessCalendar). */
  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt: string;
}
