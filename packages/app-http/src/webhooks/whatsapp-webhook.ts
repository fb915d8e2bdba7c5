import { createHash } from 'node:crypto';
import {
  inboxRecordOf,
  parseDelivery,
  SIGNATURE_HEADER,
  storableText,
  verifySignature,
  verifySubscription,
  WHATSAPP_PROVIDER,
} from '@khaacho/adapters-whatsapp';
import type { Clock, Logger, RateLimitDecision, RateLimiter, RateLimitPolicy, WebhookInbox } from '@khaacho/core';
import type { Context, Middleware } from 'koa';
import { HttpError, HttpErrorCodes } from '../http/error-statuses.js';
import type { RequestState } from '../http/request-context.js';
import type { ExtraOperation } from '../openapi/openapi-document.js';
import { type CoalescingOptions, CoalescingInboxWriter } from './coalescing-inbox-writer.js';
import { ProcessRateLimiter } from '../http/rate-limits.js';

export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

/**
 * Meta documents webhook deliveries of up to 3 MB (and retries any non-200 for up to 7 days),
 * so the bound sits above that: a smaller one would refuse real deliveries for a week.
 */
export const DEFAULT_WEBHOOK_BODY_LIMIT_BYTES = 4 * 1_048_576;

/** How much of a signed body that is not JSON is kept in the inbox for an operator to read. */
const UNPARSEABLE_KEEP_CHARS = 65_536;

export interface WhatsAppWebhookOptions {
  /** Keys the X-Hub-Signature-256 HMAC (WHATSAPP_APP_SECRET). */
  readonly appSecret: string;
  /** What Meta's subscription GET must present (WHATSAPP_VERIFY_TOKEN). */
  readonly verifyToken: string;
  readonly maxBodyBytes?: number;
  /**
   * Correctly signed deliveries per caller IP, in this process (default
   * DEFAULT_SIGNED_WEBHOOK_RATE: 12,000 a minute, a fixed window as ProcessRateLimiter keeps).
   */
  readonly signedRateLimit?: RateLimitPolicy;
  /** The group commit of inbox writes (see CoalescingInboxWriter); `false`: one write per delivery. */
  readonly coalesce?: CoalescingOptions | false;
}

/**
 * A signed delivery proves the app secret: it is Meta's (or a replay of one of Meta's bodies,
 * which the inbox stores once). Refusing Meta with 429 only delays its messages (it redelivers
 * for days), so these do not spend the shared `webhook` budget; an in-process window per
 * caller IP only bounds a replay flood, at no Redis round trip. 200/s sustained per address
 * (10× the shared class): Meta spreads a busy number's messages and their status callbacks
 * (up to ~3 per message sent) over many addresses, and a refusal of Meta only delays it.
 */
export const DEFAULT_SIGNED_WEBHOOK_RATE: RateLimitPolicy = Object.freeze({ points: 12_000, durationMs: 60_000 });

export interface WhatsAppWebhookDeps {
  readonly inbox: WebhookInbox;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * The `webhook` route class budget, keyed by the caller's address: spent by the GET
   * handshake and by POSTs not correctly signed (signed ones: DEFAULT_SIGNED_WEBHOOK_RATE).
   */
  readonly rateLimiter: RateLimiter;
}

/**
 * Meta's webhook. GET is the subscription handshake. POST reads the raw bytes itself (this
 * middleware is mounted before the JSON body parser: the signature is an HMAC of the exact bytes,
 * and re-serialised JSON would not match it for Devanagari, emoji or any other escaping),
 * checks the signature, and writes every event of the delivery to the webhook inbox (one write,
 * all or none) before it answers 200. The worker processes them later; a redelivery is a duplicate in the inbox.
 */
