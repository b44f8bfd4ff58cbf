import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock, DomainError } from '#domain';
import type { AuthenticatedRequest } from './auth.js';

export const RATE_LIMIT_PER_MINUTE = Symbol('RATE_LIMIT_PER_MINUTE');
const WINDOW_MS = 60_000;
/** Requests from one client address may reach this many times the per-token limit (several users behind one NAT). */
const ADDRESS_FACTOR = 10;

/**
 * Fixed one-minute windows counted in this process's memory (with several servers, each counts its own share).
 * Written here rather than taken from @nestjs/throttler: that package is CommonJS and requires @nestjs/common,
 * which NestJS 12 ships as ESM only; Node 20 loads it at run time, but Jest on Node 20 cannot, so it could not
 * have been tested.
 */
class FixedWindows {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  hit(key: string, now: number): { count: number; resetSeconds: number } {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      if (this.windows.size >= 10_000) this.forgetExpired(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetSeconds: Math.ceil((window.startedAt + WINDOW_MS - now) / 1000) };
  }

  private forgetExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= WINDOW_MS) this.windows.delete(key);
    }
  }
}

function refuse(response: Response, limit: number, resetSeconds: number, what: string): never {
  response.setHeader('Retry-After', String(resetSeconds));
  throw new DomainError('AUTH.RATE_LIMITED', `Too many requests: at most ${limit} a minute ${what}. Retry after ${resetSeconds} s.`, {
    limit,
    retryAfterSeconds: resetSeconds,
  });
}

/**
 * First line, before authentication: a coarse limit per client address, so a flood of made-up tokens is
 * throttled too (and costs one counter per address, not one per token tried).
 */
@Injectable()
export class AddressRateLimitGuard implements CanActivate {
  private readonly windows = new FixedWindows();

  constructor(
    @Inject(RATE_LIMIT_PER_MINUTE) private readonly perToken: number,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const limit = this.perToken * ADDRESS_FACTOR;
    const { count, resetSeconds } = this.windows.hit(`ip:${request.ip}`, this.clock.now().getTime());
    if (count > limit) refuse(context.switchToHttp().getResponse<Response>(), limit, resetSeconds, 'from one address');
    return true;
  }
}

/**
 * After authentication: RATE_LIMIT_PER_MINUTE per API token or per session, so one misbehaving integration or
 * browser tab cannot starve an organisation's other users. Reports RateLimit-* headers on every authenticated response.
 */
@Injectable()
export class TokenRateLimitGuard implements CanActivate {
  private readonly windows = new FixedWindows();

  constructor(
    @Inject(RATE_LIMIT_PER_MINUTE) private readonly limit: number,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<Response>();
    // Public routes (health, sign-in) carry neither: the address limit covers them.
    const key = request.tokenId !== undefined ? `token:${request.tokenId}` : request.session ? `session:${request.session.sessionId}` : undefined;
    if (key === undefined) return true;
    const { count, resetSeconds } = this.windows.hit(key, this.clock.now().getTime());
    response.setHeader('RateLimit-Limit', String(this.limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, this.limit - count)));
    response.setHeader('RateLimit-Reset', String(resetSeconds));
    if (count > this.limit) refuse(response, this.limit, resetSeconds, request.tokenId !== undefined ? 'for one token' : 'for one session');
    return true;
  }
}
