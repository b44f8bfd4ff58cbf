import { ApiProperty } from '@nestjs/swagger';
import { type Role, ROLES } from '#domain';
import type { UserRecord } from '#identity';

/** A user as the API shows one (never a password hash): sign-in, the session, the admin screens. */
export class UserDto implements UserRecord {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Unique, compared case-folded' })
  username: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  departmentId: string | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'Set with a password an administrator chose: nothing else is allowed until it is changed' })
  mustChangePassword: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
