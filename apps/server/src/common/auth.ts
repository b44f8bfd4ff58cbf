import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { type Actor, DomainError, type Role } from '../../../../libs/domain/src/index.js';
import { IdentityService } from '../../../../libs/identity/src/index.js';

const IS_PUBLIC = 'isPublic';
const ROLES = 'roles';

/** Marks a route that needs no token (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a controller or route to some roles (403 AUTH.FORBIDDEN for the others). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** A request once BearerAuthGuard has let it through: who sends it, with which API token. */
export type AuthenticatedRequest = Request & { actor?: Actor; tokenId?: string };

/** Every request carries `Authorization: Bearer <token>`; the token's hash must belong to an active user. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(request.header('authorization') ?? '');
    if (!match) {
      throw new DomainError('AUTH.MISSING_TOKEN', 'Send your API token as `Authorization: Bearer <token>`.');
    }
    const authenticated = await this.identity.authenticate(match[1]);
    if (!authenticated) {
      throw new DomainError('AUTH.INVALID_TOKEN', 'This token is not valid (unknown, revoked, or its user is deactivated).');
    }
    const { actor } = authenticated;
    request.actor = actor;
    request.tokenId = authenticated.tokenId;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (roles && !roles.some((role) => role === actor.role)) {
      throw new DomainError('AUTH.FORBIDDEN', `This endpoint is for ${roles.join(', ')} users only.`, { role: actor.role, allowedRoles: roles });
    }
    return true;
  }
}

/** The signed-in caller, set by BearerAuthGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new DomainError('AUTH.MISSING_TOKEN', 'Send your API token as `Authorization: Bearer <token>`.');
  return actor;
});
