import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, UUID_PATTERN } from '#domain';
import { EventStream, type OutboxEvent, type StreamEndReason, type StreamHolder } from '#events';
import { IdentityService, SignInService } from '#identity';
import type { AuthenticatedRequest } from '../common/auth.js';

/** A comment line every 15 s keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly stream: EventStream,
    private readonly identity: IdentityService,
    private readonly signIn: SignInService,
  ) {}

  @Get('stream')
  @ApiOkResponse({
    description: 'The stream: `id:`, `event:` and `data:` lines per event, a comment line to keep it open',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id: missed events are replayed first' })
  @ApiOperation({
    summary: 'Server-Sent Events of the problems in your scope: `id` (event id), `event` (type), `data` (JSON)',
    description:
      'Opened with an API token or the session cookie (EventSource in a browser sends the cookie; no CSRF header, as ' +
      'for every GET). The scope follows changes to the organisation while the stream is open. The stream ends with ' +
      '`event: stream.closed` and `data: {"reason": …}` when its token is revoked (`token_revoked`) or expires ' +
      '(`token_expired`), its session is signed out or ended (`session_ended`) or expires (`session_expired`), its ' +
      'user is deactivated (`user_deactivated`), or the server shuts down (`server_shutdown`).',
  })
  async open(
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
  ): Promise<void> {
    const holder = this.holderOf(request);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');

    const send = (event: OutboxEvent) => {
      response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${event.body}\n\n`);
    };
    // No `id:` line, so a client resuming later still sends the id of the last real event.
    const end = (reason: StreamEndReason) => {
      clearInterval(heartbeat);
      if (response.writableEnded) return;
      response.write(`event: stream.closed\ndata: ${JSON.stringify({ reason })}\n\n`);
      response.end();
    };
    // An id that is not one of ours cannot be resumed from: the stream starts live.
    const resumeFrom = lastEventId && UUID_PATTERN.test(lastEventId.trim()) ? lastEventId.trim().toLowerCase() : undefined;
    let stop: (() => void) | null = null;
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    let gone = false;
    const cleanUp = () => {
      gone = true;
      clearInterval(heartbeat);
      stop?.();
    };
    // The response's close, not the request's: a request closes as soon as its body has been read (a GET may carry
    // one), while the response closes when the client goes away.
    response.on('close', cleanUp);
    stop = await this.stream.subscribe(holder, resumeFrom, { send, end });
    if (gone) cleanUp();
    // The answer starts only once the stream listens: whoever sees the 200 misses no event relayed after it.
    else if (!response.writableEnded) response.write(': connected\n\n');
  }

  /** BearerAuthGuard has checked the token or the session; the stream re-reads it by id for as long as it stays open. */
  private holderOf(request: AuthenticatedRequest): StreamHolder {
    const { tokenId, session } = request;
    if (tokenId) return { tokenId, standing: () => this.identity.standing(tokenId) };
    if (session) {
      const { sessionId } = session;
      return { sessionId, standing: () => this.signIn.validity(sessionId, session.actor.userId) };
    }
    throw new DomainError('AUTH.MISSING_TOKEN', 'Send your API token as `Authorization: Bearer <token>`, or sign in (POST /auth/sign-in).');
  }
}
