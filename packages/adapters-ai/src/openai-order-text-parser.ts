import type { OrderTextParser, ParseContext, ParsedOrderText, Product, ProductId } from '@khaacho/core';
import type OpenAI from 'openai';
import type { AiConfig } from './ai-config.js';
import { InvalidAiAnswer } from './ai-errors.js';
import { groundingPrompt, mergeAnswer, openLines, SYSTEM_PROMPT } from './grounding.js';
import { openAiClient } from './openai-client.js';
import { ORDER_ANSWER_SCHEMA, readOrderAnswer } from './order-answer.js';
import { type BreakerState, ProviderBreaker, type ProviderMetrics } from './provider-breaker.js';

export interface OpenAiOrderTextParserOptions {
  /** Must carry an `apiKey`; without one use the local parser itself (as `aiModule` does). */
  readonly config: AiConfig;
  /** Core's `LocalOrderTextParser` (or any parser): it grounds the request and is the fallback. */
  readonly local: OrderTextParser;
  /** The catalog as it is now: a chosen product is re-matched against it. */
  readonly productById: (id: ProductId) => Product | undefined;
}

export interface OrderParserMetrics extends ProviderMetrics {
  /** Messages the local parser settled alone (nothing open, intent known): no call made. */
  readonly skipped: number;
  /** Lines the model settled among the offered candidates. */
  readonly settledLines: number;
  /** Lines where the model named a product outside the candidates: refused, kept as the local question. */
  readonly rejectedLines: number;
}

interface Request {
  readonly text: string;
  readonly local: ParsedOrderText;
  readonly open: readonly number[];
}

/**
 * An `OrderTextParser` that asks an OpenAI chat model to choose among the local matcher's
 * candidates where the local parser could not, with a JSON-schema structured answer that
 * is validated and re-matched before anything of it is used. It runs behind a circuit
 * breaker whose fallback is the local reading, so a slow, failing or rate-limited provider
 * costs at most `timeoutMs` and never changes what a message can be read as beyond the
 * local parser's answer. A message the local parser settles on its own is not sent.
 */
export class OpenAiOrderTextParser implements OrderTextParser {
  private readonly client: OpenAI;
  private readonly breaker: ProviderBreaker<Request, ParsedOrderText>;
  private readonly local: OrderTextParser;
  private readonly productById: (id: ProductId) => Product | undefined;
  private readonly config: AiConfig;
  private skipped = 0;
  private settledLines = 0;
  private rejectedLines = 0;

  constructor(options: OpenAiOrderTextParserOptions) {
    const { config } = options;
    if (config.apiKey === null) throw new TypeError('OpenAiOrderTextParser needs an API key');
    this.config = config;
    this.local = options.local;
    this.productById = options.productById;
    this.client = openAiClient({ ...config, apiKey: config.apiKey });
    this.breaker = new ProviderBreaker<Request, ParsedOrderText>(
      'openai-order-text-parser',
      (request, signal) => this.ask(request, signal),
      (request) => request.local,
      config.timeoutMs,
      config.breaker,
    );
  }

  async parse(text: string, context?: ParseContext): Promise<ParsedOrderText> {
    const local = await this.local.parse(text, context);
    const open = openLines(local);
    if (open.length === 0 && local.intent !== 'unknown') {
      this.skipped += 1;
      return local;
    }
    return this.breaker.fire({ text, local, open });
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  /** Resolves on the breaker's next change to `state`. */
  breakerWhen(state: BreakerState): Promise<void> {
    return this.breaker.when(state);
  }

  metrics(): OrderParserMetrics {
    return {
      ...this.breaker.metrics(),
      skipped: this.skipped,
      settledLines: this.settledLines,
      rejectedLines: this.rejectedLines,
    };
  }

  /** Stops the breaker's timers. */
  close(): void {
    this.breaker.shutdown();
  }

  private async ask({ text, local, open }: Request, signal: AbortSignal): Promise<ParsedOrderText> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.config.model,
        temperature: 0,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: groundingPrompt(text, local, open, this.config.candidatesPerLine) },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'order_answer', strict: true, schema: ORDER_ANSWER_SCHEMA },
        },
      },
      { signal, maxRetries: 0, timeout: this.config.timeoutMs },
    );
    const choice = completion.choices[0];
    if (!choice) throw new InvalidAiAnswer('no choice');
    if (choice.message.refusal) throw new InvalidAiAnswer('refused');
    if (choice.finish_reason !== 'stop') throw new InvalidAiAnswer(`finish_reason ${choice.finish_reason}`);
    const answer = readOrderAnswer(choice.message.content);
    const merged = mergeAnswer(text, local, open, answer, this.productById);
    this.settledLines += merged.settled;
    this.rejectedLines += merged.rejected;
    return merged.parsed;
  }
}
