/*
 * CPU per send of `WhatsAppCloudSender` (node:http on a keep-alive agent) next to the same
 * POST made with global fetch (what the sender used before), interleaved in one run, against
 * a Graph stand-in on loopback in this process (its share of the CPU is the same for both).
 *   npx tsx bench/send-cpu.bench.ts [--sends 2000] [--rounds 3]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { PhoneNumber } from '@khaacho/core';
import { InMemoryRateLimiter, ManualClock } from '@khaacho/core/testing';
import { WhatsAppCloudSender, whatsappSendRatePolicy } from '../src/send/cloud-sender.js';
import { graphPayload } from '../src/send/payloads.js';
import { whatsappConfig } from '../src/whatsapp-config.js';

const { values } = parseArgs({
  options: { sends: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } },
});
const SENDS = Number(values.sends);
const ROUNDS = Number(values.rounds);

let n = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.B${++n}` }] }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const config = whatsappConfig({
  baseUrl,
  graphApiVersion: 'v23.0',
  phoneNumberId: '106540352242922',
  accessToken: 'EAAbench',
  appSecret: 'bench',
  verifyToken: 'bench',
  sendRatePerSecond: 10_000,
});
// A limiter that always allows: the transport is what is compared.
const sender = new WhatsAppCloudSender({
  config,
  rateLimiter: new InMemoryRateLimiter(new ManualClock(), { ...whatsappSendRatePolicy(config), points: 1e9 }),
});
const message = { kind: 'text' as const, to: PhoneNumber.parse('+9779812345678'), text: 'Your draft: 2 × rice 25 kg' };
const url = `${baseUrl}/v23.0/106540352242922/messages`;

async function viaFetch(): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: 'Bearer EAAbench', 'content-type': 'application/json' },
    body: JSON.stringify(graphPayload(message)),
    signal: AbortSignal.timeout(10_000),
  });
  await response.json();
}

async function cpuPerCall(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 100; i++) await call();
  const start = process.cpuUsage();
  for (let i = 0; i < SENDS; i++) await call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / SENDS;
}

for (let round = 1; round <= ROUNDS; round++) {
  const before = await cpuPerCall(viaFetch);
  const after = await cpuPerCall(() => sender.send(message));
  console.log(
    `round ${round}: global fetch ${before.toFixed(0)} µs, WhatsAppCloudSender ${after.toFixed(0)} µs CPU per send (stub included) = ${(after / before).toFixed(2)}×`,
  );
}
server.close();
