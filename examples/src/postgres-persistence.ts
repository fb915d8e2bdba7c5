// PostgreSQL persistence: a server at DATABASE_URL, or embedded PGlite when it is unset.
import { createPostgresPersistence } from '@khaacho/adapters-postgres';

const persistence = await createPostgresPersistence({ databaseUrl: process.env.DATABASE_URL ?? null, migrate: true });
try {
  await persistence.ping();
  console.log(`PostgreSQL (${persistence.mode}) answers`);
} finally {
  await persistence.close();
}
