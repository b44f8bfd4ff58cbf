import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import {
  AuditTrailStore,
  CalendarStore,
  DeadlinePolicyStore,
  EvidenceContentStore,
  EvidenceRepository,
  InspectionRepository,
  NoticeRepository,
  SheetRepository,
  ProblemRepository,
  TeamDirectory,
} from '#engine';
import { OrganisationDirectory } from '#access';
import { ClusterBus, InProcessClusterBus, OutboxStore, WebhookStore } from '#events';
import { IdentityRepository, WorkloadDirectory } from '#identity';
import { NotificationDirectory, NotificationStore } from '#notify';
import { type DatabaseOptions, openDatabase } from './data-source.js';
import { CommittedHere } from './committed-here.js';
import { Database } from './database.js';
import { PgClusterBus } from './pg-cluster-bus.js';
import { type CheckpointedConnection, SqliteCheckpointer } from './sqlite-checkpointer.js';
import { TypeOrmOutboxStore, TypeOrmWebhookStore } from './typeorm-event-delivery.repository.js';
import { TypeOrmIdentityRepository } from './typeorm-identity.repository.js';
import { TypeOrmNoticeRepository } from './typeorm-notice.repository.js';
import { TypeOrmSheetRepository } from './typeorm-sheet.repository.js';
import { TypeOrmNotificationDirectory, TypeOrmNotificationStore } from './typeorm-notification.store.js';
import { TypeOrmCalendarStore } from './typeorm-calendar.store.js';
import { TypeOrmDeadlinePolicyStore } from './typeorm-deadline-policy.store.js';
import { type EvidenceStorage, openEvidenceStore } from './evidence-store-check.js';
import { TypeOrmEvidenceRepository } from './typeorm-evidence.repository.js';
import { TypeOrmAuditTrailStore } from './typeorm-audit-trail.store.js';
import { TypeOrmInspectionRepository, TypeOrmTeamDirectory } from './typeorm-inspection.repository.js';
import { TypeOrmOrganisationDirectory, TypeOrmWorkloadDirectory } from './typeorm-organisation.directory.js';
import { TypeOrmProblemRepository } from './typeorm-problem.repository.js';

/**
 * Opens the database (applying migrations) and binds every repository port to its TypeORM adapter, and the
 * evidence content store to the files under EVIDENCE_DIR or to the database (EVIDENCE_STORE). A server names its
 * store and is refused at start-up when it is not the one the database's other servers use (EvidenceStoreCheck).
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SqliteCheckpointer) private readonly checkpointer: SqliteCheckpointer | null,
  ) {}

  static forRoot(options: DatabaseOptions, storage: EvidenceStorage = {}): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: DataSource, useFactory: () => openDatabase(options) },
        { provide: Database, useFactory: (dataSource: DataSource) => new Database(dataSource), inject: [DataSource] },
        {
          provide: SqliteCheckpointer,
          useFactory: (dataSource: DataSource) =>
            options.kind === 'sqlite' && options.checkpoints === 'background' && options.path !== ':memory:'
              ? SqliteCheckpointer.start(options.path, (dataSource.driver as unknown as { databaseConnection: CheckpointedConnection }).databaseConnection)
              : null,
          inject: [DataSource],
        },
        { provide: CommittedHere, useFactory: () => new CommittedHere() },
        {
          provide: ProblemRepository,
          useFactory: (db: Database, committed: CommittedHere) => new TypeOrmProblemRepository(db, committed),
          inject: [Database, CommittedHere],
        },
        { provide: OrganisationDirectory, useFactory: (db: Database) => new TypeOrmOrganisationDirectory(db), inject: [Database] },
        { provide: IdentityRepository, useFactory: (db: Database) => new TypeOrmIdentityRepository(db), inject: [Database] },
        { provide: WorkloadDirectory, useFactory: (db: Database) => new TypeOrmWorkloadDirectory(db), inject: [Database] },
        { provide: OutboxStore, useFactory: (db: Database) => new TypeOrmOutboxStore(db), inject: [Database] },
        { provide: WebhookStore, useFactory: (db: Database) => new TypeOrmWebhookStore(db), inject: [Database] },
        {
          // Several processes share PostgreSQL; SQLite has one. Without an event bus (the CLI) nothing listens.
          provide: ClusterBus,
          useFactory: (db: Database, committed: CommittedHere, bus?: EventEmitter2) =>
            options.kind === 'postgres' ? new PgClusterBus(db, options.url, bus, committed) : new InProcessClusterBus(bus ?? new EventEmitter2()),
          inject: [Database, CommittedHere, { token: EventEmitter2, optional: true }],
        },
        { provide: NoticeRepository, useFactory: (db: Database) => new TypeOrmNoticeRepository(db), inject: [Database] },
        { provide: SheetRepository, useFactory: (db: Database) => new TypeOrmSheetRepository(db), inject: [Database] },
        { provide: NotificationStore, useFactory: (db: Database) => new TypeOrmNotificationStore(db), inject: [Database] },
        { provide: NotificationDirectory, useFactory: (db: Database) => new TypeOrmNotificationDirectory(db), inject: [Database] },
        { provide: CalendarStore, useFactory: (db: Database) => new TypeOrmCalendarStore(db), inject: [Database] },
        { provide: DeadlinePolicyStore, useFactory: (db: Database) => new TypeOrmDeadlinePolicyStore(db), inject: [Database] },
        { provide: EvidenceRepository, useFactory: (db: Database) => new TypeOrmEvidenceRepository(db), inject: [Database] },
        { provide: AuditTrailStore, useFactory: (db: Database) => new TypeOrmAuditTrailStore(db), inject: [Database] },
        { provide: InspectionRepository, useFactory: (db: Database) => new TypeOrmInspectionRepository(db), inject: [Database] },
        { provide: TeamDirectory, useFactory: (db: Database) => new TypeOrmTeamDirectory(db), inject: [Database] },
        // Made (and checked) at start-up, after the migrations: a refusal stops the start with its reason.
        { provide: EvidenceContentStore, useFactory: (db: Database) => openEvidenceStore(db, storage), inject: [Database] },
      ],
      exports: [
        DataSource,
        Database,
        ProblemRepository,
        OrganisationDirectory,
        IdentityRepository,
        WorkloadDirectory,
        OutboxStore,
        WebhookStore,
        ClusterBus,
        NoticeRepository,
        SheetRepository,
        NotificationStore,
        NotificationDirectory,
        CalendarStore,
        DeadlinePolicyStore,
        EvidenceRepository,
        EvidenceContentStore,
        AuditTrailStore,
        InspectionRepository,
        TeamDirectory,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
