import { type SpeechToText, type SpeechToTextResult, transcriptOf, typeYourOrder, type VoiceNote } from '@khaacho/core';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { AiConfig } from './ai-config.js';
import { InvalidAiAnswer } from './ai-errors.js';
import { openAiClient } from './openai-client.js';
import { type BreakerState, ProviderBreaker, type ProviderMetrics } from './provider-breaker.js';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'm4a',
  'audio/wav': 'wav',
  'audio/webm': 'webm',
  'audio/amr': 'amr',
};

/** The upload's name: the provider tells the format by its extension. */
function fileNameOf(note: VoiceNote): string {
  if (note.fileName) return note.fileName;
  const mime = note.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return `voice-note.${EXTENSIONS[mime] ?? 'ogg'}`;
}

/**
 * `SpeechToText` on the SDK's transcription endpoint (multipart upload), with the model
 * from config, behind its own circuit breaker: a failing or slow provider, or an open
 * breaker, is "please type your order" (`UNAVAILABLE`), never a guess.
 */
export class OpenAiSpeechToText implements SpeechToText {
  private readonly client: OpenAI;
  private readonly breaker: ProviderBreaker<VoiceNote, SpeechToTextResult>;

  constructor(private readonly config: AiConfig) {
    if (config.apiKey === null) throw new TypeError('OpenAiSpeechToText needs an API key');
    this.client = openAiClient({ ...config, apiKey: config.apiKey });
    this.breaker = new ProviderBreaker<VoiceNote, SpeechToTextResult>(
      'openai-speech-to-text',
      (note, signal) => this.ask(note, signal),
      () => typeYourOrder('UNAVAILABLE'),
      config.transcriptionTimeoutMs,
      config.breaker,
    );
  }

  async transcribe(note: VoiceNote): Promise<SpeechToTextResult> {
    if (note.audio.byteLength === 0) return typeYourOrder('EMPTY_AUDIO');
    return this.breaker.fire(note);
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  breakerWhen(state: BreakerState): Promise<void> {
    return this.breaker.when(state);
  }

  metrics(): ProviderMetrics {
    return this.breaker.metrics();
  }

  close(): void {
    this.breaker.shutdown();
  }

  private async ask(note: VoiceNote, signal: AbortSignal): Promise<SpeechToTextResult> {
    const file = await toFile(note.audio, fileNameOf(note), { type: note.mimeType });
    const result = await this.client.audio.transcriptions.create(
      {
        file,
        model: this.config.transcriptionModel,
        response_format: 'json',
        ...(note.language ? { language: note.language } : {}),
      },
      { signal, maxRetries: 0, timeout: this.config.transcriptionTimeoutMs },
    );
    if (typeof result?.text !== 'string') throw new InvalidAiAnswer('no text');
    return transcriptOf(result.text);
  }
}
