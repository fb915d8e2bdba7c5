import { LOGGER } from '@khaacho/core';
import { ContainerModule } from 'inversify';
import type { DestinationStream } from 'pino';
import { type LogLevel, PinoLogger } from '../logging/pino-logger.js';
import { provide } from './bindings.js';

/** core's Logger port on pino; its buffered lines are flushed when the container closes. */
export function loggingModule(level: LogLevel, destination?: DestinationStream): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(bind, LOGGER, [], () =>
      PinoLogger.create({ level, base: { service: 'khaacho' }, ...(destination ? { destination } : {}) }),
    ).onDeactivation((logger) => (logger instanceof PinoLogger ? logger.flush() : undefined));
  });
}
