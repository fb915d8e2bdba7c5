import { ManualClock } from '@khaacho/core/testing';
import { suite } from 'uvu';
import { composeContainer } from '../composition/compose-container.js';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { type FlowComposition, flowScenarios } from '../testing/flow-scenarios.js';
import { relayScenarios } from '../testing/relay-scenarios.js';
import { scratchDatabase } from '../testing/scratch-database.js';

const database = scratchDatabase('khaacho_flow');
const { url } = database;

/** Each composition the flow runs on; the Redis queue (with PostgreSQL) becomes one more entry. */
const compositions: FlowComposition[] = [
  {
    name: 'postgres + memory queue',
    make: (clock) =>
      composeContainer(
        workerConfigFromEnv({
          DATABASE_URL: url.toString(),
          KHAACHO_DB_MIGRATE: 'true',
          KHAACHO_MESSAGE_SENDER: 'memory',
          LOG_LEVEL: 'silent',
        }),
        { clock },
      ),
  },
];

// One database for the run: each suite leaves the outbox drained for the next.
const setup = suite('database');
setup('create the database', async () => {
  await database.create();
});
setup.run();

for (const composition of compositions) {
  const flow = suite(composition.name);
  flowScenarios(flow, composition);
  flow.run();
}

// The relay over the PostgreSQL outbox (SKIP LOCKED and leases for real).
const relay = suite('outbox relay on PostgreSQL');
relayScenarios(relay, compositions[0] as FlowComposition, new ManualClock('2026-03-02T04:00:00.000Z'));
relay.run();

const teardown = suite('database');
teardown('drop the database', async () => {
  await database.drop();
});
teardown.run();
