/** One message in a simulated phone's history: what the shop or vendor typed, or what Khaacho sent it. */
export interface ChatEntry {
  /** Monotonic across every phone: a page polls with `after=<last seq it saw>`. */
  readonly seq: number;
  /** WhatsApp id, digits only (E.164 without "+"). */
  readonly phone: string;
  readonly direction: 'in' | 'out';
  /** wamid-like id: the stub's answer for outbound, the delivery's for inbound. */
  readonly messageId: string;
  readonly at: string;
  /** Outbound: the Graph `/messages` request body as received. Inbound: the `messages[0]` object delivered. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** Inbound voice notes only: the transcript typed beside the audio, for the SIMULATED speech-to-text. */
  readonly simulatedTranscript?: string;
  /** Inbound only: how our own `/webhooks/whatsapp` answered the signed delivery. */
  webhook?: { readonly status: number; readonly error?: string };
}

const MAX_PER_PHONE = 500;
const MAX_PHONES = 1_000;

/**
 * The simulator's memory of both directions, per phone, bounded: the oldest entries of a
 * phone go first, and the least recently written phone goes when too many are known (the
 * stub records whatever `to` the sender names). Lives as long as the process: a restart
 * starts the chats empty, like a phone that was reset; the domain's state is in the store.
 */
export class ChatLog {
  private seq = 0;
  private readonly phones = new Map<string, ChatEntry[]>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  append(entry: Omit<ChatEntry, 'seq' | 'at'>): ChatEntry {
    this.seq += 1;
    const full: ChatEntry = { ...entry, seq: this.seq, at: this.now().toISOString() };
    const list = this.phones.get(entry.phone) ?? [];
    // Re-inserted so the Map's order is least recently written first.
    this.phones.delete(entry.phone);
    this.phones.set(entry.phone, list);
    list.push(full);
    if (list.length > MAX_PER_PHONE) list.splice(0, list.length - MAX_PER_PHONE);
    if (this.phones.size > MAX_PHONES) {
      const oldest = this.phones.keys().next().value;
      if (oldest !== undefined) this.phones.delete(oldest);
    }
    return full;
  }

  /** Entries of `phone` with seq > `after`, oldest first, at most `limit`. */
  after(phone: string, after: number, limit = 100): ChatEntry[] {
    return (this.phones.get(phone) ?? []).filter((e) => e.seq > after).slice(0, limit);
  }

  get lastSeq(): number {
    return this.seq;
  }
}
