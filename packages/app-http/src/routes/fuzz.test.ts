import { test } from 'uvu';
import { runFuzz } from '../testing/fuzz-run.js';
import { startTestApp } from '../testing/test-app.js';

/** FUZZ_REQUESTS sets the count (default 10,000). */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);

test(`${REQUESTS} generated requests over every route: never a 5xx, and a rejected request writes nothing`, async () => {
  const app = await startTestApp({ bodyLimitBytes: 4_096 });
  try {
    await runFuzz(app, REQUESTS);
  } finally {
    await app.close();
  }
});

test.run();
