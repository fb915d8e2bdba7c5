import {
  type SpeechToText,
  type SpeechToTextResult,
  transcriptOf,
  typeYourOrder,
  type VoiceNote,
} from '../ports/speech-to-text.js';

/**
 * An in-memory `SpeechToText`: it "hears" what the test scripted with `willHear`, for the
 * next voice notes in order; `failNext` makes the provider unavailable for the next calls.
 */
export class ScriptedSpeechToText implements SpeechToText {
  private readonly heard: string[] = [];
  private failuresLeft = 0;
  /** Voice notes that reached the "provider" (an empty one never does). */
  readonly received: VoiceNote[] = [];

  willHear(text: string): this {
    this.heard.push(text);
    return this;
  }

  failNext(count: number): this {
    this.failuresLeft = count;
    return this;
  }

  transcribe(note: VoiceNote): Promise<SpeechToTextResult> {
    if (note.audio.byteLength === 0) return Promise.resolve(typeYourOrder('EMPTY_AUDIO'));
    this.received.push(note);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return Promise.resolve(typeYourOrder('UNAVAILABLE'));
    }
    return Promise.resolve(transcriptOf(this.heard.shift() ?? ''));
  }
}
