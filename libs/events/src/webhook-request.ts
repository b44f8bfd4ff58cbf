import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import type { WebhookHostResolver } from './webhook-host.resolver.js';
import { TargetNotAllowedError, type WebhookTargetPolicy } from './webhook-target.policy.js';

/** Bytes of a receiver's answer read (and thrown away) so its connection can be reused; a longer one is cut. */
const ANSWER_DRAIN_LIMIT = 64 * 1024;

/**
 * A `lookup` for net.connect that resolves through `resolver` and fails, before any connection, when an address the
 * name resolves to is refused by `policy`. The check runs on the very addresses the socket is about to use, so an
 * answer that changes between subscribing and sending (DNS rebinding) cannot get past it.
 */
export function guardedLookup(resolver: WebhookHostResolver, policy: WebhookTargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    resolver.resolve(hostname).then(
      (resolved) => {
        const addresses = family === 0 ? resolved : resolved.filter((entry) => entry.family === family);
        const refused = addresses.map(({ address }) => policy.check(address)).find((verdict) => !verdict.allowed);
        if (refused && !refused.allowed) callback(new TargetNotAllowedError(refused), '');
        else if (addresses.length === 0) callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '');
        else if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface WebhookConnection {
  lookup: LookupFunction;
  policy: WebhookTargetPolicy;
  agents: { http: http.Agent; https: https.Agent };
}

/**
 * Starts a POST to `url`: an IP literal host is judged here, since net.connect does not look it up (a refused one
 * throws TargetNotAllowedError); a name is judged on the addresses it resolves to (guardedLookup). A redirect is
 * never followed: the answer goes to `onResponse` as it is.
 */
function startPost(
  { url, headers, body, timeoutMs }: WebhookPost,
  connection: WebhookConnection,
  onResponse: (response: http.IncomingMessage) => void,
): { request: http.ClientRequest; signal: AbortSignal } {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) {
    const verdict = connection.policy.check(host);
    if (!verdict.allowed) throw new TargetNotAllowedError(verdict);
  }
  const secure = target.protocol === 'https:';
  const signal = AbortSignal.timeout(timeoutMs);
  const request = (secure ? https : http).request(
    {
      ...urlToHttpOptions(target),
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      agent: secure ? connection.agents.https : connection.agents.http,
      lookup: connection.lookup,
      signal,
    },
    onResponse,
  );
  return { request, signal };
}

/**
 * POSTs one webhook and resolves with the answer's status (see startPost for the target rules); the timeout covers
 * connecting, sending and waiting for the status. Rejects when no answer came, saying why.
 */
export function postWebhook(post: WebhookPost, connection: WebhookConnection): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const { request, signal } = startPost(post, connection, (response) => {
      resolve(response.statusCode ?? 0);
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > ANSWER_DRAIN_LIMIT) response.destroy();
      });
      response.on('error', () => undefined);
    });
    request.on('error', (error) => reject(signal.aborted ? new Error(`no answer within ${post.timeoutMs} ms`) : error));
    request.end(post.body);
  });
}

/**
 * POSTs like postWebhook (same redirect, IP-literal and policy rules) and also reads the answer's body, for receivers
 * whose verdict is in the body (the robots of DingTalk, Feishu and WeCom answer HTTP 200 with an error code). The
 * timeout covers the whole exchange, reading included; a body longer than `maxAnswerBytes` is cut there.
 */
export function postForAnswer(
  post: WebhookPost,
  connection: WebhookConnection,
  maxAnswerBytes = 64 * 1024,
): Promise<{ statusCode: number; body: string }> {
  const noAnswer = () => new Error(`no answer within ${post.timeoutMs} ms`);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const { request, signal } = startPost(post, connection, (response) => {
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let read = 0;
      const answer = () => Buffer.concat(chunks).toString('utf8');
      response.on('data', (chunk: Buffer) => {
        const room = maxAnswerBytes - read;
        if (room > 0) chunks.push(room >= chunk.length ? chunk : chunk.subarray(0, room));
        read += chunk.length;
        if (read > maxAnswerBytes) {
          settle(() => resolve({ statusCode, body: answer() }));
          response.destroy();
        }
      });
      response.on('end', () => settle(() => resolve({ statusCode, body: answer() })));
      response.on('error', (error) => settle(() => reject(signal.aborted ? noAnswer() : error)));
      response.on('close', () => {
        if (!response.complete) settle(() => reject(signal.aborted ? noAnswer() : new Error('the answer was cut off')));
      });
    });
    request.on('error', (error) => settle(() => reject(signal.aborted ? noAnswer() : error)));
    request.end(post.body);
  });
}
