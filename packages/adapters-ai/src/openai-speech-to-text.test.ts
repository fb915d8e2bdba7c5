import { TYPE_YOUR_ORDER, type VoiceNote } from '@khaacho/core';
import { registerContract, speechToTextContract } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OpenAiSpeechToText } from './openai-speech-to-text.js';
import { catalogParsers } from './testing/catalog-parser.js';
import {
  provider,
  RATE_LIMITED,
  resetProvider,
  SERVER_ERROR,
  testConfig,
  transcription,
} from './testing/openai-fixtures.js';

const PATH = '/v1/audio/transcriptions';
// The first bytes of an Ogg page ("OggS"): the upload carries the note's bytes untouched.
const OGG = Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0x00, 0x02, 0x00, 0x00, 0x01, 0x7f, 0x80, 0xff]);
const note = (over: Partial<VoiceNote> = {}): VoiceNote => ({
  audio: OGG,
  mimeType: 'audio/ogg; codecs=opus',
  ...over,
});

test.after.each(() => resetProvider());

registerContract(test, speechToTextContract, {
  async create() {
    const scope = provider();
    const speech = new OpenAiSpeechToText(testConfig());
    return {
      speech,
      willHear: (text) => void scope.post(PATH).reply(200, transcription(text)),
      willFail: () => void scope.post(PATH).reply(500, SERVER_ERROR),
    };
  },
  async dispose(subject) {
    (subject.speech as OpenAiSpeechToText).close();
  },
});

test('the upload is one multipart request: the model from config, the file with its name and type, the language', async () => {
  const parts: Buffer[] = [];
  provider()
    .post(PATH, (body: string) => {
      // nock hands a body that is not valid UTF-8 (the audio) over as hex.
      parts.push(Buffer.from(body, 'hex'));
      return true;
    })
    .matchHeader('content-type', /^multipart\/form-data; boundary=/)
    .matchHeader('authorization', 'Bearer sk-test-not-a-real-key')
    .reply(200, transcription('chini 2 kg, dal 5 kg'));
  const speech = new OpenAiSpeechToText(testConfig({ transcriptionModel: 'gpt-4o-transcribe' }));
  const result = await speech.transcribe(note({ language: 'ne' }));
  assert.equal(result, { kind: 'transcript', text: 'chini 2 kg, dal 5 kg' });
  const raw = parts[0] ?? Buffer.alloc(0);
  const body = raw.toString('latin1');
  assert.match(body, /name="model"\r\n\r\ngpt-4o-transcribe\r\n/);
  assert.match(body, /name="language"\r\n\r\nne\r\n/);
  assert.match(body, /name="response_format"\r\n\r\njson\r\n/);
  assert.match(body, /name="file"; filename="voice-note\.ogg"\r\nContent-Type: audio\/ogg; codecs=opus\r\n\r\n/);
  assert.ok(raw.includes(Buffer.from(OGG)), 'the audio bytes are in the file part, untouched');
  assert.is(speech.metrics().successes, 1);
  speech.close();
});

test('5xx and 429 open the breaker: every note is "please type your order", and no request goes out while open', async () => {
  const scope = provider();
  scope.post(PATH).reply(502, SERVER_ERROR);
  scope.post(PATH).reply(429, RATE_LIMITED);
  const speech = new OpenAiSpeechToText(testConfig());
  const unavailable = { kind: 'type-your-order', reason: 'UNAVAILABLE', message: TYPE_YOUR_ORDER };
  for (let i = 0; i < 3; i++) assert.equal(await speech.transcribe(note()), unavailable, `note ${i}`);
  assert.is(speech.breakerState, 'open');
  assert.equal(speech.metrics().failures, { server_error: 1, rate_limited: 1, breaker_open: 1 });
  assert.ok(scope.isDone());
  speech.close();
});

test('a transcription slower than its timeout is "please type your order"', async () => {
  provider()
    .post(PATH)
    .reply(200, () => new Promise<never>(() => {}));
  const speech = new OpenAiSpeechToText(testConfig({ transcriptionTimeoutMs: 50 }));
  assert.equal(await speech.transcribe(note()), {
    kind: 'type-your-order',
    reason: 'UNAVAILABLE',
    message: TYPE_YOUR_ORDER,
  });
  assert.equal(speech.metrics().failures, { timeout: 1 });
  speech.close();
});

test('a transcript goes through the same parser as a typed message', async () => {
  provider().post(PATH).reply(200, transcription('Chini 2 kg'));
  const speech = new OpenAiSpeechToText(testConfig());
  const { local, sku } = catalogParsers(testConfig());
  const heard = await speech.transcribe(note());
  assert.ok(heard.kind === 'transcript');
  const parsed = await local.parse(heard.text);
  assert.is(parsed.intent, 'order');
  assert.is(parsed.lines[0]?.productId, sku('SUGAR').id);
  speech.close();
});

test.run();
