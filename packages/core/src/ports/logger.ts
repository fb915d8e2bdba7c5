import { type Token, token } from '../shared/token.js';
/** Port: structured logs. Adapters (pino) redact phones and tokens. */
export interface Logger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export const NOOP_LOGGER: Logger = Object.freeze({
  info() {},
  warn() {},
  error() {},
});

export const LOGGER: Token<Logger> = token('Logger');
