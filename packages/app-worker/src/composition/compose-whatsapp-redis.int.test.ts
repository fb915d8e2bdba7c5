import { REDIS_CONNECTION, RedisLeasedRateLimiter } from '@khaacho/adapters-redis';
import { WHATSAPP_SEND_RATE_LIMITER, WhatsAppCloudSender } from '@khaacho/adapters-whatsapp';
import { LoggedMessageSender, MESSAGE_SENDER, RATE_LIMITER } from '@khaacho/core';
import { Redis } from 'ioredis';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workerConfigFromEnv } from '../config/worker-config.js';
import { composeContainer } from './compose-container.js';

const REDIS = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const prefix = `khaacho-test:wa-rate:${process.pid}`;

async function keys(): Promise<string[]> {
  const redis = new Redis(REDIS);
  try {
    return await redis.keys(`${prefix}*`);
  } finally {
    redis.disconnect();
  }
}

test.after(async () => {
  const found = await keys();
  if (found.length === 0) return;
  const redis = new Redis(REDIS);
  try {
    await redis.del(...found);
  } finally {
    redis.disconnect();
  }
});

test('whatsapp with REDIS_URL: the send rate is a RedisLeasedRateLimiter of whatsappSendRatePolicy on the shared connection, apart from RATE_LIMITER', async () => {
  const app = await composeContainer(
    workerConfigFromEnv({
      KHAACHO_STORE: 'memory',
      REDIS_URL: REDIS,
      KHAACHO_REDIS_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      KHAACHO_MESSAGE_SENDER: 'whatsapp',
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      WHATSAPP_ACCESS_TOKEN: 'EAAtest-token',
      WHATSAPP_APP_SECRET: 'app-secret',
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
      WHATSAPP_SEND_RATE_PER_SECOND: '5',
    }),
  );
  try {
    assert.is(app.adapters.rateLimiter, 'redis');
    const sender = app.get(MESSAGE_SENDER);
    assert.ok(sender instanceof LoggedMessageSender, 'sends are logged for the status callbacks');
    assert.ok(sender.inner instanceof WhatsAppCloudSender);
    const limiter = app.get(WHATSAPP_SEND_RATE_LIMITER);
    assert.ok(limiter instanceof RedisLeasedRateLimiter, 'leased: most sends cost no Redis round trip');
    assert.is.not(limiter, app.get(RATE_LIMITER), 'the login limiter keeps its own policy');
    await app.ready(); // the first connection is made in the background
    assert.ok(await app.get(REDIS_CONNECTION).ping(), 'Redis answers');
    // A fresh key: five points a second, one taken (the login policy would leave 59).
    const first = await limiter.consume('whatsapp:send:106540352242922');
    assert.equal([first.allowed, first.remainingPoints], [true, 4]);
    const stored = await keys();
    assert.ok(
      stored.some((key) => key.startsWith(`${prefix}:rl:whatsapp`)),
      `a key under ${prefix}:rl:whatsapp, got ${stored.join(', ')}`,
    );
  } finally {
    await app.close();
  }
});

test.run();
