import { POSTGRES_PERSISTENCE, type PostgresPersistence, postgresModule } from '@khaacho/adapters-postgres';
import { REDIS_READINESS, type RedisReadinessCheck, redisModule } from '@khaacho/adapters-redis';
import { type Clock, type Token, token, UNIT_OF_WORK } from '@khaacho/core';
import { whatsappMediaModule } from '@khaacho/adapters-whatsapp';
import { Container, ContainerModule } from 'inversify';
import type { DestinationStream } from 'pino';
import type { MessageSenderChoice, Store } from '../config/env-schema.js';
import type { CompositionConfig } from '../config/worker-config.js';
import { ConfigError } from '../config/config-error.js';
import { loggingMessageSenderModule } from '../messaging/logging-message-sender.js';
import { aiParserModules } from './ai-parser-module.js';
import { provide } from './bindings.js';
import { catalogCacheModule } from './catalog-cache-module.js';
import { inMemoryMessageSenderModule, inMemoryPersistenceModule, inMemoryQueueModule } from './in-memory-module.js';
import { loggingModule } from './logging-module.js';
import { processProvidersModule } from './process-providers.js';
import { useCasesModule } from './use-cases-module.js';
import { whatsappSenderModules } from './whatsapp-sender-module.js';

/** Resolves when a dependency answers; rejects (UnavailableError) when it does not. */
export type ReadinessCheck = () => Promise<void>;
export const STORAGE_READINESS: Token<ReadinessCheck> = token('StorageReadiness');

/** Each dependency the process needs, and whether it answered. */
export interface ReadinessReport {
  readonly ready: boolean;
  /** `redis` only when REDIS_URL is set. `error` is the check's message (never a URL). */
  readonly checks: Readonly<Partial<Record<'storage' | 'redis', { readonly ok: boolean; readonly error?: string }>>>;
}
/** Storage and (when chosen) Redis, checked at once; never rejects. What a readiness endpoint serves. */
export type ReadinessProbe = () => Promise<ReadinessReport>;
export const READINESS: Token<ReadinessProbe> = token('Readiness');

/** Which adapter serves each concern: what the "composed" log line reports. */
export interface AdapterChoices {
  readonly store: Store;
  /** Job queue, cache, rate limiter and lease lock: all on Redis (REDIS_URL set) or all in memory. */
  readonly jobQueue: 'redis' | 'memory';
  readonly cache: 'redis' | 'memory';
  readonly rateLimiter: 'redis' | 'memory';
  readonly leaseLock: 'redis' | 'memory';
  readonly messageSender: MessageSenderChoice;
  /** ORDER_TEXT_PARSER: the local one over the cached catalog, or OpenAI's grounded on it (OPENAI_API_KEY set). */
  readonly parser: 'local' | 'openai';
}

export interface CompositionOptions {
  /** Where log lines go (default stdout); tests pass a stream to read them. */
  readonly logDestination?: DestinationStream;
  /** The clock every service reads (default the system clock); tests pass a manual one. */
  readonly clock?: Clock;
}

/** A composed container with its choices; `close()` releases every pool the container opened. */
export interface Composition {
  readonly container: Container;
  readonly adapters: AdapterChoices;
  get<T>(service: Token<T>): T;
  ready(): Promise<void>;
  close(): Promise<void>;
}

/*
 * THE place where adapters are chosen. Every app builds its container here, so a reader
 * sees each choice in this one function:
 *   storage   memory → core's in-memory adapters; embedded → PGlite; postgres → a server
 *   queue, cache, rate limiter, lease lock → Redis when REDIS_URL is set, else in memory
 *   catalog   product/offer lookups and the parser's catalog read through that cache
 *   parser    OPENAI_API_KEY set → the AI parser grounded on that catalog; else the local one
 *   messages  log → LoggingMessageSender; memory → core's recording sender; whatsapp → the
 *             Cloud API, its send rate on Redis when REDIS_URL is set, else in memory
 *   voice     WhatsApp settings → MEDIA_FETCHER on the Graph media endpoint; with the AI's
 *             SPEECH_TO_TEXT too, voice notes are transcribed, else "please type" is the answer
 *   drafts    their lifetime from KHAACHO_DRAFT_TTL_MS
 *   clock, ids, randomness, timers → process providers; logs → pino
 */
