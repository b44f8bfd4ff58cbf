import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '#identity';

// Usernames are only looked up here (never stored), so any string is taken: an odd one is simply not found.
export class SignInDto {
  @ApiProperty({ example: 'wang.fang', maxLength: 100, description: 'Compared ignoring case' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  username: string;

  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class AcceptInvitationDto extends SignInDto {
  @ApiProperty({ description: 'The one-time code an administrator issued (POST /admin/users/:id/invitation)', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  code: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
    description: 'At least 10 characters, not the username, not one of the most common passwords',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}
