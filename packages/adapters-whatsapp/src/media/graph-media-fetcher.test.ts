import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOGGER, MEDIA_FETCHER, type MediaFetcher, type MediaFetchResult } from '@khaacho/core';
import { RecordingLogger } from '@khaacho/core/testing';
import { Container } from 'inversify';
import nock from 'nock';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GRAPH, graph, resetGraph, testConfig } from '../testing/whatsapp-fixtures.js';
import { whatsappMediaModule } from '../whatsapp-module.js';
import { GraphMediaFetcher } from './graph-media-fetcher.js';

test.after.each(() => resetGraph());

const TOKEN = 'Bearer EAAtest-not-a-real-token';
const MEDIA_ID = '827776106019109';
/** Where Meta hands its media out (lookaside), a host of its own, over TLS. */
const CDN = 'https://lookaside.example.test';
const CDN_PATH = `/whatsapp_business/attachments/?mid=${MEDIA_ID}&ext=1700000000&hash=ATtest`;
/** An Ogg page header and some bytes: what a voice note starts with. */
const AUDIO = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(2_000, 7)]);
const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

/** The media endpoint's answer, shaped as Meta documents it (`file_size` a number, `sha256` hex). */
function mediaInfo(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    url: `${CDN}${CDN_PATH}`,
    mime_type: 'audio/ogg; codecs=opus',
    sha256: hex(AUDIO),
    file_size: AUDIO.length,
    id: MEDIA_ID,
    ...over,
  };
}

function infoAnswers(status: number, body: unknown): nock.Scope {
  return graph()
    .get(`/v23.0/${MEDIA_ID}`)
    .matchHeader('authorization', TOKEN)
    .reply(status, body as nock.Body);
}

function cdn(): nock.Interceptor {
  return nock(CDN).get(CDN_PATH).matchHeader('authorization', TOKEN);
}

const fetcher = (over: { maxBytes?: number; downloadTimeoutMs?: number; timeoutMs?: number } = {}) => {
  const logger = new RecordingLogger();
  const config = testConfig(over.timeoutMs === undefined ? {} : { timeoutMs: over.timeoutMs });
  return {
    logger,
    media: new GraphMediaFetcher({
      config,
      logger,
      ...(over.maxBytes === undefined ? {} : { maxBytes: over.maxBytes }),
      ...(over.downloadTimeoutMs === undefined ? {} : { downloadTimeoutMs: over.downloadTimeoutMs }),
    }),
  };
};

function failed(result: MediaFetchResult): { reason: string; transient: boolean; detail: string } {
  assert.is(result.kind, 'failed', JSON.stringify(result));
  return result.kind === 'failed' ? result : { reason: '', transient: false, detail: '' };
}

test('a voice note: metadata with the bearer token, then the bytes from its url with the token too', async () => {
  const info = infoAnswers(200, mediaInfo());
  const file = cdn().reply(200, AUDIO, { 'content-type': 'audio/ogg', 'content-length': String(AUDIO.length) });
  const result = await fetcher().media.fetch(MEDIA_ID);
  assert.is(result.kind, 'media');
  if (result.kind !== 'media') return;
  assert.equal(Buffer.from(result.bytes), AUDIO);
  assert.is(result.mimeType, 'audio/ogg; codecs=opus', 'the media endpoint says what it is');
  assert.ok(info.isDone() && file.isDone());
});

test('sha256 as base64 (as webhooks carry it) and file_size as a string are understood too', async () => {
  infoAnswers(200, mediaInfo({ sha256: b64(AUDIO), file_size: String(AUDIO.length) }));
  cdn().reply(200, AUDIO);
  assert.is((await fetcher().media.fetch(MEDIA_ID)).kind, 'media');
});

test('bytes that do not match sha256, or fewer than file_size: CORRUPT, not transient', async () => {
  infoAnswers(200, mediaInfo({ sha256: hex(Buffer.from('something else')) }));
  cdn().reply(200, AUDIO);
  const bad = failed(await fetcher().media.fetch(MEDIA_ID));
  assert.is(bad.reason, 'CORRUPT');
  assert.is(bad.transient, false);

  infoAnswers(200, mediaInfo({ sha256: undefined, file_size: AUDIO.length + 10 }));
  cdn().reply(200, AUDIO);
  assert.is(failed(await fetcher().media.fetch(MEDIA_ID)).reason, 'CORRUPT');
});

