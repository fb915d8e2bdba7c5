// A stand-in for the Graph API's `POST /{version}/{phone-number-id}/messages`, for worker
// processes whose WhatsApp sender points at it (WHATSAPP_GRAPH_BASE_URL). It records every
// message it is sent and can hold its answers: a message held when its sender dies reached
// the "phone" but the sender never learnt it, the window in which a resend is a duplicate.
// (app-http's simulator has a fuller stub; app-worker may not import app-http.)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface SinkMessage {
  /** Digits, as the Cloud API takes them. */
  readonly to: string;
  readonly type: string;
  /** The text, or an interactive message's body. */
  readonly text: string;
  /** Reply button ids, or list row ids. */
  readonly ids: readonly string[];
  readonly wamid: string;
  /** False while the answer is held. */
  answered: boolean;
}

export interface GraphSink {
  readonly url: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly received: readonly SinkMessage[];
  /** While true, requests are recorded and their answers held until `release()`. */
  hold: boolean;
  /** Answers every held request (a dead sender's socket is gone: nothing is written). */
  release(): void;
  /** Resolves with the first message (recorded already or later) that matches. */
  waitFor(match: (m: SinkMessage) => boolean): Promise<SinkMessage>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

function messageOf(body: Json, wamid: string): SinkMessage {
  const type = String(body.type ?? 'text');
  const interactive = obj(body.interactive);
  const action = obj(interactive.action);
  const buttons = Array.isArray(action.buttons) ? action.buttons : [];
  const sections = Array.isArray(action.sections) ? action.sections : [];
  const rows = sections.flatMap((s) => (Array.isArray(obj(s).rows) ? (obj(s).rows as unknown[]) : []));
  return {
    to: String(body.to ?? '').replace(/^\+/, ''),
    type,
    text: type === 'text' ? String(obj(body.text).body ?? '') : String(obj(interactive.body).text ?? ''),
    ids: [...buttons.map((b) => String(obj(obj(b).reply).id)), ...rows.map((r) => String(obj(r).id))],
    wamid,
    answered: false,
  };
}

export async function startGraphSink(): Promise<GraphSink> {
  const accessToken = 'sink-token';
  const phoneNumberId = '100200300400';
  const received: SinkMessage[] = [];
  const held: (() => void)[] = [];
  const watchers: { match: (m: SinkMessage) => boolean; resolve: (m: SinkMessage) => void }[] = [];
  let count = 0;
  const sink = {
    hold: false,
    received,
    accessToken,
    phoneNumberId,
  } as { hold: boolean } & Pick<GraphSink, 'received' | 'accessToken' | 'phoneNumberId'>;

  const answer = (res: ServerResponse, status: number, body: Json) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith(`/${phoneNumberId}/messages`)) {
      return answer(res, 404, { error: { message: `no ${req.method} ${req.url}`, code: 100 } });
    }
    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      return answer(res, 401, { error: { message: 'Invalid OAuth access token', code: 190 } });
    }
    count += 1;
    const message = messageOf(obj(JSON.parse(Buffer.concat(chunks).toString('utf8'))), `wamid.sink.${count}`);
    received.push(message);
    for (const w of [...watchers]) {
      if (w.match(message)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(message);
      }
    }
    const respond = () => {
      message.answered = true;
      answer(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: message.to, wa_id: message.to }],
        messages: [{ id: message.wamid }],
      });
    };
    if (sink.hold) held.push(respond);
    else respond();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answer(res, 500, { error: { message: String(error), code: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');

  return Object.assign(sink, {
    url: `http://127.0.0.1:${address.port}`,
    release: () => {
      for (const respond of held.splice(0)) respond();
    },
    waitFor: (match: (m: SinkMessage) => boolean) => {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise<SinkMessage>((resolve) => watchers.push({ match, resolve }));
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
