import { ManualClock } from '@khaacho/core/testing';
import { test } from 'uvu';
import { startTestApp } from '../../testing/test-app.js';
import { runJourney } from '../../testing/journey.js';

test('the journey over HTTP on the in-memory store: register, approve, sign in, product, offer, order, accept, dispatch, deliver, pay, rescore, exports', async () => {
  const clock = new ManualClock(new Date());
  const app = await startTestApp({ risk: 'allow-all', authenticator: 'jwt', clock });
  try {
    await runJourney(app, clock);
  } finally {
    await app.close();
  }
});

test.run();
