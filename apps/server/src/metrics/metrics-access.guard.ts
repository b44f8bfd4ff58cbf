import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsOptions } from '#config';
import { DomainError } from '#domain';
import { IdentityService } from '#identity';

export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

/**
 * Who may scrape /metrics: whoever sends the scrape token (METRICS_TOKEN), which opens nothing else, or an
 * administrator's API token. The figures describe the whole organisation's workload, so other users may not.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly scrapeTokenHash: Buffer | null;

  constructor(
    @Inject(METRICS_OPTIONS) options: MetricsOptions,
    private readonly identity: IdentityService,
  ) {
    this.scrapeTokenHash = options.token === undefined ? null : sha256(options.token);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(request.header('authorization') ?? '');
    if (!match) {
      throw new DomainError('AUTH.MISSING_TOKEN', 'Send the scrape token (METRICS_TOKEN) or an administrator\'s API token as `Authorization: Bearer <token>`.');
    }
    // Compared as hashes of equal length in constant time: the comparison says nothing about how much matched.
    if (this.scrapeTokenHash && timingSafeEqual(sha256(match[1]), this.scrapeTokenHash)) return true;
    const authenticated = await this.identity.authenticate(match[1]);
    if (!authenticated) {
      throw new DomainError('AUTH.INVALID_TOKEN', 'This token is neither the scrape token (METRICS_TOKEN) nor a valid API token.');
    }
    if (authenticated.actor.role !== 'admin') {
      throw new DomainError('AUTH.FORBIDDEN', 'Metrics are for administrators and the scrape token (METRICS_TOKEN) only.', {
        role: authenticated.actor.role,
        allowedRoles: ['admin'],
      });
    }
    return true;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
