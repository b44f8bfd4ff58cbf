import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../../../libs/config/src/index.js';
import { EngineModule } from '../../../libs/engine/src/index.js';
import { IdentityModule } from '../../../libs/identity/src/index.js';
import { PersistenceModule } from '../../../libs/persistence/src/index.js';

/** The server's core without HTTP: what admin commands run against. */
@Module({})
export class CliModule {
  static forRoot(config: Pick<AppConfig, 'database'> & Partial<Pick<AppConfig, 'businessCalendar' | 'businessTimeZone' | 'repeatWindowDays' | 'evidence'>>): DynamicModule {
    return {
      module: CliModule,
      imports: [
        PersistenceModule.forRoot(config.database, { evidenceDir: config.evidence?.dir }),
        EngineModule.forRoot(config),
        IdentityModule,
      ],
    };
  }
}
