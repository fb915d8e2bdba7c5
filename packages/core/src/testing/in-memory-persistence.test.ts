import { test } from 'uvu';
import { deterministicIds } from './deterministic-ids.js';
import { registerContract } from './contract.js';
import { engineRepositoriesContract } from './contracts/engine-repositories.contract.js';
import { persistenceContracts } from './contracts/index.js';
import { createInMemoryPersistence } from './in-memory-persistence.js';
import { ManualClock } from './manual-clock.js';

for (const contract of persistenceContracts) {
  registerContract(test, contract, {
    async create() {
      const clock = new ManualClock();
      return createInMemoryPersistence(deterministicIds(clock, 99));
    },
  });
}

// The engine repositories again, this time sharing the store (and transactions) of the rest.
registerContract(test, engineRepositoriesContract, {
  async create() {
    return createInMemoryPersistence(deterministicIds(new ManualClock(), 98)).repos;
  },
});

test.run();
