import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Composition } from '@khaacho/app-worker/composition';
import { CLOCK, LOGGER, PhoneNumber, REPOSITORY_TOKENS, type Retailer, type Vendor } from '@khaacho/core';
import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { HttpError, HttpErrorCodes } from '../http/error-statuses.js';
import { ProcessRateLimiter } from '../http/rate-limits.js';
import type { RequestState } from '../http/request-context.js';
import { compileRequest, requestInvalid } from '../routes/validation.js';
import type { ChatEntry } from './chat-log.js';
import { type SimulatedContent, signedDelivery } from './inbound-delivery.js';
import type { Simulator } from './simulator-setup.js';

/*
 * The page's files, served from the package's src (shipped in `files`), so no build step
 * copies them: from dist/simulator/ and from src/simulator/ alike, ../../src/simulator/page is
 * this folder.
 */
const PAGE_DIR = fileURLToPath(new URL('../../src/simulator/page/', import.meta.url));
const ASSETS: Readonly<Record<string, string>> = {
  'simulator.js': 'text/javascript; charset=utf-8',
  'simulator.css': 'text/css; charset=utf-8',
};

const WA_ID = '^[1-9][0-9]{7,14}$';
/** The largest voice note the page may send (its base64 fits the default 1 MiB JSON body). */
const MAX_AUDIO_BYTES = 512 * 1024;
const inboundSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from'],
  properties: {
    from: { type: 'string', pattern: WA_ID },
    text: { type: 'string', minLength: 1, maxLength: 4096 },
    buttonReply: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'title'],
      properties: { id: { type: 'string', minLength: 1, maxLength: 256 }, title: { type: 'string', maxLength: 20 } },
    },
    listReply: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'title'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 200 },
        title: { type: 'string', maxLength: 24 },
        description: { type: 'string', maxLength: 72 },
      },
    },
    audio: {
      type: 'object',
      additionalProperties: false,
      required: ['data', 'mimeType'],
      properties: {
        // Base64 of at most MAX_AUDIO_BYTES: a voice note of a minute or two.
        data: {
          type: 'string',
          minLength: 4,
          maxLength: Math.ceil(MAX_AUDIO_BYTES / 3) * 4,
          pattern: '^[A-Za-z0-9+/]+={0,2}$',
        },
        mimeType: { type: 'string', pattern: '^audio/[\\w.+-]{1,60}(; ?codecs=[\\w.-]{1,30})?$' },
        transcript: { type: 'string', maxLength: 1000 },
      },
    },
    contextId: { type: 'string', pattern: '^wamid\\.[A-Za-z0-9+/=_-]{1,200}$' },
  },
  // Exactly one content (ajv's strict mode wants each branch to name its property).
  oneOf: [
    { required: ['text'], properties: { text: true } },
    { required: ['buttonReply'], properties: { buttonReply: true } },
    { required: ['listReply'], properties: { listReply: true } },
    { required: ['audio'], properties: { audio: true } },
  ],
} as const;
const messagesQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['phone'],
  properties: {
    phone: { type: 'string', pattern: WA_ID },
    after: { type: 'integer', minimum: 0, maximum: 9_007_199_254_740_991, default: 0 },
  },
} as const;
const validInbound = compileRequest('body', inboundSchema);
const validMessagesQuery = compileRequest('query', messagesQuerySchema);

interface InboundBody {
  readonly from: string;
  readonly text?: string;
  readonly buttonReply?: { readonly id: string; readonly title: string };
  readonly listReply?: { readonly id: string; readonly title: string; readonly description?: string };
  readonly audio?: { readonly data: string; readonly mimeType: string; readonly transcript?: string };
  readonly contextId?: string;
}

/** Per client IP and minute: a person typing and two phones polling every second stay well inside. */
const INBOUND_PER_MINUTE = 60;
const READS_PER_MINUTE = 600;
const MAX_PARTIES = 20;
const WEBHOOK_TIMEOUT_MS = 10_000;

const digits = (phone: PhoneNumber): string => phone.value.replace(/^\+/, '');

