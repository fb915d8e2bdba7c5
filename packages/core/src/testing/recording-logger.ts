import type { Logger } from '../ports/logger.js';

export interface LogRecord {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Keeps log lines in memory so tests can check what was logged. */
export class RecordingLogger implements Logger {
  readonly records: LogRecord[] = [];

  info(message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.records.push({ level: 'info', message, fields });
  }

  warn(message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.records.push({ level: 'warn', message, fields });
  }

  error(message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.records.push({ level: 'error', message, fields });
  }
}
