// Drives the simulator's chats over its HTTP API (no browser): each message goes in as a
// signed delivery to the app's own /webhooks/whatsapp, and what Khaacho sends is read back
// from the Graph stub's record. Keeps a transcript of both directions for the closing note.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatEntry } from '../simulator/chat-log.js';
import type { SimulatorApp } from './simulator-harness.js';
import { TEST_OUTPUT } from './simulator-harness.js';

/** One outbound message as a person sees it: its text and the ids/titles of what it offers. */
export interface Received {
  readonly seq: number;
  readonly phone: string;
  readonly kind: 'text' | 'buttons' | 'list' | 'template';
  readonly text: string;
  readonly actions: readonly { readonly id: string; readonly title: string }[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The Graph `/messages` body the stub recorded, read as what the phone shows. */
export function received(entry: ChatEntry): Received {
  const p = entry.payload as Obj;
  const base = { seq: entry.seq, phone: entry.phone };
  if (p.type === 'template') {
    const t = obj(p.template);
    return { ...base, kind: 'template', text: `template ${String(t.name)}`, actions: [] };
  }
  if (p.type !== 'interactive') return { ...base, kind: 'text', text: String(obj(p.text).body ?? ''), actions: [] };
  const i = obj(p.interactive);
  const text = String(obj(i.body).text ?? '');
  if (i.type === 'button') {
    const actions = arr(obj(i.action).buttons).map((b) => {
      const r = obj(obj(b).reply);
      return { id: String(r.id), title: String(r.title) };
    });
    return { ...base, kind: 'buttons', text, actions };
  }
  const actions = arr(obj(i.action).sections).flatMap((s) =>
    arr(obj(s).rows).map((r) => ({ id: String(obj(r).id), title: String(obj(r).title) })),
  );
  return { ...base, kind: 'list', text, actions };
}

export type Reply =
  | { readonly text: string }
  | { readonly buttonReply: { readonly id: string; readonly title: string } }
  | { readonly listReply: { readonly id: string; readonly title: string } };

export class ChatDriver {
  private readonly lines: string[] = [];
  /** Per phone, the last seq a test has taken: each wait sees only what came after. */
  private readonly cursor = new Map<string, number>();

  constructor(
    private readonly app: SimulatorApp,
    private readonly names: Readonly<Record<string, string>>,
  ) {}

  /** Forget what each phone already received (demo data's offers, earlier scenarios). */
  skipHistory(...phones: string[]): void {
    for (const p of phones) this.cursor.set(p, this.app.simulator.log.lastSeq);
  }

  private label(phone: string): string {
    return this.names[phone] ?? phone;
  }

  /** Sends as `from` through the simulator's API; the app's webhook must answer 200. */
  async send(from: string, reply: Reply): Promise<void> {
    const res = await fetch(`${this.app.url}/simulator/api/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, ...reply }),
    });
    const body = (await res.json()) as { webhook?: { status: number; error?: string } };
    if (res.status !== 200 || body.webhook?.status !== 200) {
      throw new Error(`the delivery from ${from} was not accepted: ${res.status} ${JSON.stringify(body)}`);
    }
    const shown =
      'text' in reply
        ? reply.text
        : 'buttonReply' in reply
          ? `[${reply.buttonReply.title}] (${reply.buttonReply.id})`
          : `[${reply.listReply.title}] (${reply.listReply.id})`;
    this.lines.push(`${this.label(from)} → Khaacho: ${shown}`);
  }

  /** Taps the action of a message this phone received, by its title or by the start of its id (`draft:confirm:`). */
  tap(from: string, message: Received, titleOrId: string): Promise<void> {
    const action = message.actions.find((a) => a.title === titleOrId || a.id.startsWith(titleOrId));
    if (!action) throw new Error(`no "${titleOrId}" in ${JSON.stringify(message)}`);
    return this.send(from, message.kind === 'list' ? { listReply: action } : { buttonReply: action });
  }

  /**
   * The next `count` messages `phone` receives after its cursor, in order; waits (polling,
   * bounded) for them. More than `count` arriving is not an error here: `nothing` checks that.
   */
  async next(phone: string, count = 1, timeoutMs = 30_000): Promise<Received[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const after = this.cursor.get(phone) ?? 0;
      const got = this.app.simulator.log
        .after(phone, after, 500)
        .filter((e) => e.direction === 'out')
        .map(received);
      if (got.length >= count) {
        const taken = got.slice(0, count);
        this.cursor.set(phone, Math.max(...taken.map((m) => m.seq)));
        for (const m of taken) {
          const actions = m.actions.length > 0 ? `  ${m.actions.map((a) => `[${a.title}]`).join(' ')}` : '';
          this.lines.push(`Khaacho → ${this.label(phone)} (${m.kind}): ${m.text.replaceAll('\n', '\n    ')}${actions}`);
        }
        return taken;
      }
      if (Date.now() > until) {
        throw new Error(`${this.label(phone)} received ${got.length} of ${count} messages: ${JSON.stringify(got)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async one(phone: string, timeoutMs?: number): Promise<Received> {
    return (await this.next(phone, 1, timeoutMs))[0] as Received;
  }

  /** What `phone` received after its cursor and nobody has taken yet. */
  pending(phone: string): Received[] {
    return this.app.simulator.log
      .after(phone, this.cursor.get(phone) ?? 0, 500)
      .filter((e) => e.direction === 'out')
      .map(received);
  }

  note(line: string): void {
    this.lines.push(`-- ${line}`);
  }

  /** Writes the transcript under packages/app-http/test-output/ (gitignored); returns its path. */
  async saveTranscript(name: string): Promise<string> {
    await mkdir(TEST_OUTPUT, { recursive: true });
    const path = join(TEST_OUTPUT, `${name}.txt`);
    await writeFile(path, `${this.lines.join('\n')}\n`);
    return path;
  }
}
