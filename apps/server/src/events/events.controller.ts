import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type Actor, UUID_PATTERN } from '../../../../libs/domain/src/index.js';
import { EventStream, type OutboxEvent } from '../../../../libs/events/src/index.js';
import { CurrentActor } from '../common/auth.js';

/** A comment line every 15 s keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly stream: EventStream) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id: missed events are replayed first' })
  @ApiOperation({ summary: 'Server-Sent Events of the problems in your scope: `id` (event id), `event` (type), `data` (JSON)' })
  async open(
    @CurrentActor() actor: Actor,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(': connected\n\n');

    const send = (event: OutboxEvent) => {
      response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${event.body}\n\n`);
    };
    // An id that is not one of ours cannot be resumed from: the stream starts live.
    const resumeFrom = lastEventId && UUID_PATTERN.test(lastEventId.trim()) ? lastEventId.trim().toLowerCase() : undefined;
    let stop: (() => void) | null = null;
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const cleanUp = () => {
      clearInterval(heartbeat);
      stop?.();
    };
    request.on('close', cleanUp);
    stop = await this.stream.subscribe(actor, resumeFrom, { send, end: () => response.end() });
    if (request.destroyed) cleanUp();
  }
}
