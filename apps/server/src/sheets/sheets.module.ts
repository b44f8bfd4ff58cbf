import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { SheetsController } from './sheets.controller.js';
import { SHEET_PDF_MAX_BYTES, SheetsService } from './sheets.service.js';

/**
 * Numbered supervision sheets (督办单): reads, PDF downloads and verification. A copy presented for verification is
 * held in memory, at most SHEET_PDF_MAX_BYTES (multer stops reading beyond it and the request gets 413).
 */
@Module({
  imports: [MulterModule.register({ limits: { fileSize: SHEET_PDF_MAX_BYTES, files: 1, fields: 2 } })],
  controllers: [SheetsController],
  providers: [SheetsService],
})
export class SheetsModule {}
