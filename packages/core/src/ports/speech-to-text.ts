import { type Token, token } from '../shared/token.js';

/** A voice note as it came in (a WhatsApp audio message is usually `audio/ogg; codecs=opus`). */
export interface VoiceNote {
  readonly audio: Uint8Array;
  readonly mimeType: string;
  /** Used as the upload's file name; its extension tells the provider the format. */
  readonly fileName?: string;
  /** An ISO-639-1 hint such as `ne` or `en`; without it the provider guesses the language. */
  readonly language?: string;
}

/** What the reply tells a shop whose voice note could not be turned into text. */
export const TYPE_YOUR_ORDER = 'please type your order';

/**
 * Why a voice note was not transcribed: no provider is configured, the provider is failing
 * (or its breaker is open), the audio is empty, or nothing was heard in it.
 */
export type TypeYourOrderReason = 'NOT_CONFIGURED' | 'UNAVAILABLE' | 'EMPTY_AUDIO' | 'NOT_UNDERSTOOD';

export interface Transcript {
  readonly kind: 'transcript';
  /** What was said, trimmed and never empty: it goes through the same parser as a typed message. */
  readonly text: string;
}

/** No transcript: the reply asks for a typed order. Never a guess at what was said. */
export interface TypeYourOrder {
  readonly kind: 'type-your-order';
  readonly reason: TypeYourOrderReason;
  readonly message: typeof TYPE_YOUR_ORDER;
}

export type SpeechToTextResult = Transcript | TypeYourOrder;

/**
 * Turns a voice note into text. Provider failures are answers (`type-your-order` with
 * reason `UNAVAILABLE`), not exceptions: a voice note never fails the message it came in.
 */
export interface SpeechToText {
  transcribe(note: VoiceNote): Promise<SpeechToTextResult>;
}

export const SPEECH_TO_TEXT: Token<SpeechToText> = token('SpeechToText');

export function typeYourOrder(reason: TypeYourOrderReason): TypeYourOrder {
  return { kind: 'type-your-order', reason, message: TYPE_YOUR_ORDER };
}

/** A transcript from what a provider heard: blank text is `NOT_UNDERSTOOD`. */
export function transcriptOf(heard: string): SpeechToTextResult {
  const text = heard.trim();
  return text.length === 0 ? typeYourOrder('NOT_UNDERSTOOD') : { kind: 'transcript', text };
}
