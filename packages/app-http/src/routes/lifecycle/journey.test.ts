import { test } from 'uvu';
import { startTestApp } from '../../testing/test-app.js';
import { runJourney } from '../../testing/journey.js';

test('the journey over HTTP on the in-memory store: product, offer, order, accept, dispatch, deliver, pay, rescore', async () => {
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    await runJourney(app);
  } finally {
    await app.close();
  }
});

test.run();
