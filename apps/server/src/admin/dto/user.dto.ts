import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { type Role, ROLES } from '#domain';
import { PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH } from '#identity';
import { InYearRange, IsInstant, IsName } from '../../common/validation.js';
import { PageSizeQueryDto } from '../../common/dto/page-size.query.dto.js';

export class CreateUserDto {
  @ApiProperty({ example: 'Wang Fang', maxLength: 100, description: 'Stored NFC and trimmed' })
  @IsName(100)
  name: string;

  @ApiPropertyOptional({
    example: 'wang.fang',
    maxLength: USERNAME_MAX_LENGTH,
    description: 'For signing in; unique ignoring case, no spaces. Derived from the name when omitted (Wang Fang → wang.fang)',
  })
  @IsOptional()
  @IsName(USERNAME_MAX_LENGTH)
  @Matches(/^\S+$/u, { message: 'username must not contain spaces' })
  username?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'Required for department and supervisor users' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ description: 'Expiry of the first token (ISO 8601 with time zone), in the years 2000 to 2100' })
  @IsOptional()
  @IsInstant()
  @InYearRange()
  tokenExpiresAt?: string;
}

export class SetPasswordDto {
  @ApiProperty({
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
    description: 'At least 10 characters, not the username, not one of the most common passwords; to be changed at first sign-in',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class IssueTokenDto {
  @ApiProperty({ example: 'ci-integration', maxLength: 100, description: 'Stored NFC and trimmed' })
  @IsName(100)
  label: string;

  @ApiPropertyOptional({ description: 'Expiry (ISO 8601 with time zone, in the years 2000 to 2100); none when omitted' })
  @IsOptional()
  @IsInstant()
  @InYearRange()
  expiresAt?: string;
}

export class ListAuditQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}
