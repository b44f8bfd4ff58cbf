import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { type Actor, DomainError, type Role } from '#domain';
import { IdentityService, sameSecret, type SessionStanding, SignInService } from '#identity';
import { setLogContext } from '#logging';
import { CSRF_HEADER, sessionSecretOf } from '../auth/session-cookie.js';

const IS_PUBLIC = 'isPublic';
const ROLES = 'roles';
const BEFORE_PASSWORD_CHANGE = 'allowedBeforePasswordChange';

/** Marks a route that needs no token (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a controller or route to some roles (403 AUTH.FORBIDDEN for the others). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** What a user who must change their password may still call with their session (change it, see it, sign out). */
export const AllowedBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE, true);

/** A request once BearerAuthGuard has let it through: who sends it, with which API token or session. */
export type AuthenticatedRequest = Request & { actor?: Actor; tokenId?: string; session?: SessionStanding };

/** Methods that change nothing, so need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request carries `Authorization: Bearer <token>`, whose hash must belong to an active user, or (people in
 * a browser, without an Authorization header) the session cookie; both give the same Actor, so every permission
 * and scope holds alike.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    private readonly signIn: SignInService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    setLogContext({ problemId: problemIdOf(context.switchToHttp().getRequest<Request>()) });
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = request.header('authorization') === undefined ? sessionSecretOf(request) : undefined;
    if (secret !== undefined) {
      request.session = await this.sessionOf(context, request, secret);
      request.actor = request.session.actor;
    } else {
      const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(request.header('authorization') ?? '');
      if (!match) {
        throw new DomainError('AUTH.MISSING_TOKEN', 'Send your API token as `Authorization: Bearer <token>`, or sign in (POST /auth/sign-in).');
      }
      const authenticated = await this.identity.authenticate(match[1]);
      if (!authenticated) {
        throw new DomainError('AUTH.INVALID_TOKEN', 'This token is not valid (unknown, revoked, or its user is deactivated).');
      }
      request.actor = authenticated.actor;
      request.tokenId = authenticated.tokenId;
    }
    const actor = request.actor;
    setLogContext({ actorId: actor.userId });
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (roles && !roles.some((role) => role === actor.role)) {
      throw new DomainError('AUTH.FORBIDDEN', `This endpoint is for ${roles.join(', ')} users only.`, { role: actor.role, allowedRoles: roles });
    }
    return true;
  }

  /** A live session; a change it asks for carries the CSRF token; a pending password change comes first. */
  private async sessionOf(context: ExecutionContext, request: Request, secret: string): Promise<SessionStanding> {
    const session = await this.signIn.authenticate(secret);
    if (!session) {
      throw new DomainError('AUTH.SESSION_ENDED', 'Your session has ended (signed out, expired, or ended by an administrator): sign in again.');
    }
    if (!SAFE_METHODS.has(request.method.toUpperCase())) {
      const sent = request.header(CSRF_HEADER);
      if (sent === undefined || !sameSecret(sent, session.csrfToken)) {
        throw new DomainError('AUTH.CSRF', `A change made with a session needs the ${CSRF_HEADER} header, set to the csrfToken of POST /auth/sign-in or GET /auth/session.`);
      }
    }
    if (session.user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(BEFORE_PASSWORD_CHANGE, [context.getHandler(), context.getClass()])) {
      throw new DomainError('AUTH.PASSWORD_CHANGE_REQUIRED', 'Change your password first (POST /auth/password): it was set by an administrator.');
    }
    return session;
  }
}

/** The problem a `/problems/:id…` route is about, for the log lines of the request (the route is matched by now). */
function problemIdOf(request: Request): string | undefined {
  const route = (request.route as { path?: string } | undefined)?.path;
  const id = route && /^\/problems\/:id(\/|$)/.test(route) ? request.params?.id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** The signed-in caller, set by BearerAuthGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new DomainError('AUTH.MISSING_TOKEN', 'Send your API token as `Authorization: Bearer <token>`.');
  return actor;
});
