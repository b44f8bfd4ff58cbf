import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Actor, DomainError } from '#domain';
import { type SignedIn, SignInService, UsersService } from '#identity';
import { AllowedBeforePasswordChange, type AuthenticatedRequest, CurrentActor, Public } from '../common/auth.js';
import { PasswordChangedDto, SessionDto, SignedInDto } from './dto/session.response.js';
import { AcceptInvitationDto, ChangePasswordDto, SignInDto } from './dto/sign-in.dto.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

/** A locked account's answer says when to try again, as the rate limits' do. */
async function withRetryAfter<T>(response: Response, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'AUTH.LOCKED') response.setHeader('Retry-After', String(error.details?.retryAfterSeconds ?? 60));
    throw error;
  }
}

/** Sign-in for people (the console). Integrations keep using API tokens. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @Post('sign-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with username and password: sets the session cookie, returns the user and the CSRF token', security: [] })
  @ApiOkResponse({ type: SignedInDto })
  async signInWithPassword(@Body() dto: SignInDto, @Res({ passthrough: true }) response: Response) {
    return this.started(response, await withRetryAfter(response, () => this.signIn.signIn(dto.username, dto.password)));
  }

  @Public()
  @Post('invitation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set your password with the one-time invitation code an administrator gave you, and sign in', security: [] })
  @ApiOkResponse({ type: SignedInDto })
  async acceptInvitation(@Body() dto: AcceptInvitationDto, @Res({ passthrough: true }) response: Response) {
    return this.started(response, await withRetryAfter(response, () => this.signIn.acceptInvitation(dto.username, dto.code, dto.password)));
  }

  @Get('session')
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'Who is signed in, the CSRF token of the session and when it ends (both null with an API token)' })
  @ApiOkResponse({ type: SessionDto })
  async session(@Req() request: AuthenticatedRequest, @CurrentActor() actor: Actor) {
    const { session } = request;
    if (session) return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt, via: 'session' };
    return { user: await this.users.get(actor.userId), csrfToken: null, expiresAt: null, via: 'token' };
  }

  @Post('password')
  @HttpCode(200)
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'Change your password: your other sessions end, this one goes on' })
  @ApiOkResponse({ type: PasswordChangedDto })
  async changePassword(@Req() request: AuthenticatedRequest, @CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto, @Res({ passthrough: true }) response: Response) {
    const user = await withRetryAfter(response, () =>
      this.signIn.changePassword(actor, request.session?.sessionId ?? null, dto.currentPassword, dto.newPassword),
    );
    return { user };
  }

  @Post('sign-out')
  @HttpCode(204)
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: 'End this session and clear its cookie (with an API token: nothing to end)' })
  @ApiNoContentResponse({ description: 'Signed out; the cookie is cleared' })
  async signOut(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<void> {
    if (request.session) await this.signIn.signOut(request.session.sessionId);
    clearSessionCookie(response, this.signIn.settings);
  }

  private started(response: Response, signedIn: SignedIn) {
    setSessionCookie(response, signedIn.secret, this.signIn.settings);
    return { user: signedIn.user, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt };
  }
}