test('expired or unknown media (Graph 400 code 100 subcode 33, or 404): GONE, not retried', async () => {
  infoAnswers(400, {
    error: {
      message: `Unsupported get request. Object with ID '${MEDIA_ID}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: 'AeadGx6xI8M9EVqcy11ynej',
    },
  });
  const gone = failed(await fetcher().media.fetch(MEDIA_ID));
  assert.is(gone.reason, 'GONE');
  assert.is(gone.transient, false);
  assert.match(gone.detail, 'code 100');

  infoAnswers(404, { error: { message: 'not found', type: 'OAuthException', code: 100 } });
  assert.is(failed(await fetcher().media.fetch(MEDIA_ID)).reason, 'GONE');
  // The url lives about five minutes: a download after that is a 404 from the CDN.
  infoAnswers(200, mediaInfo());
  cdn().reply(404, 'URL signature expired');
  assert.is(failed(await fetcher().media.fetch(MEDIA_ID)).reason, 'GONE');
});

test('a refused token (401, code 190) is UNAUTHORIZED: transient (an operator replaces it), logged as an error', async () => {
  infoAnswers(401, {
    error: {
      message: 'Invalid OAuth access token',
      type: 'OAuthException',
      code: 190,
      error_subcode: 463,
      fbtrace_id: 'AXsgnV2Cm3ZMGF3dF_cfYIn',
    },
  });
  const { media, logger } = fetcher();
  const refused = failed(await media.fetch(MEDIA_ID));
  assert.is(refused.reason, 'UNAUTHORIZED');
  assert.is(refused.transient, true);
  assert.ok(logger.records.some((r) => r.level === 'error' && r.message === 'whatsapp media not fetched'));
  assert.not.match(JSON.stringify(logger.records), 'EAAtest', 'the token is never logged');

  infoAnswers(200, mediaInfo());
  cdn().reply(401, '');
  assert.is(failed(await fetcher().media.fetch(MEDIA_ID)).reason, 'UNAUTHORIZED');
});

test('Meta failing, rate limited or unreachable: UNAVAILABLE, transient', async () => {
  infoAnswers(500, { error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1 } });
  assert.equal(
    [failed(await fetcher().media.fetch(MEDIA_ID))].map((f) => [f.reason, f.transient]),
    [['UNAVAILABLE', true]],
  );
  infoAnswers(400, { error: { message: '(#80007) Rate limit hit', type: 'OAuthException', code: 80007 } });
  assert.is(failed(await fetcher().media.fetch(MEDIA_ID)).reason, 'UNAVAILABLE');
  infoAnswers(200, mediaInfo());
  cdn().reply(503, '');
  assert.is(failed(await fetcher().media.fetch(MEDIA_ID)).reason, 'UNAVAILABLE');
  graph().get(`/v23.0/${MEDIA_ID}`).replyWithError('connect ECONNREFUSED');
  assert.is(failed(await fetcher().media.fetch(MEDIA_ID)).reason, 'UNAVAILABLE');
});

/** A real Graph stand-in on loopback: `handle` answers each request (nock cannot stall or stream for ever). */
async function localGraph(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  nock.enableNetConnect('127.0.0.1');
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('timeouts: a stalled metadata call and a stalled download are aborted as UNAVAILABLE', async () => {
  let origin = '';
  const stub = await localGraph((req, res) => {
    // The metadata of "stall-info" never comes; the file of "stall-file" starts and never ends.
    if (req.url === '/v23.0/stall-info') return;
    if (req.url?.startsWith('/v23.0/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(mediaInfo({ url: `${origin}/file`, sha256: undefined, file_size: undefined })));
      return;
    }
    res.writeHead(200, { 'content-type': 'audio/ogg' });
    res.write(AUDIO.subarray(0, 100));
  });
  origin = stub.origin;
  try {
    const config = testConfig({ baseUrl: stub.origin, timeoutMs: 100 });
    const media = new GraphMediaFetcher({ config, downloadTimeoutMs: 200 });
    const slowInfo = failed(await media.fetch('stall-info'));
    assert.is(slowInfo.reason, 'UNAVAILABLE');
    const slowFile = failed(await media.fetch('stall-file'));
    assert.is(slowFile.reason, 'UNAVAILABLE');
    assert.match(slowFile.detail, 'broke off');
  } finally {
    await stub.close();
  }
});

test('the size cap: file_size over it is refused before any download', async () => {
  infoAnswers(200, mediaInfo({ file_size: 16 * 1024 * 1024 + 1 }));
  const file = cdn().reply(200, AUDIO);
  const big = failed(await fetcher().media.fetch(MEDIA_ID));
  assert.is(big.reason, 'TOO_LARGE');
  assert.is(big.transient, false);
  assert.not.ok(file.isDone(), 'nothing was downloaded');
});

test('the size cap holds while streaming, whatever file_size and content-length said', async () => {
  const cap = 64 * 1024;
  let origin = '';
  let sent = 0;
  let stopped = false;
  const stub = await localGraph((req, res) => {
    if (req.url?.startsWith('/v23.0/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      // A file_size that lies: small, so only counting the bytes catches it.
      res.end(JSON.stringify(mediaInfo({ url: `${origin}/file`, sha256: undefined, file_size: 10 })));
      return;
    }
    // A chunked body with no content-length that never ends: only the cap stops reading it.
    res.writeHead(200, { 'content-type': 'audio/ogg' });
    res.on('close', () => {
      stopped = true;
    });
    const more = () => {
      while (!stopped && res.write(Buffer.alloc(16 * 1024, 1))) sent += 16 * 1024;
      if (!stopped) res.once('drain', more);
    };
    more();
  });
  origin = stub.origin;
  try {
    const media = new GraphMediaFetcher({ config: testConfig({ baseUrl: stub.origin }), maxBytes: cap });
    const big = failed(await media.fetch(MEDIA_ID));
    assert.is(big.reason, 'TOO_LARGE');
    assert.match(big.detail, `more than ${cap}`);
    assert.ok(sent < 1024 * cap, `stopped reading after ${sent} bytes`);
  } finally {
    await stub.close();
  }

  infoAnswers(200, mediaInfo({ file_size: undefined }));
  cdn().reply(200, AUDIO, { 'content-length': String(cap + 1) });
  assert.is(failed(await fetcher({ maxBytes: cap }).media.fetch(MEDIA_ID)).reason, 'TOO_LARGE');
});

test('the token is never sent over plain http to another origin than the Graph API', async () => {
  infoAnswers(200, mediaInfo({ url: 'http://evil.example.test/file.ogg' }));
  const evil = nock('http://evil.example.test').get('/file.ogg').reply(200, AUDIO);
  const refused = failed(await fetcher().media.fetch(MEDIA_ID));
  assert.is(refused.reason, 'UNAVAILABLE');
  assert.not.ok(evil.isDone());
  // A loopback stub may hand out a loopback url of another port; a remote Graph may not.
  const stub = await localGraph((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(mediaInfo({ url: 'http://evil.example.test/file.ogg' })));
  });
  try {
    const viaStub = new GraphMediaFetcher({ config: testConfig({ baseUrl: stub.origin }) });
    assert.is(failed(await viaStub.fetch(MEDIA_ID)).reason, 'UNAVAILABLE', 'loopback Graph, remote http url');
  } finally {
    await stub.close();
  }
  // Nor is an id that is not one put into a path.
  assert.is(failed(await fetcher().media.fetch('../../me')).reason, 'GONE');
  assert.ok(GRAPH.startsWith('https://'));
});

test('whatsappMediaModule binds MEDIA_FETCHER to the Graph fetcher', async () => {
  const container = new Container();
  container.bind(LOGGER).toConstantValue(new RecordingLogger());
  container.load(whatsappMediaModule(testConfig()));
  assert.instance(container.get<MediaFetcher>(MEDIA_FETCHER), GraphMediaFetcher);
});

test.run();
