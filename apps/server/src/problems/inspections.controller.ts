import {
  type CallHandler,
  Controller,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  Param,
  PayloadTooLargeException,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { catchError, type Observable, throwError } from 'rxjs';
import type { ImportOptions } from '#config';
import { type Actor, DomainError } from '#domain';
import { FILING_ROLES } from '#rectification';
import { CurrentActor, Roles } from '../common/auth.js';
import { ImportProblemsFileDto, ImportProblemsQueryDto } from './dto/import-problems.dto.js';
import { ImportReportDto } from './dto/import-report.response.js';
import { fileTooLarge, IMPORT_OPTIONS, type ImportReport, ImportProblemsService } from './import-problems.service.js';

/** multer's file, as far as the import needs it. */
interface UploadedFindings {
  buffer: Buffer;
  size: number;
}

/** multer stops reading at IMPORT_MAX_BYTES with a generic 413; answered with the import's own code instead. */
@Injectable()
export class ImportFileTooLargeInterceptor implements NestInterceptor {
  constructor(@Inject(IMPORT_OPTIONS) private readonly options: ImportOptions) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(catchError((error: unknown) => throwError(() => (error instanceof PayloadTooLargeException ? fileTooLarge(this.options.maxBytes) : error))));
  }
}

@ApiTags('problems')
@Controller('inspections')
export class InspectionImportController {
  constructor(private readonly imports: ImportProblemsService) {}

  @Post(':ref/problems/import')
  @Roles(...FILING_ROLES)
  @UseInterceptors(ImportFileTooLargeInterceptor, FileInterceptor('file'))
  @ApiOperation({
    summary: 'Bulk filing: file the findings of a CSV or XLSX file under this inspection, each row validated as a single filing',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportProblemsFileDto })
  @ApiCreatedResponse({ type: ImportReportDto, description: 'What was filed, skipped as a duplicate, or (valid-only) refused, row by row' })
  import(
    @CurrentActor() actor: Actor,
    @Param('ref') ref: string,
    @Query() query: ImportProblemsQueryDto,
    @UploadedFile() file?: UploadedFindings,
  ): Promise<ImportReport> {
    if (!file) {
      throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: file. See details.fields for what each needs.', {
        fields: [{ field: 'file', messages: ['Send the findings as multipart/form-data with the file in the field "file".'] }],
      });
    }
    return this.imports.import(actor, ref, file.buffer, query.mode ?? 'all-or-nothing');
  }
}
