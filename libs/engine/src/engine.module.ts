import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '../../domain/src/index.js';
import { AccessPolicy } from './access-policy.js';
import { RectificationEngine } from './rectification.engine.js';

/** The engine and the clock it reads; tests swap the clock with overrideProvider(Clock). */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, AccessPolicy, RectificationEngine],
  exports: [Clock, AccessPolicy, RectificationEngine],
})
export class EngineModule {}
