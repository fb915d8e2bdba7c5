// A WhatsApp delivery from signature to reply, with a local stand-in for the Graph API:
// the raw bytes are checked against X-Hub-Signature-256, parsed into core's inbound events
// and stored in the webhook inbox (a redelivery is a duplicate); the reply goes out through
// WhatsAppCloudSender, and when the stub answers 131047 (the 24-hour window has closed) the
// message's fallback template is sent instead.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  inboxRecordOf,
  parseDelivery,
  signBody,
  verifySignature,
  WhatsAppCloudSender,
  whatsappConfig,
  whatsappSendRatePolicy,
} from '@khaacho/adapters-whatsapp';
import { PhoneNumber, systemClock, systemIds } from '@khaacho/core';
import { InMemoryRateLimiter, InMemoryStore, InMemoryWebhookInbox } from '@khaacho/core/testing';

const received: Array<{ type: string; to: string }> = [];
const graph = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString('utf8');
  });
  req.on('end', () => {
    const sent = JSON.parse(body) as { type: string; to: string };
    received.push({ type: sent.type, to: sent.to });
    res.setHeader('content-type', 'application/json');
    if (sent.type !== 'template') {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047 } }));
      return;
    }
    res.end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.stub${received.length}` }] }));
  });
});
await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
const { port } = graph.address() as AddressInfo;

const config = whatsappConfig({
  baseUrl: `http://127.0.0.1:${port}`,
  phoneNumberId: '310987654321098',
  accessToken: 'example-token',
  appSecret: 'example-app-secret',
  verifyToken: 'example-verify',
});

// What Meta would POST: the shop writes in Devanagari, which Meta sends \u-escaped.
const escapeNonAscii = (json: string) =>
  json.replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const raw = Buffer.from(
  escapeNonAscii(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102540987654321',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '9779800000000', phone_number_id: config.phoneNumberId },
                contacts: [{ profile: { name: 'राम किराना' }, wa_id: '9779812345678' }],
                messages: [
                  {
                    from: '9779812345678',
                    id: 'wamid.example1',
                    timestamp: '1764980000',
                    type: 'text',
                    text: { body: 'चामल २ बोरा' },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  ),
);
const header = signBody(raw, config.appSecret);

const inbox = new InMemoryWebhookInbox(new InMemoryStore(), systemIds());
for (const attempt of ['first delivery', 'redelivery']) {
  if (!verifySignature(raw, header, config.appSecret)) throw new Error('signature refused');
  for (const event of parseDelivery(JSON.parse(raw.toString('utf8'))).events) {
    const { duplicate } = await inbox.record(inboxRecordOf(event, new Date()));
    console.log(`${attempt}: ${event.eventId} ${duplicate ? 'already in the inbox' : 'stored'}`);
  }
}
const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
if (verifySignature(reserialised, header, config.appSecret)) throw new Error('a re-serialised body passed');
console.log('the same JSON re-serialised is refused: the signature is of the bytes');

const sender = new WhatsAppCloudSender({
  config,
  rateLimiter: new InMemoryRateLimiter(systemClock, whatsappSendRatePolicy(config)),
});
const { providerMessageId } = await sender.send({
  kind: 'text',
  to: PhoneNumber.parse('+9779812345678'),
  text: 'Your order is ready to confirm.',
  fallbackTemplate: { template: 'order_update', language: 'en', parameters: ['KH-1042'] },
});
console.log(`sent ${received.map((r) => r.type).join(' → ')}: ${providerMessageId}`);
graph.close();
if (received.length !== 2 || received[1]?.type !== 'template') throw new Error('the fallback template was not sent');
