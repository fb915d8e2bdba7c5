import { test } from 'uvu';
import { registerContract } from './contract.js';
import { engineRepositoriesContract } from './contracts/engine-repositories.contract.js';
import { createInMemoryEngineRepositories } from './in-memory-engine-repositories.js';

registerContract(test, engineRepositoriesContract, {
  create: async () => createInMemoryEngineRepositories(),
});

test.run();
