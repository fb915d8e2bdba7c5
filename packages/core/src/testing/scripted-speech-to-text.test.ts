import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NoSpeechToText } from '../speech/no-speech-to-text.js';
import { TYPE_YOUR_ORDER } from '../ports/speech-to-text.js';
import { registerContract } from './contract.js';
import { speechToTextContract } from './contracts/speech-to-text.contract.js';
import { ScriptedSpeechToText } from './scripted-speech-to-text.js';

registerContract(test, speechToTextContract, {
  async create() {
    const speech = new ScriptedSpeechToText();
    return { speech, willHear: (text) => speech.willHear(text), willFail: () => speech.failNext(1) };
  },
});

test('NoSpeechToText: every voice note is "please type your order", never a transcript', async () => {
  const none = new NoSpeechToText();
  const audio = Uint8Array.from([1, 2, 3]);
  assert.equal(await none.transcribe({ audio, mimeType: 'audio/ogg' }), {
    kind: 'type-your-order',
    reason: 'NOT_CONFIGURED',
    message: TYPE_YOUR_ORDER,
  });
  assert.is((await none.transcribe({ audio: new Uint8Array(0), mimeType: 'audio/ogg' })).kind, 'type-your-order');
});

test.run();
