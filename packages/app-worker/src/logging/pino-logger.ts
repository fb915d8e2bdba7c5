import type { Logger } from '@khaacho/core';
import { type DestinationStream, type Level, type Logger as Pino, pino, stdTimeFunctions } from 'pino';
import { currentLogContext } from './log-context.js';
import { REDACT_PATHS, REDACTED, scrubPhones } from './redaction.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface PinoLoggerOptions {
  readonly level?: LogLevel;
  /** Fields on every line (default: none besides pid and hostname). */
  readonly base?: Readonly<Record<string, string>>;
  /** Where JSON lines go (default stdout). Tests pass a stream to read them back. */
  readonly destination?: DestinationStream;
}

type Fields = Readonly<Record<string, unknown>> | undefined;

/**
 * core's `Logger` port on pino: one JSON object per line, level as a label, ISO time,
 * phones/tokens/secrets censored (by path, and phone numbers in text), and the request or
 * job id of the current `withLogContext` on every line.
 */
export class PinoLogger implements Logger {
  private constructor(private readonly pino: Pino) {}

  static create(options: PinoLoggerOptions = {}): PinoLogger {
    const instance = pino(
      {
        level: options.level ?? 'info',
        base: { pid: process.pid, ...options.base },
        timestamp: stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: [...REDACT_PATHS], censor: REDACTED },
        // Called for every line: the ids of the job or request running now.
        mixin: () => ({ ...currentLogContext() }),
      },
      // stdout written synchronously: pino's default asynchronous stdout could reorder lines
      // at exit (a retried write flushed after later lines), and may lose the last ones on a
      // crash; a worker's log volume does not need the speed.
      options.destination ?? pino.destination({ dest: 1, sync: true }),
    );
    return new PinoLogger(instance);
  }

  info(message: string, fields?: Fields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Fields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Fields): void {
    this.write('error', message, fields);
  }

  debug(message: string, fields?: Fields): void {
    this.write('debug', message, fields);
  }

  /** A logger whose lines all carry `bindings` (a component name, a request id). */
  child(bindings: Readonly<Record<string, string | number>>): PinoLogger {
    return new PinoLogger(this.pino.child(bindings));
  }

  /** Writes out what is buffered; call before the process exits. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => this.pino.flush((error) => (error ? reject(error) : resolve())));
  }

  private write(level: Level, message: string, fields: Fields): void {
    if (!this.pino.isLevelEnabled(level)) return;
    this.pino[level](scrubFields(fields), scrubPhones(message));
  }
}

/** Top-level string values lose phone numbers too; nested keys are left to the redact paths. */
function scrubFields(fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    out[key] = typeof value === 'string' ? scrubPhones(value) : value;
  }
  return out;
}
