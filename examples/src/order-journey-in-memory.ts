// An order's whole journey in memory: core's in-memory adapters, the system clock and
// UUIDv7 ids, a console logger. No server, no test world.
import { type Logger, systemClock, systemIds } from '@khaacho/core';
import { createInMemoryPersistence } from '@khaacho/core/testing';
import { orderJourney } from './lib/order-journey.js';

const logger: Logger = {
  info: () => {},
  warn: (message, fields) => console.warn(message, fields ?? {}),
  error: (message, fields) => console.error(message, fields ?? {}),
};
const ids = systemIds();
const storage = createInMemoryPersistence(ids);
await orderJourney({ uow: storage.uow, repos: storage.repos, clock: systemClock, ids, logger });
