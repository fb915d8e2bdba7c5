/*
 * The load generator for the webhook bench, in its own process: autocannon, one delivery per
 * request with a unique message id (a realistic stream: every event is new to the inbox),
 * signed here with the app secret as Meta signs it. Spec in and figures out over IPC.
 */
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';

interface Spec {
  readonly url: string;
  readonly path: string;
  readonly connections: number;
  readonly seconds: number;
  readonly secret: string;
  /** Status callbacks added to each delivery after its message (default 0): a large delivery. */
  readonly statuses?: number;
}

process.once('message', async (spec: Spec) => {
  const run = `${process.pid}x${Date.now().toString(36)}`;
  let n = 0;
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    const i = n++;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102540987654321',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '9779800000000', phone_number_id: '310987654321098' },
                contacts: [{ profile: { name: 'राम किराना' }, wa_id: '9779812345678' }],
                ...(spec.statuses
                  ? {
                      statuses: Array.from({ length: spec.statuses }, (_, k) => ({
                        id: `wamid.out.${run}.${i}.${k}`,
                        status: 'delivered',
                        timestamp: '1764980001',
                        recipient_id: '9779812345678',
                      })),
                    }
                  : {}),
                messages: [
                  {
                    from: '9779812345678',
                    id: `wamid.bench.${run}.${i}`,
                    timestamp: '1764980000',
                    type: 'text',
                    text: { body: 'chamal 2 bora, tel 1 peti 🙏' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', spec.secret).update(body).digest('hex')}`;
    return {
      ...request,
      method: 'POST',
      path: spec.path,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    };
  };
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    requests: [{ setupRequest }],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  process.send?.({
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
    statuses,
  });
  process.disconnect();
});
