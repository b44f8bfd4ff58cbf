import { type DynamicModule, Module } from '@nestjs/common';
import type { DatabaseOptions } from '../../../libs/persistence/src/index.js';
import { EngineModule } from '../../../libs/engine/src/index.js';
import { IdentityModule } from '../../../libs/identity/src/index.js';
import { PersistenceModule } from '../../../libs/persistence/src/index.js';

/** The server's core without HTTP: what admin commands run against. */
@Module({})
export class CliModule {
  static forRoot(database: DatabaseOptions): DynamicModule {
    return { module: CliModule, imports: [PersistenceModule.forRoot(database), EngineModule, IdentityModule] };
  }
}
