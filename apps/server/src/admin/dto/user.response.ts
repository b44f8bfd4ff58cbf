import { ApiProperty } from '@nestjs/swagger';
import type { IssuedInvitation, IssuedToken, TokenSummary } from '#identity';
import { UserDto } from '../../common/dto/user.response.js';

/** GET /admin/users. */
export class UserListDto {
  @ApiProperty({ type: [UserDto] })
  items: UserDto[];
}

/** An API token as admins see it: never the token or its hash. */
export class TokenSummaryDto implements TokenSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid', description: 'Whose token it is' })
  userId: string;

  @ApiProperty({ description: '`initial` for the one issued with the user' })
  label: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null: it does not expire' })
  expiresAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Recorded at most once a minute; null while never used' })
  lastUsedAt: string | null;
}

/** A token just issued, with the token itself. */
export class IssuedTokenDto extends TokenSummaryDto implements IssuedToken {
  @ApiProperty({ description: 'The API token, shown this once: only its hash is stored' })
  token: string;
}

/** GET /admin/users/{id}/tokens. */
export class TokenListDto {
  @ApiProperty({ type: [TokenSummaryDto], description: 'Oldest first' })
  items: TokenSummaryDto[];
}

/** POST /admin/users: the user and their first API token. */
export class CreatedUserDto {
  @ApiProperty({ type: () => UserDto })
  user: UserDto;

  @ApiProperty({ type: () => IssuedTokenDto, description: 'Labelled `initial`' })
  token: IssuedTokenDto;
}

/** A one-time invitation code, shown once to the admin, who passes it on. */
export class IssuedInvitationDto implements IssuedInvitation {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty()
  username: string;

  @ApiProperty({ description: 'Shown this once: the user sets their password with it (POST /auth/invitation); a new one replaces it' })
  code: string;

  @ApiProperty({ format: 'date-time', description: '7 days from now' })
  expiresAt: string;
}
