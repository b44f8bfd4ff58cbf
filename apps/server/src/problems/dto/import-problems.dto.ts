import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { FileProblemDto } from './file-problem.dto.js';

export const IMPORT_MODES = ['all-or-nothing', 'valid-only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export class ImportProblemsQueryDto {
  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    default: 'all-or-nothing',
    description: 'all-or-nothing: any invalid row files nothing (422); valid-only: files the valid rows and reports the others',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;
}

/** The multipart body, as OpenAPI documents it (the file itself is read by multer). */
export class ImportProblemsFileDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'CSV (UTF-8) or XLSX of findings; see README "Bulk filing"' })
  file: unknown;
}

/** One row of a findings file: exactly the rules of a single filing, plus its optional idempotency key (编号). */
export class ImportRowDto extends FileProblemDto {
  @ValidateIf((_object, value) => value !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  key?: string;
}
