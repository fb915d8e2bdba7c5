import { createHash, randomInt } from 'node:crypto';
import { type SpeechToText, type SpeechToTextResult, transcriptOf, typeYourOrder, type VoiceNote } from '@khaacho/core';

/** A voice note the simulator's page sent, as the Graph stub serves it back. */
export interface StoredMedia {
  /** Digits, as Meta's media ids are. */
  readonly id: string;
  readonly bytes: Buffer;
  readonly mimeType: string;
  readonly sha256Hex: string;
  /** What the person typed beside the audio: the simulated transcript (null: none typed). */
  readonly transcript: string | null;
}

/** Files kept at once: the oldest goes first (Meta keeps media for 30 days; the simulator for a few). */
const MAX_FILES = 50;

/**
 * The simulator's media: what the page uploads, served by the Graph stub's media endpoints
 * as Meta serves a phone's voice note, bounded (the oldest goes first, as expired media does).
 */
export class SimulatorMedia {
  private readonly files = new Map<string, StoredMedia>();

  put(bytes: Buffer, mimeType: string, transcript: string | null): StoredMedia {
    let id: string;
    do {
      id = String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100_000, 999_999));
    } while (this.files.has(id));
    const stored: StoredMedia = {
      id,
      bytes,
      mimeType,
      sha256Hex: createHash('sha256').update(bytes).digest('hex'),
      transcript: transcript?.trim() ? transcript.trim() : null,
    };
    this.files.set(id, stored);
    if (this.files.size > MAX_FILES) {
      const oldest = this.files.keys().next().value;
      if (oldest !== undefined) this.files.delete(oldest);
    }
    return stored;
  }

  get(id: string): StoredMedia | null {
    return this.files.get(id) ?? null;
  }

  /** Forget a file, as Meta does once media expires (a test makes a voice note "gone" with it). */
  expire(id: string): void {
    this.files.delete(id);
  }

  /**
   * The transcript typed beside these exact bytes, if any: the newest upload's, since the page
   * may send one audio file again with another transcript and that send is the one being heard.
   */
  transcriptOf(audio: Uint8Array): string | null {
    const digest = createHash('sha256').update(audio).digest('hex');
    const newestFirst = [...this.files.values()].reverse();
    return newestFirst.find((file) => file.sha256Hex === digest)?.transcript ?? null;
  }
}

/**
 * SIMULATED speech-to-text, bound only by the simulator and only when no real provider is
 * configured (no OPENAI_API_KEY): it "hears" the transcript the person typed beside the audio
 * on the page, found by the audio's bytes after they came through the Graph media endpoint.
 * Without one typed it is the honest `NOT_CONFIGURED` ("please type your order"). Nothing
 * here listens to audio.
 */
export class SimulatedSpeechToText implements SpeechToText {
  constructor(private readonly media: SimulatorMedia) {}

  transcribe(note: VoiceNote): Promise<SpeechToTextResult> {
    if (note.audio.byteLength === 0) return Promise.resolve(typeYourOrder('EMPTY_AUDIO'));
    const typed = this.media.transcriptOf(note.audio);
    return Promise.resolve(typed === null ? typeYourOrder('NOT_CONFIGURED') : transcriptOf(typed));
  }
}
