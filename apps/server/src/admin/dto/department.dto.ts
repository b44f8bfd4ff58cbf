import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { IsName } from '../../common/validation.js';

export class CreateDepartmentDto {
  @ApiProperty({
    example: 'Facilities Department (设施部)',
    maxLength: 100,
    description: 'Stored NFC and trimmed; unique (ignoring case) among the active departments under the same parent',
  })
  @IsName(100)
  name: string;

  @ApiPropertyOptional({ description: 'Supervising department (office) above this one; omit for a top-level one' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ description: 'User id of the department head' })
  @IsOptional()
  @IsUUID()
  headUserId?: string;
}

export class UpdateDepartmentDto {
  @ApiPropertyOptional({ description: 'New name (the rules of a new department\'s name)', maxLength: 100 })
  // Not @IsOptional(): that would let `null` through, and a department must keep a name.
  @ValidateIf((_object, value) => value !== undefined)
  @IsName(100)
  name?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Move under this department; null moves it to the top' })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'User id of the department head; null clears it' })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @IsUUID()
  headUserId?: string | null;
}
