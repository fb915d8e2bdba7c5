// PostgreSQL persistence: a server at DATABASE_URL, or embedded PGlite when it is unset.
// `await using` closes it when the scope ends (embedded mode keeps the process alive until then).
import { createPostgresPersistence } from '@khaacho/adapters-postgres';

await using persistence = await createPostgresPersistence({
  databaseUrl: process.env.DATABASE_URL ?? null,
  migrate: true,
});
await persistence.ping();
console.log(`PostgreSQL (${persistence.mode}) answers`);
