import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#config';
import { EngineModule } from '#engine';
import { IdentityModule } from '#identity';
import { PersistenceModule } from '#persistence';

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
