import { ApiProperty } from '@nestjs/swagger';

const DATABASE_KINDS = ['sqlite', 'postgres'] as const;
type DatabaseKind = (typeof DATABASE_KINDS)[number];

export class HolidayCoverageDto {
  @ApiProperty({ format: 'date' })
  from: string;

  @ApiProperty({ format: 'date' })
  to: string;
}

export class CoverageWarningDto {
  @ApiProperty({ format: 'date', description: 'The last day whose public holidays are known' })
  endsOn: string;

  @ApiProperty({ type: 'integer', description: 'Days from today to endsOn (negative once it has passed)' })
  daysLeft: number;

  @ApiProperty({ description: 'What an admin reads, and what to do about it' })
  message: string;
}

export class HealthCalendarDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ type: HolidayCoverageDto, nullable: true, description: 'The days whose public holidays are known' })
  holidayCoverage: HolidayCoverageDto | null;

  @ApiProperty({ type: CoverageWarningDto, nullable: true, description: 'Set from NOTIFY_COVERAGE_WARNING_DAYS before the coverage ends' })
  coverageWarning: CoverageWarningDto | null;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ enum: DATABASE_KINDS, description: 'Which database this server is configured for (not asked: see /health/ready)' })
  database: DatabaseKind;

  @ApiProperty({ type: HealthCalendarDto })
  calendar: HealthCalendarDto;
}

export class DatabaseReadinessDto {
  @ApiProperty({ enum: DATABASE_KINDS })
  kind: DatabaseKind;

  @ApiProperty()
  reachable: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: 'How long `SELECT 1` took, in ms; null when it did not answer' })
  latencyMs: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it is not reachable (the driver\'s message); null when it is' })
  error: string | null;
}

export class MigrationsReadinessDto {
  @ApiProperty({ description: 'Every migration of this version applied, and none the version does not know' })
  current: boolean;

  @ApiProperty({ type: [String], description: 'Migrations of this version the database has not applied (a restart applies them)' })
  pending: string[];

  @ApiProperty({ type: [String], description: 'Migrations the database has that this version does not know: it was migrated by a newer one' })
  unknown: string[];
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ready', 'not-ready'], description: '`ready` with 200, `not-ready` with 503' })
  status: 'ready' | 'not-ready';

  @ApiProperty({ type: DatabaseReadinessDto })
  database: DatabaseReadinessDto;

  @ApiProperty({ type: MigrationsReadinessDto, nullable: true, description: 'null when the database does not answer' })
  migrations: MigrationsReadinessDto | null;

  @ApiProperty({ type: [String], description: 'What is wrong and what to do about it, for a person; empty when ready' })
  reasons: string[];
}
