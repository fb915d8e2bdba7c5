/*
 * The load generator, in its own process (so its CPU is not the server's): autocannon against
 * one target, spec in over IPC, figures out over IPC. Requests go round-robin over the shops:
 * one shop's orders serialise on its credit account by design, in the API and the baseline alike.
 */
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './protocol.js';

// Loaded and listening: the orchestrator reads the server's counters now, then sends the spec,
// so the measured window holds the run and not this process's start (seconds on busy cores).
process.send?.('ready');
process.once('message', async (spec: LoadSpec) => {
  const { shops, skus } = spec.world;
  const run = `${process.pid}-${Date.now().toString(36)}`;
  let n = 0;
  const lines = skus.map((sku) => ({ sku, quantity: 2, unit: 'carton' }));
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    const i = n++;
    const shop = shops[i % shops.length] as (typeof shops)[number];
    const key = `bench-${run}-${i}`;
    switch (spec.kind) {
      case 'intake-api':
        return {
          ...request,
          method: 'POST',
          path: '/api/v1/orders',
          headers: {
            authorization: `Bearer ${shop.token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify({ lines }),
        };
      case 'intake-raw':
        return {
          ...request,
          method: 'POST',
          path: '/orders',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ retailerId: shop.retailerId, userId: shop.userId, key, lines }),
        };
      case 'read-api':
        return {
          ...request,
          method: 'GET',
          path: '/api/v1/orders?limit=20',
          headers: { authorization: `Bearer ${shop.token}` },
        };
      case 'read-raw':
        return {
          ...request,
          method: 'GET',
          path: `/orders?retailerId=${shop.retailerId}&userId=${shop.userId}&limit=20`,
        };
    }
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
  const ok = result['2xx'];
  process.send?.({
    requests: result.requests.total,
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  } satisfies LoadResult);
  process.disconnect();
});
