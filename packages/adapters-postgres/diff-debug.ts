import { runSequence } from './src/testing/differential/runner.js';
import { DiffWorld } from './src/testing/differential/worlds.js';
import { createTestDatabase } from './src/testing/test-database.js';
const steps = JSON.parse(process.argv[2] as string);
const db = await createTestDatabase('khaacho_diff');
const { world, persistence } = await DiffWorld.postgres(db.url);
try {
  const m = await DiffWorld.memory();
  console.log(await runSequence(steps, m, world));
} catch (e) { console.error(String(e).slice(0, 3000)); } finally { await persistence.close(); await db.drop(); }
