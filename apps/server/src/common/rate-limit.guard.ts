import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock, DomainError } from '#domain';
import { RateLimitStore } from '#identity';
import type { AuthenticatedRequest } from './auth.js';

export const RATE_LIMIT_PER_MINUTE = Symbol('RATE_LIMIT_PER_MINUTE');

/**
 * Fixed one-minute windows, counted in the RateLimitStore (shared by the servers on PostgreSQL or Redis, see
 * RATE_LIMIT_STORE). Written here rather than taken from @nestjs/throttler: that package is CommonJS and requires
 * @nestjs/common, which NestJS 12 ships as ESM only; Node 20 loads it at run time, but Jest on Node 20 cannot, so
 * it could not have been tested.
 */
const WINDOW_MS = 60_000;
/** Requests from one client address may reach this many times the per-token limit (several users behind one NAT). */
const ADDRESS_FACTOR = 10;

function secondsUntil(resetsAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
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
 * throttled too (and costs one counter per address, not one per token tried). The address is the socket's peer,
 * or behind a trusted proxy (TRUST_PROXY) the client its X-Forwarded-For names.
 */
@Injectable()
export class AddressRateLimitGuard implements CanActivate {
  constructor(
    @Inject(RATE_LIMIT_PER_MINUTE) private readonly perToken: number,
    private readonly store: RateLimitStore,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const limit = this.perToken * ADDRESS_FACTOR;
    const now = this.clock.now();
    const { count, resetsAt } = await this.store.hit(`ip:${request.ip}`, now, WINDOW_MS);
    if (count > limit) refuse(context.switchToHttp().getResponse<Response>(), limit, secondsUntil(resetsAt, now), 'from one address');
    return true;
  }
}

/**
 * After authentication: RATE_LIMIT_PER_MINUTE per API token or per session, so one misbehaving integration or
 * browser tab cannot starve an organisation's other users. Reports RateLimit-* headers on every authenticated response.
 */
@Injectable()
export class TokenRateLimitGuard implements CanActivate {
  constructor(
    @Inject(RATE_LIMIT_PER_MINUTE) private readonly limit: number,
    private readonly store: RateLimitStore,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<Response>();
    // Public routes (health, sign-in) carry neither: the address limit covers them.
    const key = request.tokenId !== undefined ? `token:${request.tokenId}` : request.session ? `session:${request.session.sessionId}` : undefined;
    if (key === undefined) return true;
    const now = this.clock.now();
    const { count, resetsAt } = await this.store.hit(key, now, WINDOW_MS);
    const resetSeconds = secondsUntil(resetsAt, now);
    response.setHeader('RateLimit-Limit', String(this.limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, this.limit - count)));
    response.setHeader('RateLimit-Reset', String(resetSeconds));
    if (count > this.limit) refuse(response, this.limit, resetSeconds, request.tokenId !== undefined ? 'for one token' : 'for one session');
    return true;
  }
}
