import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS } from '@khaacho/adapters-whatsapp';
import type { ChatLog } from './chat-log.js';
import { type DeliveryTarget, type SimulatedStatus, signedStatusDelivery } from './inbound-delivery.js';
import type { SimulatorMedia, StoredMedia } from './simulator-media.js';

export interface GraphStubOptions {
  /** The only bearer token the stub takes (the sender's WHATSAPP_ACCESS_TOKEN). */
  readonly accessToken: string;
  /** The business number's id: the only `/{version}/{id}/messages` that exists. */
  readonly phoneNumberId: string;
  /** Where every accepted message is recorded for its recipient. */
  readonly log: ChatLog;
  /** The voice notes the page uploaded: served by the media endpoints. */
  readonly media?: SimulatorMedia;
  /**
   * Where Meta's status callbacks go: each accepted message is followed by signed `sent`,
   * `delivered` and `read` deliveries to the app's webhook, in that order, as Meta sends them.
   */
  readonly statusCallbacks?: {
    readonly webhookUrl: () => string | null;
    readonly target: DeliveryTarget;
    /** Between two callbacks of one message (default 20 ms): after the send's answer, as with Meta. */
    readonly delayMs?: number;
  };
}

/** The path of a media file's download url (not under a Graph version, as Meta's lookaside is not). */
const MEDIA_DOWNLOAD = /^\/simulator-media\/(\d{1,32})\/?$/;
const MEDIA_INFO = /^\/(v\d{1,3}\.\d{1,2})\/(\d{1,32})\/?$/;
const STATUS_TIMEOUT_MS = 5_000;

/** A request body larger than this is refused unread (a real message is a few KiB at most). */
const MAX_BODY_BYTES = 64 * 1024;

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** A Graph error answer: `{ error: { message, type, code, error_subcode?, error_data?, fbtrace_id } }`. */
class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly type: 'OAuthException' | 'GraphMethodException' = 'OAuthException',
    readonly subcode?: number,
    readonly details?: string,
  ) {
    super(message);
  }

  body(): Obj {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        ...(this.subcode === undefined ? {} : { error_subcode: this.subcode }),
        ...(this.details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details: this.details } }),
        fbtrace_id: randomBytes(16).toString('base64url').slice(0, 23),
      },
    };
  }
}

const invalid = (details: string) =>
  new GraphError(400, 100, '(#100) Invalid parameter', 'OAuthException', undefined, details);
/** Meta's answer to a payload that breaks an interactive limit. */
const notValid = (details: string) =>
  new GraphError(400, 131009, '(#131009) Parameter value is not valid', 'OAuthException', undefined, details);
const unsupported = (method: string, id: string) =>
  new GraphError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    'GraphMethodException',
    33,
  );

const tooLong = (value: unknown, max: number): boolean => !isStr(value) || value.trim() === '' || value.length > max;

/** The checks the Cloud API makes on a `/messages` body, with its codes (100: shape, 131009: limits). */
function checkMessage(body: unknown): { readonly to: string } {
  if (!isObj(body)) throw invalid('the request body must be a JSON object');
  if (body.messaging_product !== 'whatsapp') throw invalid('messaging_product must be "whatsapp"');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    throw invalid('recipient_type must be "individual"');
  }
  const to = isStr(body.to) ? body.to.replace(/^\+/, '') : '';
  if (!/^\d{8,15}$/.test(to)) throw invalid('to must be a phone number or WhatsApp id');
  switch (body.type ?? 'text') {
    case 'text': {
      const text = isObj(body.text) ? body.text : null;
      if (text === null || tooLong(text.body, LIMITS.textBody))
        throw invalid(`text.body is required, 1 to ${LIMITS.textBody} characters`);
      break;
    }
    case 'interactive':
      checkInteractive(body.interactive);
      break;
    case 'template': {
      const t = isObj(body.template) ? body.template : null;
      if (t === null || !isStr(t.name) || !/^[a-z0-9_]{1,512}$/.test(t.name))
        throw invalid('template.name is required');
      if (!isObj(t.language) || !isStr(t.language.code)) throw invalid('template.language.code is required');
      break;
    }
    default:
      throw invalid(`type "${String(body.type)}" is not one the simulator takes (text, interactive, template)`);
  }
  return { to };
}

