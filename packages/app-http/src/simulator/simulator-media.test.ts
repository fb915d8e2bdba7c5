import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimulatedSpeechToText, SimulatorMedia } from './simulator-media.js';

test('the same audio file sent twice with different transcripts: the newest transcript is heard', async () => {
  const media = new SimulatorMedia();
  const clip = Buffer.from('the same recording, picked twice on the page');
  media.put(clip, 'audio/ogg', 'chamal 2 bora');
  media.put(clip, 'audio/ogg', 'tel 1 peti');
  const heard = await new SimulatedSpeechToText(media).transcribe({
    audio: new Uint8Array(clip),
    mimeType: 'audio/ogg',
  });
  assert.is(heard.kind === 'transcript' ? heard.text : heard.kind, 'tel 1 peti');
});

test.run();
