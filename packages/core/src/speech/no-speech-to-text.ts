import { type SpeechToText, type SpeechToTextResult, typeYourOrder, type VoiceNote } from '../ports/speech-to-text.js';

/**
 * The `SpeechToText` of a deployment with no transcription provider: every voice note is
 * answered with "please type your order" (`NOT_CONFIGURED`, or `EMPTY_AUDIO`).
 */
export class NoSpeechToText implements SpeechToText {
  transcribe(note: VoiceNote): Promise<SpeechToTextResult> {
    return Promise.resolve(typeYourOrder(note.audio.byteLength === 0 ? 'EMPTY_AUDIO' : 'NOT_CONFIGURED'));
  }
}
