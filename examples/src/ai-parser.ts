// The AI order parser as an app composes it. Without OPENAI_API_KEY (as here) nothing is
// sent anywhere: ORDER_TEXT_PARSER is core's local parser and a voice note is answered
// with "please type your order". With a key, the same bindings put the OpenAI parser and
// transcription in front, each behind a circuit breaker that falls back to these answers.
import {
  AI_GROUNDING,
  AI_METRICS,
  type AiGrounding,
  type AiMetrics,
  aiConfigFromEnv,
  aiModule,
} from '@khaacho/adapters-ai';
import {
  LocalOrderTextParser,
  ORDER_TEXT_PARSER,
  type OrderTextParser,
  type Product,
  SPEECH_TO_TEXT,
  type SpeechToText,
} from '@khaacho/core';
import { nepaliCatalog } from '@khaacho/core/corpus';
import { Container } from 'inversify';

const catalog = nepaliCatalog();
const byId = new Map<string, Product>(catalog.map((p) => [p.id, p]));
const container = new Container();
container.bind<AiGrounding>(AI_GROUNDING).toConstantValue({
  local: new LocalOrderTextParser(catalog),
  productById: (id) => byId.get(id),
});
container.load(aiModule(aiConfigFromEnv({ ...process.env, OPENAI_API_KEY: '' })));

const parsed = await container.get<OrderTextParser>(ORDER_TEXT_PARSER).parse('chini 2 kg\ndal 5 kg');
for (const line of parsed.lines) {
  console.log(line.needsClarification ? `ask: "${line.raw}" (${line.clarification})` : `order: ${line.raw}`);
}
const voice = await container
  .get<SpeechToText>(SPEECH_TO_TEXT)
  .transcribe({ audio: Uint8Array.from([0x4f, 0x67, 0x67, 0x53]), mimeType: 'audio/ogg' });
console.log(voice.kind === 'transcript' ? voice.text : `voice note: ${voice.message} (${voice.reason})`);
console.log('ai enabled:', container.get<AiMetrics>(AI_METRICS)().enabled);
if (parsed.source !== 'local' || voice.kind !== 'type-your-order') process.exit(1);
