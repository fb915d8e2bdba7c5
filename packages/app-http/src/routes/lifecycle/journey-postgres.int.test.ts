import { test } from 'uvu';
import { scratchDatabase } from '../../testing/scratch-database.js';
import { startTestApp } from '../../testing/test-app.js';
import { runJourney } from '../../testing/journey.js';

test('the journey over HTTP on PostgreSQL (own database): product, offer, order, accept, dispatch, deliver, pay, rescore', async () => {
  const database = scratchDatabase('khaacho_http_journey');
  await database.create();
  const app = await startTestApp({ databaseUrl: database.url.toString(), risk: 'allow-all' });
  try {
    await runJourney(app);
  } finally {
    await app.close();
    await database.drop();
  }
});

test.run();
