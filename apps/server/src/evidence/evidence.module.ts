import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { EVIDENCE_OPTIONS, type EvidenceOptions } from '#engine';
import { EvidenceAdminController, EvidenceController } from './evidence.controller.js';

/**
 * Evidence upload, download and the integrity check. Uploads are held in memory (one file, at most
 * EVIDENCE_MAX_BYTES: multer stops reading beyond it and the request gets 413) and only written to the store
 * once every check has passed.
 */
@Module({
  imports: [
    MulterModule.registerAsync({
      useFactory: (options: EvidenceOptions) => ({ limits: { fileSize: options.maxBytes, files: 1, fields: 5 }, defParamCharset: 'utf8' }),
      inject: [EVIDENCE_OPTIONS],
    }),
  ],
  controllers: [EvidenceController, EvidenceAdminController],
})
export class EvidenceModule {}
