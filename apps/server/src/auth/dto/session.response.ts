import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../common/dto/user.response.js';
import { CSRF_HEADER } from '../session-cookie.js';

/** POST /auth/sign-in and /auth/invitation: the session cookie is set beside this body. */
export class SignedInDto {
  @ApiProperty({ type: () => UserDto })
  user: UserDto;

  @ApiProperty({ description: `Send it as the ${CSRF_HEADER} header with every request that changes something` })
  csrfToken: string;

  @ApiProperty({ format: 'date-time', description: 'When the session ends unless used before (idle) or at the latest (absolute)' })
  expiresAt: string;
}

/** GET /auth/session. */
export class SessionDto {
  @ApiProperty({ type: () => UserDto })
  user: UserDto;

  @ApiProperty({ type: String, nullable: true, description: `The session's ${CSRF_HEADER} value; null with an API token` })
  csrfToken: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null with an API token' })
  expiresAt: string | null;

  @ApiProperty({ enum: ['session', 'token'], description: 'How this request was authenticated' })
  via: 'session' | 'token';
}

/** POST /auth/password. */
export class PasswordChangedDto {
  @ApiProperty({ type: () => UserDto })
  user: UserDto;
}
