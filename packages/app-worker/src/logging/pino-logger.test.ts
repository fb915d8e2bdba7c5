import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withLogContext } from './log-context.js';
import { PinoLogger } from './pino-logger.js';
import { REDACTED } from './redaction.js';

/** A logger writing into an array of parsed JSON lines. */
function capture(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: PinoLogger.create({ level, destination }), lines };
}

test('one JSON object per line, with a level label, an ISO time and the message', () => {
  const { logger, lines } = capture();
  logger.info('order placed', { orderId: 'o-1', total: 4_000 });
  assert.is(lines.length, 1);
  const [line] = lines;
  assert.is(line?.level, 'info');
  assert.is(line?.msg, 'order placed');
  assert.is(line?.orderId, 'o-1');
  assert.is(line?.total, 4_000);
  assert.ok(!Number.isNaN(Date.parse(String(line?.time))));
});

test('phones, tokens, secrets and credentials are censored at any of the first three levels', () => {
  const { logger, lines } = capture();
  logger.warn('login', {
    phone: '+9779841000001',
    token: 'abc.def.ghi',
    authorization: 'Bearer abc',
    password: 'hunter2',
    retailer: { name: 'Sita Kirana', phone: '+9779841000002' },
    webhook: { app: { secret: 's3cr3t', accessToken: 'EAAG' } },
    message: { to: '+9779841000003', text: 'hello' },
    databaseUrl: 'postgres://u:pw@db/khaacho',
  });
  const line = lines[0] as Record<string, Record<string, unknown>>;
  assert.is(line.phone, REDACTED);
  assert.is(line.token, REDACTED);
  assert.is(line.authorization, REDACTED);
  assert.is(line.password, REDACTED);
  assert.is(line.databaseUrl, REDACTED);
  assert.equal(line.retailer, { name: 'Sita Kirana', phone: REDACTED });
  assert.equal(line.webhook, { app: { secret: REDACTED, accessToken: REDACTED } });
  assert.equal(line.message, { to: REDACTED, text: 'hello' });
  const raw = JSON.stringify(lines);
  for (const secret of ['9841000001', '9841000002', '9841000003', 'abc.def.ghi', 'hunter2', 's3cr3t', 'EAAG', ':pw@']) {
    assert.not.ok(raw.includes(secret), `${secret} leaked`);
  }
});

test('phone numbers inside the message and top-level strings are masked; other numbers are not', () => {
  const { logger, lines } = capture();
  logger.error('send to +9779841000001 failed, retry 9851000002 or 977-9801000003', {
    note: 'customer said call 9841000004',
    orderNumber: 'KH-000123',
    amount: '9841.50',
  });
  const line = lines[0];
  assert.is(line?.msg, 'send to [phone] failed, retry [phone] or [phone]');
  assert.is(line?.note, 'customer said call [phone]');
  assert.is(line?.orderNumber, 'KH-000123');
  assert.is(line?.amount, '9841.50');
});

test('a job id set at the start of a job is on every line logged inside it, across awaits', async () => {
  const { logger, lines } = capture();
  logger.info('before');
  await withLogContext({ jobId: 'job-7', queue: 'ORDER_ROUTING' }, async () => {
    logger.info('started');
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([1, 2].map(async (n) => logger.info('step', { n })));
    logger.child({ component: 'router' }).warn('nested');
  });
  logger.info('after');
  assert.equal(
    lines.map((line) => [line.msg, line.jobId ?? null, line.queue ?? null]),
    [
      ['before', null, null],
      ['started', 'job-7', 'ORDER_ROUTING'],
      ['step', 'job-7', 'ORDER_ROUTING'],
      ['step', 'job-7', 'ORDER_ROUTING'],
      ['nested', 'job-7', 'ORDER_ROUTING'],
      ['after', null, null],
    ],
  );
  assert.is(lines[4]?.component, 'router');
});

test('concurrent jobs keep their own ids; a nested context adds to the outer one', async () => {
  const { logger, lines } = capture();
  await Promise.all(
    ['a', 'b'].map((id) =>
      withLogContext({ jobId: id }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        logger.info('work', { expected: id });
        await withLogContext({ requestId: `r-${id}` }, async () => logger.info('inner', { expected: id }));
      }),
    ),
  );
  assert.is(lines.length, 4);
  for (const line of lines) assert.is(line.jobId, line.expected);
  for (const line of lines.filter((l) => l.msg === 'inner')) assert.is(line.requestId, `r-${line.expected}`);
});

test('lines below the level are not written', () => {
  const { logger, lines } = capture('info');
  logger.debug('noise');
  logger.info('signal');
  assert.equal(
    lines.map((line) => line.msg),
    ['signal'],
  );
});

test.run();
