import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { SEVERITIES, type Severity } from '#domain';
import { IsInstant, IsName } from '../../common/validation.js';

export class FileProblemDto {
  @ApiProperty({ example: 'Fire exit blocked by stored goods', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'Pallets stacked in front of the east fire exit of warehouse 3.', maxLength: 5000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  description: string;

  @ApiProperty({ example: 'fire-safety', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  category: string;

  @ApiProperty({ enum: SEVERITIES, example: 'major' })
  @IsIn(SEVERITIES)
  severity: Severity;

  @ApiProperty({ example: 'Warehouse 3, east exit', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  location: string;

  @ApiPropertyOptional({
    description:
      'Reference of the inspection that found the problem, within your organisation (a new reference creates the inspection, ' +
      'with you on its team); required unless inspectionId is given',
    example: 'INSP-2026-031',
    maxLength: 100,
  })
  @ValidateIf((object: FileProblemDto, value) => value !== undefined || object.inspectionId === undefined)
  @IsName(100)
  inspectionRef?: string;

  @ApiPropertyOptional({ description: 'Id of the inspection that found the problem (instead of inspectionRef)' })
  @ValidateIf((_object, value) => value !== undefined)
  @IsUUID()
  inspectionId?: string;

  @ApiProperty({ description: 'What the rectification must achieve', example: 'Clear the exit and mark a keep-clear zone.', maxLength: 5000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  requirement: string;

  @ApiPropertyOptional({ description: 'Rectification deadline (ISO 8601), in the future and at most DEADLINE_HORIZON_YEARS (default 5) years ahead; may instead be given at ASSIGN', example: '2026-12-31T09:00:00.000Z' })
  // Not @IsOptional(): that would let `null` through, to be read as 1970-01-01.
  @ValidateIf((_object, value) => value !== undefined)
  @IsInstant()
  deadline?: string;
}