export async function composeContainer(
  config: CompositionConfig,
  options: CompositionOptions = {},
): Promise<Composition> {
  const queues = config.redisUrl ? 'redis' : 'memory';
  const adapters: AdapterChoices = {
    store: config.store,
    jobQueue: queues,
    cache: queues,
    rateLimiter: queues,
    leaseLock: queues,
    messageSender: config.messageSender,
    parser: config.ai.apiKey === null ? 'local' : 'openai',
  };
  const container = new Container();
  container.load(
    processProvidersModule(options.clock),
    loggingModule(config.logLevel, options.logDestination),
    ...storageModules(config),
    ...queueModules(config),
    catalogCacheModule({ bindOrderTextParser: adapters.parser === 'local' }),
    ...(adapters.parser === 'openai' ? aiParserModules(config.ai) : []),
    ...messageSenderModules(config),
    ...(config.whatsapp === null ? [] : [whatsappMediaModule(config.whatsapp)]),
    useCasesModule(config.risk, { ttlMs: config.drafts.ttlMs }),
    readinessModule(config.redisUrl !== null),
  );
  try {
    // Opening the storage is asynchronous (connect, migrate or check the schema). Resolve it
    // once here: singletons keep the value, so every later `get` is synchronous.
    await container.getAsync(UNIT_OF_WORK);
  } catch (error) {
    await container.unbindAllAsync();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    container,
    adapters,
    get: <T>(service: Token<T>) => container.get<T>(service),
    ready: () => ready(container),
    // Unbinding runs each resolved singleton's deactivation: pool closed, embedded server
    // stopped, queue closed, logs flushed. Idempotent.
    close: () => {
      closing ??= container.unbindAllAsync();
      return closing;
    },
  };
}

function messageSenderModules(config: CompositionConfig): ContainerModule[] {
  switch (config.messageSender) {
    case 'log':
      return [loggingMessageSenderModule()];
    case 'memory':
      return [inMemoryMessageSenderModule()];
    case 'whatsapp':
      if (config.whatsapp === null) {
        // workerConfigFromEnv never gives this; a hand-built config could.
        throw new ConfigError([
          { variable: 'KHAACHO_MESSAGE_SENDER', problem: 'whatsapp needs the WHATSAPP_* settings (config.whatsapp)' },
        ]);
      }
      return whatsappSenderModules(config.whatsapp, config.redisUrl ? { redisPrefix: config.redis.prefix } : 'memory');
  }
}

function storageModules(config: CompositionConfig): ContainerModule[] {
  switch (config.store) {
    case 'memory':
      return [inMemoryPersistenceModule(), readiness(() => async () => {})];
    case 'embedded':
      return [postgresModule({ ...config.postgres, databaseUrl: null }), postgresReadiness()];
    case 'postgres':
      return [postgresModule(config.postgres), postgresReadiness()];
  }
}

/*
 * Redis unreachable at start is not a start failure: the connection retries in the
 * background (the outbox keeps events meanwhile) and READINESS reports redis down until it
 * answers. `ready()` rejects with that UnavailableError, so a caller that must not run
 * without Redis can refuse to start.
 */
function queueModules(config: CompositionConfig): ContainerModule[] {
  if (config.redisUrl === null) return [inMemoryQueueModule()];
  return [
    redisModule({
      url: config.redisUrl,
      commandTimeoutMs: config.redis.commandTimeoutMs,
      prefix: config.redis.prefix,
      queues: Object.fromEntries(
        Object.entries(config.queues.concurrency).map(([queue, concurrency]) => [queue, { concurrency }]),
      ),
      jobTimeoutMs: config.queues.jobTimeoutMs,
    }),
  ];
}

function readinessModule(withRedis: boolean): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const probe = (storage: ReadinessCheck, redis?: RedisReadinessCheck): ReadinessProbe => {
      const run = (check: ReadinessCheck) =>
        check().then(
          () => ({ ok: true }),
          (error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
        );
      return async () => {
        const [s, r] = await Promise.all([run(storage), redis ? run(redis) : undefined]);
        return { ready: s.ok && (r?.ok ?? true), checks: r ? { storage: s, redis: r } : { storage: s } };
      };
    };
    if (withRedis) provide(bind, READINESS, [STORAGE_READINESS, REDIS_READINESS], probe);
    else provide(bind, READINESS, [STORAGE_READINESS], (storage) => probe(storage));
  });
}

/** Storage first, then Redis: the first that does not answer rejects with its own error. */
async function ready(container: Container): Promise<void> {
  await container.get<ReadinessCheck>(STORAGE_READINESS)();
  if (container.isBound(REDIS_READINESS)) await container.get<RedisReadinessCheck>(REDIS_READINESS)();
}

function postgresReadiness(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(bind, STORAGE_READINESS, [POSTGRES_PERSISTENCE], (p: PostgresPersistence) => () => p.ping());
  });
}

function readiness(check: () => ReadinessCheck): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(bind, STORAGE_READINESS, [], check);
  });
}
