// The webhook's behaviour, run on the in-memory composition and on PostgreSQL alike.
import { inboundEventOf, signBody } from '@khaacho/adapters-whatsapp';
import { type InboxEvent, type JsonValue, WEBHOOK_INBOX } from '@khaacho/core';
import * as assert from 'uvu/assert';
import type { TestApp } from './test-app.js';
import {
  change,
  delivery,
  type SignedBody,
  signed,
  statusChange,
  textDelivery,
  textMessage,
  WEBHOOK_SECRET,
  WEBHOOK_VERIFY_TOKEN,
} from './webhook-fixtures.js';

export const WEBHOOK = '/webhooks/whatsapp';

export async function post(
  app: TestApp,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(app.url + WEBHOOK, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

export const postSigned = (app: TestApp, body: SignedBody) =>
  post(app, body.bytes, { 'X-Hub-Signature-256': body.signature });

/** Everything the inbox holds that no one has claimed yet, claimed now (so the next call sees only newer events). */
export async function takeStored(app: TestApp): Promise<InboxEvent[]> {
  const inbox = app.composition.get(WEBHOOK_INBOX);
  const taken: InboxEvent[] = [];
  for (;;) {
    const batch = await inbox.claim({ limit: 100, leaseMs: 60_000, maxAttempts: 1_000, now: new Date() });
    if (batch.length === 0) return taken;
    for (const event of batch) await inbox.markProcessed(event.id, new Date());
    taken.push(...batch);
  }
}

export type Scenario = readonly [name: string, run: (app: TestApp) => Promise<void>];

export const WEBHOOK_SCENARIOS: readonly Scenario[] = [
  [
    'GET verification: the challenge as text/plain; a wrong token or mode is 403',
    async (app) => {
      const ok = await fetch(
        `${app.url}${WEBHOOK}?hub.mode=subscribe&hub.verify_token=${WEBHOOK_VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      assert.is(ok.status, 200);
      assert.match(ok.headers.get('content-type') ?? '', /^text\/plain/);
      assert.is(await ok.text(), '1158201444');
      const wrong = await fetch(`${app.url}${WEBHOOK}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
      assert.is(wrong.status, 403);
      assert.is.not(await wrong.text(), '1');
      const mode = await fetch(
        `${app.url}${WEBHOOK}?hub.mode=unsubscribe&hub.verify_token=${WEBHOOK_VERIFY_TOKEN}&hub.challenge=1`,
      );
      assert.is(mode.status, 403);
    },
  ],
  [
    'a signed delivery is stored in the inbox before the 200, and reads back as the same event',
    async (app) => {
      await takeStored(app);
      const response = await postSigned(app, signed(textDelivery('good.1', 'chamal 2 bora, tel 1 peti')));
      assert.is(response.status, 200, response.text);
      assert.equal(JSON.parse(response.text), { received: 1, duplicates: 0 });
      const stored = await takeStored(app);
      assert.equal(
        stored.map((e) => [e.provider, e.externalId]),
        [['whatsapp', 'wa:msg:wamid.good.1']],
      );
      const event = inboundEventOf(stored[0]?.payload as JsonValue);
      assert.is(event.kind, 'message');
      if (event.kind === 'message') {
        assert.equal(event.content, { type: 'text', text: 'chamal 2 bora, tel 1 peti' });
        assert.is(event.profileName, 'Ram Kirana');
      }
    },
  ],
  [
    'Devanagari and emoji: the signature holds on the raw bytes, and the text arrives intact',
    async (app) => {
      await takeStored(app);
      const words = 'चामल २ बोरा, तेल १ पेटी 🙏🏽 धन्यवाद';
      const response = await postSigned(app, signed(textDelivery('utf8.1', words)));
      assert.is(response.status, 200, response.text);
      const [stored] = await takeStored(app);
      const event = inboundEventOf(stored?.payload as JsonValue);
      assert.equal(event.kind === 'message' ? event.content : null, { type: 'text', text: words });
    },
  ],
  [
    'a missing, malformed or wrong signature is 401 and nothing is stored',
    async (app) => {
      await takeStored(app);
      const body = signed(textDelivery('bad.1', 'hello'));
      const missing = await post(app, body.bytes, {});
      const malformed = await post(app, body.bytes, { 'X-Hub-Signature-256': 'sha1=abc' });
      const otherSecret = signed(textDelivery('bad.1', 'hello'), 'someone-elses-secret');
      const wrong = await postSigned(app, otherSecret);
      assert.equal([missing.status, malformed.status, wrong.status], [401, 401, 401]);
      assert.is(JSON.parse(wrong.text).error.code, 'AUTH.UNAUTHENTICATED');
      assert.equal(await takeStored(app), []);
    },
  ],
  [
    'a body re-serialised after signing (escaped non-ASCII, other spacing) is 401 and nothing is stored',
    async (app) => {
      await takeStored(app);
      const json = textDelivery('reser.1', 'नमस्ते 👋');
      const original = signed(json);
      // What a framework that parsed and re-encoded the body would hand over: same data, other bytes.
      const escaped = JSON.stringify(json).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      const spaced = JSON.stringify(json, null, 2);
      assert.equal(JSON.parse(escaped), JSON.parse(original.bytes.toString('utf8')));
      const a = await post(app, escaped, { 'X-Hub-Signature-256': original.signature });
      const b = await post(app, spaced, { 'X-Hub-Signature-256': original.signature });
      assert.equal([a.status, b.status], [401, 401]);
      assert.equal(await takeStored(app), []);
    },
  ],
  [
    'a multi-entry delivery (messages and statuses in several entries and changes) stores every event',
    async (app) => {
      await takeStored(app);
      const body = signed(
        delivery(
          [
            change({ messages: [textMessage('multi.1', 'one'), textMessage('multi.2', 'two')] }),
            statusChange('wamid.out.1', 'delivered', 1764980010),
          ],
          [statusChange('wamid.out.1', 'read', 1764980020), change({ messages: [textMessage('multi.3', 'three')] })],
        ),
      );
      const response = await postSigned(app, body);
      assert.is(response.status, 200, response.text);
      assert.equal(JSON.parse(response.text), { received: 5, duplicates: 0 });
      assert.equal((await takeStored(app)).map((e) => e.externalId).sort(), [
        'wa:msg:wamid.multi.1',
        'wa:msg:wamid.multi.2',
        'wa:msg:wamid.multi.3',
        'wa:status:wamid.out.1:delivered',
        'wa:status:wamid.out.1:read',
      ]);
    },
  ],
  [
    'a duplicate delivery (Meta retries) is stored once, also when both arrive at once',
    async (app) => {
      await takeStored(app);
      const body = signed(textDelivery('dup.1', 'again'));
      const first = await postSigned(app, body);
      const [a, b] = await Promise.all([postSigned(app, body), postSigned(app, body)]);
      assert.equal([first.status, a?.status, b?.status], [200, 200, 200]);
      assert.equal(JSON.parse(a?.text ?? ''), { received: 0, duplicates: 1 });
      assert.equal(
        (await takeStored(app)).map((e) => e.externalId),
        ['wa:msg:wamid.dup.1'],
      );
    },
  ],
  [
    'concurrent deliveries (written together) are each answered with their own counts; a repeat among them is stored once',
    async (app) => {
      await takeStored(app);
      const bodies = Array.from({ length: 12 }, (_, i) =>
        signed(
          delivery([
            change({ messages: [textMessage(`conc.${i}`, `m${i}`)] }),
            statusChange(`wamid.conc.out.${i}`, 'sent', 1764980000 + i),
          ]),
        ),
      );
      const repeat = bodies[3] as SignedBody;
      const responses = await Promise.all([...bodies, repeat].map((body) => postSigned(app, body)));
      assert.equal(
        responses.map((r) => r.status),
        responses.map(() => 200),
        responses.map((r) => r.text).join(' | '),
      );
      const counts = responses.map((r) => JSON.parse(r.text) as { received: number; duplicates: number });
      // Whichever of the two copies was written first took the events; the other is all duplicates.
      const copies = [counts[3], counts[12]].map((c) => `${c?.received}/${c?.duplicates}`).sort();
      assert.equal(copies, ['0/2', '2/0']);
      for (const [i, c] of counts.entries()) if (i !== 3 && i !== 12) assert.equal(c, { received: 2, duplicates: 0 });
      const stored = (await takeStored(app)).map((e) => e.externalId).sort();
      assert.is(stored.length, 24);
      assert.is(new Set(stored).size, 24);
    },
  ],
  [
    'a body over the limit is 413 (declared or streamed) and nothing is stored',
    async (app) => {
      await takeStored(app);
      const big = signed(textDelivery('big.1', 'x'.repeat(1_100_000)));
      const declared = await postSigned(app, big);
      assert.is(declared.status, 413, declared.text);
      // Chunked, no Content-Length: the limit holds while reading.
      const chunks = [big.bytes.subarray(0, 600_000), big.bytes.subarray(600_000)];
      const streamed = await fetch(app.url + WEBHOOK, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': big.signature },
        body: new ReadableStream({
          start(controller) {
            for (const c of chunks) controller.enqueue(new Uint8Array(c));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      assert.is(streamed.status, 413);
      assert.equal(await takeStored(app), []);
    },
  ],
  [
    'a signed body that is not JSON is answered 200 (no 7-day redelivery) and kept once for an operator',
    async (app) => {
      await takeStored(app);
      const bytes = Buffer.from('this is not json {', 'utf8');
      const resigned = { bytes, signature: signBody(bytes, WEBHOOK_SECRET) };
      const first = await postSigned(app, resigned);
      const second = await postSigned(app, resigned);
      assert.equal([first.status, second.status], [200, 200]);
      const stored = await takeStored(app);
      assert.is(stored.length, 1);
      assert.match(stored[0]?.externalId ?? '', /^wa:unparseable:[0-9a-f]{64}$/);
      assert.equal((stored[0]?.payload as { text?: string } | undefined)?.text, 'this is not json {');
      assert.ok(
        app.lines.some(
          (l) => l.msg === 'whatsapp webhook body is signed but not JSON; kept in the inbox for an operator',
        ),
      );
    },
  ],
  [
    'a signed non-JSON body with NUL bytes, or a surrogate pair across the kept length, is still 200 and storable',
    async (app) => {
      await takeStored(app);
      // Raw NUL bytes decode to U+0000, which jsonb refuses; an emoji straddling the 65,536th
      // UTF-16 unit would be cut into a lone surrogate, which jsonb refuses as well.
      const nul = Buffer.from('not json \u0000 at all \u0000', 'utf8');
      const straddle = Buffer.from(`${'x'.repeat(65_535)}🙏 tail`, 'utf8');
      const responses = [];
      for (const bytes of [nul, straddle]) {
        responses.push(await postSigned(app, { bytes, signature: signBody(bytes, WEBHOOK_SECRET) }));
      }
      assert.equal(
        responses.map((r) => r.status),
        [200, 200],
        responses.map((r) => r.text).join(' | '),
      );
      const texts = (await takeStored(app)).map((e) => (e.payload as { text: string }).text);
      assert.is(texts.length, 2);
      for (const text of texts) {
        assert.not.ok(text.includes('\u0000'), 'no NUL');
        assert.not.match(
          text,
          /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
          'no lone surrogate',
        );
      }
      assert.ok(texts.includes('not json  at all '));
    },
  ],
  [
    'uppercase hex is accepted; a bare digest without sha256= and a duplicated header are 401, nothing stored',
    async (app) => {
      await takeStored(app);
      const body = signed(textDelivery('hdr.1', 'hi'));
      const hex = body.signature.slice('sha256='.length);
      const bare = await post(app, body.bytes, { 'X-Hub-Signature-256': hex });
      const doubled = await fetch(app.url + WEBHOOK, {
        method: 'POST',
        headers: [
          ['Content-Type', 'application/json'],
          ['X-Hub-Signature-256', 'sha256=0000000000000000000000000000000000000000000000000000000000000000'],
          ['X-Hub-Signature-256', body.signature],
        ],
        body: body.bytes,
      });
      assert.equal([bare.status, doubled.status], [401, 401]);
      assert.equal(await takeStored(app), []);
      const upper = await post(app, body.bytes, { 'X-Hub-Signature-256': `sha256=${hex.toUpperCase()}` });
      assert.is(upper.status, 200, upper.text);
      assert.is((await takeStored(app)).length, 1);
    },
  ],
  [
    'hostile JSON: __proto__/constructor keys, deep nesting and 1,000 statuses are 200, no pollution',
    async (app) => {
      await takeStored(app);
      const statuses = Array.from({ length: 1_000 }, (_, i) => statusChange(`wamid.many.${i}`, 'sent', 1764980000 + i));
      const many = signed(delivery(statuses));
      const manyResponse = await postSigned(app, many);
      assert.is(manyResponse.status, 200, manyResponse.text);
      assert.is(JSON.parse(manyResponse.text).received, 1_000);
      assert.is((await takeStored(app)).length, 1_000);
      const proto = Buffer.from(
        `{"object":"whatsapp_business_account","__proto__":{"polluted":1},"entry":[{"id":"1","constructor":{"prototype":{"polluted":1}},"changes":[{"field":"messages","value":{"__proto__":{"polluted":1},"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"1"},"messages":[{"from":"9779812345678","id":"wamid.proto.1","timestamp":"1764980000","type":"text","text":{"body":"hi","__proto__":{"polluted":1}}}]}}]}]}`,
        'utf8',
      );
      const deep = Buffer.from(`${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'utf8');
      const results = [];
      for (const bytes of [proto, deep]) {
        results.push(await postSigned(app, { bytes, signature: signBody(bytes, WEBHOOK_SECRET) }));
      }
      assert.equal(
        results.map((r) => r.status),
        [200, 200],
        results.map((r) => r.text).join(' | '),
      );
      assert.is(({} as Record<string, unknown>).polluted, undefined);
      await takeStored(app);
    },
  ],
  [
    'both operations are in the OpenAPI document when the webhook is mounted',
    async (app) => {
      const spec = app.http.document as { paths: Record<string, Record<string, unknown>> };
      assert.ok(spec.paths[WEBHOOK]?.post, 'documented in OpenAPI');
      assert.ok(spec.paths[WEBHOOK]?.get, 'documented in OpenAPI');
    },
  ],
];