export function whatsappWebhook(options: WhatsAppWebhookOptions, deps: WhatsAppWebhookDeps): Middleware<RequestState> {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_WEBHOOK_BODY_LIMIT_BYTES;

  const handshake = async (ctx: Context & { state: RequestState }): Promise<void> => {
    ctx.state.route = WHATSAPP_WEBHOOK_PATH;
    await spend(deps.rateLimiter, ctx);
    const answer = verifySubscription(ctx.query, options.verifyToken);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = answer.status;
    ctx.type = 'text/plain';
    ctx.body = answer.body;
  };

  // The app's own in-process limiter (a window per caller address): no shared store to ask.
  const signedLimiter = new ProcessRateLimiter(deps.clock, options.signedRateLimit ?? DEFAULT_SIGNED_WEBHOOK_RATE);
  // Addresses the shared limiter refused for unsigned/forged deliveries, until its window ends:
  // refused before their body is read, so a flood of forgeries costs no body read, no HMAC
  // and no Redis call each. Per process; an entry only shortens what Redis would answer anyway.
  const refused = new Map<string, number>();
  const writer = options.coalesce === false ? null : new CoalescingInboxWriter(deps.inbox, options.coalesce ?? {});

  const deliver = async (ctx: Context & { state: RequestState }): Promise<void> => {
    ctx.state.route = WHATSAPP_WEBHOOK_PATH;
    // Meta posts every message and status callback: an access line each would be most of the
    // log (and ~75 µs of CPU per delivery). Failures are still logged; the histogram counts all.
    ctx.state.quietAccess = true;
    const key = `ip:${ctx.ip}`;
    const until = refused.get(key);
    if (until !== undefined) {
      const now = deps.clock.now().getTime();
      if (until > now) {
        // Its body is not read: the connection cannot carry another request (as for a 413).
        ctx.set('Connection', 'close');
        tooMany(ctx, { allowed: false, remainingPoints: 0, retryAfterMs: until - now });
      }
      refused.delete(key);
    }
    const raw = await readRawBody(ctx, maxBytes);
    if (!verifySignature(raw, ctx.get(SIGNATURE_HEADER) || undefined, options.appSecret)) {
      // Not Meta: the shared budget of the address (then 401, or 429 past it), as before.
      const decision = await deps.rateLimiter.consume(key);
      if (!decision.allowed) {
        if (refused.size >= 10_000) refused.clear();
        refused.set(key, deps.clock.now().getTime() + decision.retryAfterMs);
        tooMany(ctx, decision);
      }
      throw new HttpError(
        401,
        HttpErrorCodes.UNAUTHENTICATED,
        'X-Hub-Signature-256 is missing or does not sign this body',
      );
    }
    const signedDecision = await signedLimiter.consume(key);
    if (!signedDecision.allowed) tooMany(ctx, signedDecision);
    const receivedAt = deps.clock.now();
    const text = raw.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      await keepUnparseable(deps, text, raw, receivedAt);
      ctx.status = 200;
      ctx.body = { received: 0, duplicates: 0 };
      return;
    }
    const { events, skipped } = parseDelivery(json);
    if (skipped.length > 0) deps.logger.warn('whatsapp webhook items skipped', { skipped: skipped.slice(0, 20) });
    // The whole delivery in one write, all or none, in delivery order (the inbox hands events
    // out in the order stored: a message followed by a status of our reply to it stays so). A
    // failure stores nothing and answers 5xx, so Meta's redelivery finds no half of it stored.
    // Concurrent deliveries share a write (group commit), each still answered after its own rows commit.
    const records = events.map((event) => inboxRecordOf(event, receivedAt));
    const answers = writer ? await writer.recordAll(records, raw.length) : await deps.inbox.recordAll(records);
    const duplicates = answers.filter((a) => a.duplicate).length;
    ctx.status = 200;
    ctx.body = { received: events.length - duplicates, duplicates };
  };

  // One path, two methods: a plain check instead of a router, which every request of the app
  // would pass through (matching, params, a composed stack) on its way to the API.
  return (ctx, next) => {
    if (!isWebhookPath(ctx.path)) return next();
    if (ctx.method === 'POST') return deliver(ctx);
    if (ctx.method === 'GET' || ctx.method === 'HEAD') return handshake(ctx);
    return next();
  };
}

/** As the router matched it: case-insensitive, an optional trailing slash. */
const WEBHOOK_PATH_LOOSE = /^\/webhooks\/whatsapp\/?$/i;
function isWebhookPath(path: string): boolean {
  return path === WHATSAPP_WEBHOOK_PATH || WEBHOOK_PATH_LOOSE.test(path);
}