function checkInteractive(value: unknown): void {
  if (!isObj(value) || !isObj(value.action) || !isObj(value.body))
    throw invalid('interactive needs type, body and action');
  const { action } = value;
  if (value.type === 'button') {
    if (tooLong(value.body.text, LIMITS.buttonsBody))
      throw notValid(`body text: 1 to ${LIMITS.buttonsBody} characters`);
    const buttons = Array.isArray(action.buttons) ? action.buttons : [];
    if (buttons.length === 0 || buttons.length > LIMITS.buttons) throw notValid(`buttons: 1 to ${LIMITS.buttons}`);
    for (const b of buttons) {
      const reply = isObj(b) && isObj(b.reply) ? b.reply : null;
      if (reply === null || tooLong(reply.title, LIMITS.buttonTitle)) {
        throw notValid(`Button title length invalid. Min length: 1, Max length: ${LIMITS.buttonTitle}`);
      }
      if (tooLong(reply.id, LIMITS.buttonId))
        throw notValid(`Button id length invalid. Max length: ${LIMITS.buttonId}`);
    }
    return;
  }
  if (value.type === 'list') {
    if (tooLong(value.body.text, LIMITS.listBody)) throw notValid(`body text: 1 to ${LIMITS.listBody} characters`);
    if (tooLong(action.button, LIMITS.listButton))
      throw notValid(`action.button: 1 to ${LIMITS.listButton} characters`);
    const sections = Array.isArray(action.sections) ? action.sections : [];
    const rows = sections.flatMap((s) => (isObj(s) && Array.isArray(s.rows) ? s.rows : []));
    if (sections.length === 0 || rows.length === 0 || rows.length > LIMITS.listRows) {
      throw notValid(`Total row count exceed max allowed count: ${LIMITS.listRows}`);
    }
    for (const r of rows) {
      if (!isObj(r) || tooLong(r.title, LIMITS.listRowTitle)) {
        throw notValid(`Row title length invalid. Max length: ${LIMITS.listRowTitle}`);
      }
      if (tooLong(r.id, LIMITS.listRowId)) throw notValid(`Row id length invalid. Max length: ${LIMITS.listRowId}`);
    }
    return;
  }
  throw invalid(`interactive.type "${String(value.type)}" is not one the simulator takes (button, list)`);
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer (\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalid(`the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `wamid.` + base64, the shape of Cloud API message ids. */
export function wamid(): string {
  return `wamid.${randomBytes(27).toString('base64')}`;
}

/**
 * A local stand-in for the Graph API, for the simulator:
 * - `POST /{version}/{phone-number-id}/messages`: the body is checked as the Cloud API does
 *   (400 with code 100 or 131009 and `error_data.details`), an accepted message is answered as
 *   Meta answers (`messaging_product`, `contacts[{input, wa_id}]`, `messages[{id}]`), recorded
 *   for its recipient in the chat log, and followed by signed status callbacks (sent,
 *   delivered, read) to the app's webhook;
 * - `GET /{version}/{media-id}`: a voice note's `url`, `mime_type`, `sha256`, `file_size`;
 *   `GET <url>`: its bytes (both with the token, as Meta's). Unknown media is Graph's
 *   "Unsupported get request" (400, code 100, subcode 33) and a 404 download, as expired media.
 * The bearer token is checked first (401, code 190 otherwise). Any other path or method
 * answers Graph's "Unsupported … request". A plain node handler: it runs as its own loopback
 * server (see simulator-setup.ts).
 */
export function graphStubHandler(options: GraphStubOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const handle = async (req: IncomingMessage): Promise<Obj | StoredMedia> => {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    const match = /^\/(v\d{1,3}\.\d{1,2})\/([^/]+)\/messages\/?$/.exec(path);
    const id = match?.[2] ?? path.split('/').filter(Boolean)[1] ?? '';
    // Graph checks the token before it looks the object up.
    const token = bearer(req.headers.authorization);
    if (token === null || !sameToken(token, options.accessToken)) {
      throw new GraphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    const download = req.method === 'GET' ? MEDIA_DOWNLOAD.exec(path) : null;
    if (download) {
      const file = options.media?.get(download[1] ?? '');
      if (!file) throw new GraphError(404, 100, 'media not found');
      return file;
    }
    const info = req.method === 'GET' ? MEDIA_INFO.exec(path) : null;
    if (info) {
      const file = options.media?.get(info[2] ?? '');
      if (!file) throw unsupported('GET', (info[2] ?? '').slice(0, 64));
      // Meta's url is its own CDN's; the stub's is itself, on whatever host the caller reached it.
      const host = /^[\w.:[\]-]{1,255}$/.test(req.headers.host ?? '') ? req.headers.host : '127.0.0.1';
      return {
        messaging_product: 'whatsapp',
        url: `http://${host}/simulator-media/${file.id}?ext=${Math.floor(Date.now() / 1000) + 300}`,
        mime_type: file.mimeType,
        sha256: file.sha256Hex,
        file_size: file.bytes.length,
        id: file.id,
      };
    }
    if (match === null || req.method !== 'POST' || id !== options.phoneNumberId) {
      throw unsupported(req.method ?? 'GET', id.replace(/[^\w.-]/g, '').slice(0, 64));
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw invalid('the request body is not JSON');
    }
    const { to } = checkMessage(body);
    const messageId = wamid();
    options.log.append({ phone: to, direction: 'out', messageId, payload: body as Obj });
    statusCallbacks(options, messageId, to);
    const input = (body as Obj).to as string;
    const accepted = (body as Obj).type === 'template' ? { message_status: 'accepted' } : {};
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input, wa_id: to }],
      messages: [{ id: messageId, ...accepted }],
    };
  };
  return (req, res) => {
    handle(req).then(
      (body) => {
        if (Buffer.isBuffer(body.bytes)) {
          const file = body as StoredMedia;
          res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
          res.end(file.bytes);
          return;
        }
        answer(res, 200, body);
      },
      (error: unknown) => {
        if (error instanceof GraphError) return answer(res, error.status, error.body());
        answer(res, 500, new GraphError(500, 1, 'An unknown error occurred', 'OAuthException').body());
      },
    );
  };
}

/**
 * Meta's status callbacks for one accepted message: sent, delivered, read, each a signed
 * delivery to the app's webhook, after the send was answered. Best effort, as Meta's own
 * are retried by Meta: a webhook that is not listening yet simply misses them.
 */
function statusCallbacks(options: GraphStubOptions, messageId: string, recipient: string): void {
  const callbacks = options.statusCallbacks;
  if (!callbacks) return;
  const delayMs = callbacks.delayMs ?? 20;
  const wait = () => new Promise((resolve) => setTimeout(resolve, delayMs));
  void (async () => {
    for (const status of ['sent', 'delivered', 'read'] as const satisfies readonly SimulatedStatus[]) {
      await wait();
      const url = callbacks.webhookUrl();
      if (url === null) return;
      const { body, signature } = signedStatusDelivery({ messageId, recipient, status }, callbacks.target);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body,
          signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
        });
        await res.arrayBuffer();
      } catch {
        // The app stopped or is not reachable: Meta would retry; the simulator lets it go.
        return;
      }
    }
  })();
}
