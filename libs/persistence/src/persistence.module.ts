import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrganisationDirectory, ProblemRepository } from '../../engine/src/index.js';
import { IdentityRepository } from '../../identity/src/index.js';
import { type DatabaseOptions, openDatabase } from './data-source.js';
import { Database } from './database.js';
import { TypeOrmIdentityRepository } from './typeorm-identity.repository.js';
import { TypeOrmOrganisationDirectory, TypeOrmProblemRepository } from './typeorm-problem.repository.js';

/** Opens the database (applying migrations) and binds every repository port to its TypeORM adapter. */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: DataSource, useFactory: () => openDatabase(options) },
        { provide: Database, useFactory: (dataSource: DataSource) => new Database(dataSource), inject: [DataSource] },
        { provide: ProblemRepository, useFactory: (db: Database) => new TypeOrmProblemRepository(db), inject: [Database] },
        { provide: OrganisationDirectory, useFactory: (db: Database) => new TypeOrmOrganisationDirectory(db), inject: [Database] },
        { provide: IdentityRepository, useFactory: (db: Database) => new TypeOrmIdentityRepository(db), inject: [Database] },
      ],
      exports: [DataSource, Database, ProblemRepository, OrganisationDirectory, IdentityRepository],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