/*
 * A signed body that is not JSON. It comes from whoever holds the app secret, so it is not
 * noise, but it will never parse: answering 400 would make Meta redeliver the same bytes
 * "with decreasing frequency for up to 7 days" (the reference's webhook notes), every one
 * refused again. So it is answered 200 and kept in the inbox under its digest (stored once
 * however often it comes), where the worker cannot read it and it ends in the dead list an
 * operator looks at; the error line says so.
 */
async function keepUnparseable(deps: WhatsAppWebhookDeps, text: string, raw: Buffer, receivedAt: Date): Promise<void> {
  const digest = createHash('sha256').update(raw).digest('hex');
  const { event, duplicate } = await deps.inbox.record({
    provider: WHATSAPP_PROVIDER,
    externalId: `wa:unparseable:${digest}`,
    // Made storable after the cut: raw NUL bytes decode to U+0000 and the cut can split a
    // surrogate pair, both refused by jsonb (a 422 here is a week of redeliveries).
    payload: { kind: 'unparseable', bytes: raw.length, text: storableText(text.slice(0, UNPARSEABLE_KEEP_CHARS)) },
    receivedAt,
  });
  deps.logger.error('whatsapp webhook body is signed but not JSON; kept in the inbox for an operator', {
    inboxEventId: event.id,
    bytes: raw.length,
    duplicate,
  });
}

async function spend(limiter: RateLimiter, ctx: Context): Promise<void> {
  const decision = await limiter.consume(`ip:${ctx.ip}`);
  if (!decision.allowed) tooMany(ctx, decision);
}

function tooMany(ctx: Context, decision: RateLimitDecision): never {
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  ctx.set('Retry-After', String(seconds));
  throw new HttpError(429, HttpErrorCodes.RATE_LIMITED, `too many requests; try again in ${seconds} s`, {
    limit: 'webhook',
    retryAfterSeconds: seconds,
  });
}

/** The request's bytes as sent, refused with 413 past `maxBytes` (declared or streamed). */
async function readRawBody(ctx: Context, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => {
    // The rest of the upload is not read: the connection cannot be reused for another request.
    ctx.set('Connection', 'close');
    return new HttpError(413, HttpErrorCodes.BODY_TOO_LARGE, `the body is larger than ${maxBytes} bytes`, {
      maxBytes,
    });
  };
  const declared = Number(ctx.get('Content-Length') || Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(buffer);
    }
  } catch (error) {
    // The caller hung up mid-body ("aborted"): its request, not a fault of ours to log as one.
    if (error instanceof HttpError || !ctx.req.destroyed) throw error;
    throw new HttpError(400, HttpErrorCodes.INVALID_REQUEST, 'the connection closed before the body was read', {
      bytesRead: size,
    });
  }
  return Buffer.concat(chunks, size);
}

/** The webhook's two operations, for the OpenAPI document (only when it is mounted). */
export const WHATSAPP_WEBHOOK_OPERATIONS: readonly ExtraOperation[] = [
  {
    method: 'get',
    path: WHATSAPP_WEBHOOK_PATH,
    operationId: 'whatsappWebhookVerify',
    summary:
      "Meta's subscription handshake: hub.mode=subscribe, hub.verify_token and hub.challenge → the challenge as text/plain.",
    tag: 'webhooks',
    responses: {
      200: { description: 'the challenge, echoed (text/plain)' },
      403: { description: 'wrong verify token, mode or challenge (text/plain)' },
    },
  },
  {
    method: 'post',
    path: WHATSAPP_WEBHOOK_PATH,
    operationId: 'whatsappWebhookDeliver',
    summary:
      'A WhatsApp Cloud API delivery, signed with X-Hub-Signature-256 over the raw bytes; every event is stored in the webhook inbox before the 200 and processed by the worker.',
    tag: 'webhooks',
    responses: {
      200: {
        description: 'stored (a redelivered event counts as a duplicate and is stored once)',
        schema: {
          type: 'object',
          required: ['received', 'duplicates'],
          properties: { received: { type: 'integer', minimum: 0 }, duplicates: { type: 'integer', minimum: 0 } },
        },
      },
      401: { description: 'the signature is missing or does not sign the body; nothing is stored' },
      413: { description: 'the body is larger than the limit; nothing is stored' },
      429: { description: 'over the webhook rate limit' },
    },
  },
];
