// `npm run soak -w @khaacho/adapters-postgres`: the differential test at 10⁵ commands
// (SOAK_COMMANDS to change it, SOAK_SEED to replay), with progress and commands/s.
import { createTestDatabase } from '../test-database.js';
import { runCampaign } from './campaign.js';
import { DiffWorld } from './worlds.js';

const target = Number(process.env.SOAK_COMMANDS ?? 100_000);
const seed = process.env.SOAK_SEED === undefined ? undefined : Number(process.env.SOAK_SEED);
const db = await createTestDatabase('khaacho_soak');
const { world: postgres, persistence } = await DiffWorld.postgres(db.url);
const started = performance.now();
const rate = (n: number) => (n / ((performance.now() - started) / 1000)).toFixed(0);
try {
  const memory = await DiffWorld.memory();
  const { commands, sequences } = await runCampaign(memory, postgres, {
    commands: target,
    recorded: true,
    ...(seed === undefined ? {} : { seed }),
    onProgress: (n, s) => console.log(`  ${n}/${target} commands, ${s} sequences, ${rate(n)} commands/s`),
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `soak: ${commands} commands in ${sequences} sequences agreed, ${seconds.toFixed(0)} s, ${rate(commands)} commands/s`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await persistence.close();
  await db.drop();
}
