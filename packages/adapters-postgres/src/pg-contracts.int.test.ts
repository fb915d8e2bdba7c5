import { engineRepositoriesContract, persistenceContracts, registerContract } from '@khaacho/core/testing';
import { suite } from 'uvu';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { subjectFactory, truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

// Core's persistence contract suites, unchanged, against a real PostgreSQL server.
const test = suite('pg contracts');
let db: TestDatabase;
let persistence: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase();
  persistence = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 12 });
});

test.after(async () => {
  await persistence?.close();
  await db?.drop();
});

for (const contract of persistenceContracts) {
  registerContract(
    test,
    contract,
    subjectFactory(() => persistence),
  );
}

registerContract(test, engineRepositoriesContract, {
  create: async () => {
    await truncateAll(persistence);
    return persistence.repos;
  },
});

test.run();