interface Party {
  readonly id: string;
  readonly name: string;
  readonly phone: string;
  readonly area: string;
}

/** The first `MAX_PARTIES` ACTIVE items, `first` (when there) at the head. */
async function firstActive<T extends Retailer | Vendor>(
  list: (cursor: string | null) => Promise<{ items: readonly T[]; nextCursor: string | null }>,
  isFirst: (item: T) => Promise<boolean>,
): Promise<T[]> {
  const found: T[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(cursor);
    for (const item of page.items) if (item.status === 'ACTIVE') found.push(item);
    cursor = page.nextCursor;
  } while (cursor && found.length < 200);
  let head = -1;
  for (let i = 0; i < found.length && head < 0; i++) if (await isFirst(found[i] as T)) head = i;
  if (head > 0) found.unshift(...found.splice(head, 1));
  return found.slice(0, MAX_PARTIES);
}

/**
 * The simulator's page and its API (`/simulator`, `/simulator/assets/*`, `/simulator/api/*`):
 * mounted by `createHttpApp` only when `main` set a simulator up (see `simulatorRefusal`).
 * Public like the page it serves: it only reads demo parties and the in-memory chat log,
 * and writes nothing but signed deliveries to our own webhook, rate limited per IP.
 */
export function simulatorRoutes(simulator: Simulator, composition: Composition): Router<RequestState> {
  const router = new Router<RequestState>();
  const clock = composition.get(CLOCK);
  const logger = composition.get(LOGGER);
  const inboundLimit = new ProcessRateLimiter(clock, { points: INBOUND_PER_MINUTE, durationMs: 60_000 });
  const readLimit = new ProcessRateLimiter(clock, { points: READS_PER_MINUTE, durationMs: 60_000 });
  const spend = async (limiter: ProcessRateLimiter, ctx: ParameterizedContext<RequestState>) => {
    const decision = await limiter.consume(ctx.ip || 'unknown');
    if (!decision.allowed) {
      ctx.set('Retry-After', String(Math.ceil(decision.retryAfterMs / 1000)));
      throw new HttpError(429, HttpErrorCodes.RATE_LIMITED, 'too many simulator requests; wait a little');
    }
  };

  router.get('/simulator', (ctx) => {
    ctx.state.route = '/simulator';
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = createReadStream(`${PAGE_DIR}index.html`);
  });
  router.get('/simulator/assets/:asset', async (ctx, next) => {
    const type = ASSETS[ctx.params.asset ?? ''];
    if (!type) return next();
    ctx.state.route = '/simulator/assets/:asset';
    ctx.type = type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = createReadStream(`${PAGE_DIR}${ctx.params.asset}`);
  });

  router.get('/simulator/api/parties', async (ctx) => {
    ctx.state.route = '/simulator/api/parties';
    await spend(readLimit, ctx);
    const retailers = composition.get(REPOSITORY_TOKENS.retailers);
    const vendors = composition.get(REPOSITORY_TOKENS.vendors);
    const offers = composition.get(REPOSITORY_TOKENS.offers);
    // The demo logins' shop and vendor first: the shop is in the vendor's area with credit to spend.
    const shops = await firstActive<Retailer>(
      (cursor) => retailers.list({ limit: 100, cursor }),
      async (r) => r.name === 'Demo Kirana Pasal',
    );
    const sellers = await firstActive<Vendor>(
      (cursor) => vendors.list({ limit: 100, cursor }),
      async (v) => v.serviceAreas.length > 0 && (await offers.listByVendor(v.id)).some((o) => o.active),
    );
    const party = (id: string, name: string, phone: PhoneNumber, area: string): Party => ({
      id,
      name,
      phone: digits(phone),
      area,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      business: { displayPhoneNumber: simulator.secrets.displayPhoneNumber },
      // 'simulated': no speech-to-text here; a voice note is "heard" as the transcript typed beside it.
      voice: simulator.voice(),
      shops: shops.map((r) => party(r.id, r.name, r.phone, r.area)),
      vendors: sellers.map((v) => party(v.id, v.name, v.phone, v.serviceAreas.join(', '))),
    };
  });

  router.get('/simulator/api/messages', async (ctx) => {
    ctx.state.route = '/simulator/api/messages';
    await spend(readLimit, ctx);
    const query = { ...ctx.query };
    if (!validMessagesQuery(query)) throw requestInvalid('query', validMessagesQuery.errors);
    const { phone, after } = query as unknown as { phone: string; after: number };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { entries: simulator.log.after(phone, after), lastSeq: simulator.log.lastSeq };
  });

  router.post('/simulator/api/inbound', async (ctx) => {
    ctx.state.route = '/simulator/api/inbound';
    await spend(inboundLimit, ctx);
    if (!ctx.is('application/json')) {
      throw new HttpError(415, HttpErrorCodes.UNSUPPORTED_MEDIA_TYPE, 'send application/json');
    }
    const body = ctx.request.body as unknown;
    if (!validInbound(body)) throw requestInvalid('body', validInbound.errors);
    const input = body as InboundBody;
    let simulatedTranscript: string | undefined;
    let content: SimulatedContent;
    if (input.audio !== undefined) {
      const bytes = Buffer.from(input.audio.data, 'base64');
      if (bytes.length === 0 || bytes.length > MAX_AUDIO_BYTES) {
        throw new HttpError(400, HttpErrorCodes.INVALID_REQUEST, `a voice note is 1 to ${MAX_AUDIO_BYTES} bytes`);
      }
      // Stored with the Graph stub, which serves it to our media fetcher as Meta would.
      const stored = simulator.media.put(bytes, input.audio.mimeType, input.audio.transcript ?? null);
      if (stored.transcript !== null && simulator.voice() === 'simulated') simulatedTranscript = stored.transcript;
      const sha256 = Buffer.from(stored.sha256Hex, 'hex').toString('base64');
      content = { audio: { id: stored.id, mimeType: stored.mimeType, sha256 } };
    } else {
      content =
        input.text !== undefined
          ? { text: input.text }
          : input.buttonReply !== undefined
            ? { buttonReply: input.buttonReply }
            : { listReply: input.listReply as NonNullable<InboundBody['listReply']> };
    }
    const profileName = await nameOf(composition, input.from);
    const delivery = signedDelivery(
      { from: input.from, profileName, content, ...(input.contextId ? { contextId: input.contextId } : {}) },
      simulator.target,
      clock.now(),
    );
    const entry = simulator.log.append({
      phone: input.from,
      direction: 'in',
      messageId: delivery.messageId,
      payload: delivery.message,
      ...(simulatedTranscript === undefined ? {} : { simulatedTranscript }),
    });
    entry.webhook = await post(simulator.webhookUrl(), delivery.body, delivery.signature);
    if (entry.webhook.status !== 200) logger.warn('simulator delivery not accepted', { ...entry.webhook });
    ctx.status = 200;
    ctx.body = { seq: entry.seq, messageId: entry.messageId, webhook: entry.webhook };
  });
  return router;
}

/** The demo party's name as its WhatsApp profile name; a number no party has is "Simulator". */
async function nameOf(composition: Composition, waId: string): Promise<string> {
  let phone: PhoneNumber;
  try {
    phone = PhoneNumber.parse(`+${waId}`);
  } catch {
    return 'Simulator';
  }
  const retailer = await composition.get(REPOSITORY_TOKENS.retailers).getByPhone(phone);
  if (retailer) return retailer.name;
  const vendor = await composition.get(REPOSITORY_TOKENS.vendors).getByPhone(phone);
  return vendor?.name ?? 'Simulator';
}

/** The delivery over real HTTP to our own webhook, as Meta's would arrive: the exact signed bytes. */
async function post(url: string | null, body: Buffer, signature: string): Promise<NonNullable<ChatEntry['webhook']>> {
  if (url === null) return { status: 0, error: 'the app is not listening yet' };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return res.status === 200 ? { status: 200 } : { status: res.status, error: `the webhook answered ${res.status}` };
  } catch (error) {
    return { status: 0, error: `the webhook could not be reached: ${(error as Error).message}` };
  }
}
