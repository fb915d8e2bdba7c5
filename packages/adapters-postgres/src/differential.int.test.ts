import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PostgresPersistence } from './create-postgres-persistence.js';
import { runCampaign } from './testing/differential/campaign.js';
import { REGRESSIONS } from './testing/differential/regressions.js';
import { runSequence } from './testing/differential/runner.js';
import { DiffWorld } from './testing/differential/worlds.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

const test = suite('differential: in-memory world vs PostgreSQL world');
/** About 10⁴ commands in CI; `npm run soak` runs 10⁵. */
const COMMANDS = Number(process.env.DIFFERENTIAL_COMMANDS ?? 10_000);
let db: TestDatabase;
let persistence: PostgresPersistence;
let memory: DiffWorld;
let postgres: DiffWorld;

test.before(async () => {
  db = await createTestDatabase('khaacho_diff');
  ({ world: postgres, persistence } = await DiffWorld.postgres(db.url));
  memory = await DiffWorld.memory();
});
test.after(async () => {
  await persistence?.close();
  await db?.drop();
});

for (const recorded of REGRESSIONS) {
  test(`recorded: ${recorded.name}`, async () => {
    const commands = await runSequence(recorded.steps, memory, postgres);
    assert.ok(commands >= recorded.steps.length);
  });
}

test(`random command sequences agree after every command (about ${COMMANDS} commands)`, async () => {
  const started = performance.now();
  const { commands, sequences } = await runCampaign(memory, postgres, { commands: COMMANDS });
  const seconds = (performance.now() - started) / 1000;
  console.log(`  differential: ${commands} commands in ${sequences} sequences, ${seconds.toFixed(1)} s`);
  assert.ok(commands >= COMMANDS);
});

test.run();
