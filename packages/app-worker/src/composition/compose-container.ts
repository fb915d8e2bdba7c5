import { POSTGRES_PERSISTENCE, type PostgresPersistence, postgresModule } from '@khaacho/adapters-postgres';
import { type Clock, type Token, token, UNIT_OF_WORK } from '@khaacho/core';
import { Container, ContainerModule } from 'inversify';
import type { DestinationStream } from 'pino';
import type { MessageSenderChoice, Store } from '../config/env-schema.js';
import type { CompositionConfig } from '../config/worker-config.js';
import { loggingMessageSenderModule } from '../messaging/logging-message-sender.js';
import { provide } from './bindings.js';
import { inMemoryMessageSenderModule, inMemoryMessagingModule, inMemoryPersistenceModule } from './in-memory-module.js';
import { loggingModule } from './logging-module.js';
import { processProvidersModule } from './process-providers.js';
import { useCasesModule } from './use-cases-module.js';

/** Resolves when the storage answers; rejects (UnavailableError) when it does not. */
export type ReadinessCheck = () => Promise<void>;
export const STORAGE_READINESS: Token<ReadinessCheck> = token('StorageReadiness');

/** Which adapter serves each concern: what the "composed" log line reports. */
export interface AdapterChoices {
  readonly store: Store;
  readonly jobQueue: 'memory';
  readonly cache: 'memory';
  readonly messageSender: MessageSenderChoice;
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
 *   queue, cache → in memory (adapters-redis takes over when REDIS_URL is set)
 *   messages  log → LoggingMessageSender; memory → core's recording sender
 *   clock, ids, randomness, timers → process providers; logs → pino
 */
export async function composeContainer(
  config: CompositionConfig,
  options: CompositionOptions = {},
): Promise<Composition> {
  const adapters: AdapterChoices = {
    store: config.store,
    jobQueue: 'memory',
    cache: 'memory',
    messageSender: config.messageSender,
  };
  const container = new Container();
  container.load(
    processProvidersModule(options.clock),
    loggingModule(config.logLevel, options.logDestination),
    ...storageModules(config),
    inMemoryMessagingModule(),
    config.messageSender === 'log' ? loggingMessageSenderModule() : inMemoryMessageSenderModule(),
    useCasesModule(config.risk),
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
    ready: () => container.get<ReadinessCheck>(STORAGE_READINESS)(),
    // Unbinding runs each resolved singleton's deactivation: pool closed, embedded server
    // stopped, queue closed, logs flushed. Idempotent.
    close: () => {
      closing ??= container.unbindAllAsync();
      return closing;
    },
  };
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
