import { test } from 'uvu';
import { scratchDatabase } from '../testing/scratch-database.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { WEBHOOK_SECRET, WEBHOOK_VERIFY_TOKEN } from '../testing/webhook-fixtures.js';
import { WEBHOOK_SCENARIOS } from '../testing/webhook-scenarios.js';

const database = scratchDatabase('khaacho_webhook');
let app: TestApp;

test.before(async () => {
  await database.create();
  app = await startTestApp({
    databaseUrl: database.url.toString(),
    whatsappWebhook: { appSecret: WEBHOOK_SECRET, verifyToken: WEBHOOK_VERIFY_TOKEN, maxBodyBytes: 1_048_576 },
  });
});
test.after(async () => {
  await app?.close();
  await database.drop();
});

for (const [name, run] of WEBHOOK_SCENARIOS) test(`on PostgreSQL: ${name}`, () => run(app));

test.run();
