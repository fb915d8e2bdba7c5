import { ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import { scratchDatabase } from '../../testing/scratch-database.js';
import { startTestApp } from '../../testing/test-app.js';
import { runJourney } from '../../testing/journey.js';

test('the journey over HTTP on PostgreSQL (own database): register, approve, sign in, product, offer, order, accept, dispatch, deliver, pay, rescore, exports', async () => {
  const database = scratchDatabase('khaacho_http_journey');
  await database.create();
  const clock = new ManualClock(new Date());
  const app = await startTestApp({
    databaseUrl: database.url.toString(),
    risk: 'allow-all',
    authenticator: 'jwt',
    clock,
  });
  try {
    await runJourney(app, clock);
  } finally {
    await app.close();
    await database.drop();
  }
});

test.run();
