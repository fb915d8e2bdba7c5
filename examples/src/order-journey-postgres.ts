// The same journey on PostgreSQL: the server at DATABASE_URL, or embedded PGlite under
// ./.khaacho/data when it is unset. `await using` closes the pools (and embedded
// PostgreSQL, which would otherwise keep the process alive).
import { createPostgresPersistence } from '@khaacho/adapters-postgres';
import { NOOP_LOGGER, systemClock, systemIds } from '@khaacho/core';
import { orderJourney } from './lib/order-journey.js';

const ids = systemIds();
await using db = await createPostgresPersistence({
  databaseUrl: process.env.DATABASE_URL ?? null,
  migrate: true, // a service would run `khaacho migrate up` at deploy instead
  ids,
});
await orderJourney({ uow: db.uow, repos: db.repos, clock: systemClock, ids, logger: NOOP_LOGGER });
console.log(`(on PostgreSQL, ${db.mode})`);
