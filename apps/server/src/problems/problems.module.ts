import { type DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { ImportOptions } from '#config';
import { ImportProblemsService, IMPORT_OPTIONS } from './import-problems.service.js';
import { ImportFileTooLargeInterceptor, InspectionImportController } from './inspections.controller.js';
import { InspectionsController } from '../inspections/inspections.controller.js';
import { ProblemsController } from './problems.controller.js';
import { ProblemsService } from './problems.service.js';

@Module({})
export class ProblemsModule {
  static forRoot(imports: ImportOptions): DynamicModule {
    return {
      module: ProblemsModule,
      // Uploads are held in memory, one file, at most IMPORT_MAX_BYTES.
      imports: [MulterModule.register({ limits: { fileSize: imports.maxBytes, files: 1, fields: 5 } })],
      controllers: [ProblemsController, InspectionsController, InspectionImportController],
      providers: [ProblemsService, ImportProblemsService, ImportFileTooLargeInterceptor, { provide: IMPORT_OPTIONS, useValue: imports }],
    };
  }
}
