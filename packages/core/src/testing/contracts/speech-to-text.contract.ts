import type { SpeechToText, VoiceNote } from '../../ports/speech-to-text.js';
import { TYPE_YOUR_ORDER } from '../../ports/speech-to-text.js';
import { type Contract, expectEqual } from '../contract.js';

/**
 * A `SpeechToText` with its provider under the test's control: `willHear(text)` makes the
 * provider hear `text` in the next voice note, `willFail()` makes its next answer a failure
 * (for a real adapter: a 5xx).
 */
export interface SpeechToTextSubject {
  readonly speech: SpeechToText;
  willHear(text: string): void;
  willFail(): void;
}

const note = (bytes: number[]): VoiceNote => ({
  audio: Uint8Array.from(bytes),
  mimeType: 'audio/ogg',
  fileName: 'voice.ogg',
});

export const speechToTextContract: Contract<SpeechToTextSubject> = {
  name: 'SpeechToText',
  cases: [
    {
      name: 'what the provider heard comes back trimmed, as a transcript',
      async run(s) {
        s.willHear('  chini 2 bora, dhara tel 1 carton \n');
        expectEqual(await s.speech.transcribe(note([1, 2, 3])), {
          kind: 'transcript',
          text: 'chini 2 bora, dhara tel 1 carton',
        });
      },
    },
    {
      name: 'silence is "please type your order" (NOT_UNDERSTOOD), never an empty transcript',
      async run(s) {
        s.willHear('   ');
        expectEqual(await s.speech.transcribe(note([4, 5])), {
          kind: 'type-your-order',
          reason: 'NOT_UNDERSTOOD',
          message: TYPE_YOUR_ORDER,
        });
      },
    },
    {
      name: 'an empty voice note is EMPTY_AUDIO',
      async run(s) {
        expectEqual(await s.speech.transcribe(note([])), {
          kind: 'type-your-order',
          reason: 'EMPTY_AUDIO',
          message: TYPE_YOUR_ORDER,
        });
      },
    },
    {
      name: 'a failing provider is an answer (UNAVAILABLE), not an exception; the next note is heard again',
      async run(s) {
        s.willFail();
        expectEqual(await s.speech.transcribe(note([6])), {
          kind: 'type-your-order',
          reason: 'UNAVAILABLE',
          message: TYPE_YOUR_ORDER,
        });
        s.willHear('wai wai 2 carton');
        expectEqual(await s.speech.transcribe(note([7])), { kind: 'transcript', text: 'wai wai 2 carton' });
      },
    },
  ],
};
