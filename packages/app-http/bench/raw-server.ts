/*
 * The baseline, in its own process: bare Koa routes issuing, on a bare `pg` pool of the API's
 * size (10), the statements the API issues for the same request (captured from the API's pg
 * client, in the same order), with nothing around them: no authentication (the user row is
 * still read, as the API does), no validation, no ORM, no domain objects, no logging, and the
 * idempotency claim, the order and the idempotency answer in ONE transaction where the API
 * uses three. Pricing is the cheapest offer per line, summed here.
 *   POST /orders { retailerId, userId, key, lines: [{ sku, quantity, unit }] }
 *   GET  /orders?retailerId=&userId=&limit=20
 */
import { createHash, randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import pg from 'pg';
import type { ServerReady } from './protocol.js';
import { measurementWindow } from './server-window.ts';

interface Line {
  readonly sku: string;
  readonly quantity: number;
  readonly unit: string;
}
interface PlaceBody {
  readonly retailerId: string;
  readonly userId: string;
  readonly key: string;
  readonly lines: readonly Line[];
}

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.KHAACHO_DB_POOL_MAX ?? 10),
});
const window = measurementWindow(
  () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  pool.options.max,
);
const koa = new Koa();
koa.use(bodyParser({ enableTypes: ['json'] }));
koa.use(async (ctx) => {
  if (ctx.method === 'POST' && ctx.path === '/orders') {
    ctx.status = 201;
    ctx.body = await place(ctx.request.body as PlaceBody);
  } else if (ctx.method === 'GET' && ctx.path === '/orders') {
    const { retailerId, userId, limit } = ctx.query as Record<string, string>;
    await pool.query('select * from users where id = $1', [userId]);
    const { rows } = await pool.query(LIST_SQL, [retailerId, Number(limit ?? 20) + 1]);
    ctx.body = { items: rows.slice(0, Number(limit ?? 20)) };
  }
});

const LIST_SQL = `select o.*,
  (select json_agg(json_build_object('productId', i.product_id, 'sku', i.sku, 'name', i.name, 'qty', i.quantity_milli,
     'unit', i.unit, 'price', i.unit_price, 'priceUnit', i.price_unit, 'total', i.line_total, 'currency', i.currency)
     order by i.line_no) from order_items i where i.order_id = o.id) as items,
  (select json_agg(json_build_object('from', l.from_status, 'to', l.to_status, 'actorType', l.actor_type,
     'actorId', l.actor_id, 'reason', l.reason, 'at', l.at) order by l.seq) from order_status_log l where l.order_id = o.id) as log,
  (select json_agg(json_build_object('attempt', a.attempt, 'vendorId', a.vendor_id, 'offeredAt', a.offered_at,
     'deadline', a.deadline, 'outcome', a.outcome, 'respondedAt', a.responded_at, 'reason', a.reason, 'manual', a.manual)
     order by a.attempt) from routing_attempts a where a.order_id = o.id) as attempts
  from orders o where o.retailer_id = $1 order by o.placed_at desc, o.id desc limit $2`;

async function place(body: PlaceBody): Promise<unknown> {
  await pool.query('select * from users where id = $1', [body.userId]);
  const client = await pool.connect();
  try {
    const now = new Date();
    const scope = `${body.userId}:placeOrder`;
    await client.query('begin');
    const fingerprint = createHash('sha256').update(JSON.stringify(body.lines)).digest('hex');
    await client.query(
      `insert into idempotency_keys (scope, key, fingerprint, lease_until, created_at) values ($1, $2, $3, $4, $5)
       on conflict (scope, key) do nothing`,
      [scope, body.key, fingerprint, new Date(now.getTime() + 60_000), now],
    );
    const { rows: retailer } = await client.query('select * from retailers where id = $1', [body.retailerId]);
    const { rows: products } = await client.query(
      `select p.*, coalesce((select json_agg(json_build_object('text', a.text, 'language', a.language) order by a.position)
         from product_aliases a where a.product_id = p.id), '[]'::json) as aliases from products p where p.sku = any($1::text[]) order by p.sku`,
      [body.lines.map((l) => l.sku)],
    );
    const { rows: offers } = await client.query(
      'select * from vendor_offers where product_id = any($1::uuid[]) and active order by product_id, vendor_id',
      [products.map((p) => p.id)],
    );
    await client.query(
      `select * from vendors where status = 'ACTIVE' and service_areas @> array[$1::text] order by id`,
      [retailer[0]?.area],
    );
    await client.query('select 1 from credit_accounts where retailer_id = $1 for update', [body.retailerId]);
    await client.query(
      `select a.*, (select json_agg(json_build_object('entryId', i.entry_id, 'orderId', i.order_id, 'type', i.type,
         'original', i.original, 'remaining', i.remaining, 'issuedAt', i.issued_at, 'dueAt', i.due_at, 'sequence', i.sequence)
         order by i.sequence) from credit_open_items i where i.retailer_id = a.retailer_id) as open_items,
       (select json_agg(json_build_object('entryId', h.entry_id, 'orderId', h.order_id, 'amount', h.amount, 'placedAt', h.placed_at)
         order by h.sequence) from credit_holds h where h.retailer_id = a.retailer_id) as holds
       from credit_accounts a where a.retailer_id = $1`,
      [body.retailerId],
    );
    const { rows: seq } = await client.query(`select nextval('order_number_seq') as n`);
    await client.query(
      'select coalesce(sum(total_amount), 0) as total from orders where retailer_id = $1 and currency = $2 and status = any($3::text[])',
      [body.retailerId, 'NPR', ['PENDING', 'ON_HOLD', 'ROUTING']],
    );
    const bySku = new Map(products.map((p) => [p.sku as string, p]));
    const lines = body.lines.map((line) => {
      const product = bySku.get(line.sku);
      const cheapest = offers
        .filter((o) => o.product_id === product?.id)
        .reduce((a, b) => (Number(b.unit_price) < Number(a.unit_price) ? b : a));
      const perCarton = Number(cheapest.unit_price) * 30; // the bench's offers are per packet, 30 to a carton
      return { product, line, price: perCarton, total: perCarton * line.quantity };
    });
    const total = lines.reduce((sum, l) => sum + l.total, 0);
    const id = randomUUID();
    const number = `KH-${String(seq[0]?.n).padStart(6, '0')}`;
    await client.query(
      `insert into orders (id, number, retailer_id, vendor_id, status, total_amount, currency, source, note, placed_at,
         updated_at, needs_manual_assignment, paid_in_full, offer_deadline, confirmed_at, version)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1)`,
      [id, number, body.retailerId, null, 'ROUTING', total, 'NPR', 'api', null, now, now, false, false, null, null],
    );
    await client.query(
      `insert into order_items (order_id, line_no, product_id, sku, name, quantity_milli, unit, unit_price, price_unit,
         line_total, currency)
       select $1, t.ord, t.product_id, t.sku, t.name, t.qty, t.unit, t.price, t.price_unit, t.total, t.currency
       from unnest($2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::text[], $9::bigint[], $10::text[])
         with ordinality as t(product_id, sku, name, qty, unit, price, price_unit, total, currency, ord)`,
      [
        id,
        lines.map((l) => l.product.id),
        lines.map((l) => l.product.sku),
        lines.map((l) => l.product.name),
        lines.map((l) => l.line.quantity * 1000),
        lines.map((l) => l.line.unit),
        lines.map((l) => l.price),
        lines.map((l) => l.line.unit),
        lines.map((l) => l.total),
        lines.map(() => 'NPR'),
      ],
    );
    await client.query(
      `insert into order_status_log (order_id, seq, from_status, to_status, actor_type, actor_id, reason, at)
       select $1, t.ord, t.from_status, t.to_status, t.actor_type, t.actor_id, t.reason, t.at
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
         with ordinality as t(from_status, to_status, actor_type, actor_id, reason, at, ord)
       on conflict (order_id, seq) do nothing`,
      [
        id,
        [null, 'PENDING'],
        ['PENDING', 'ROUTING'],
        ['retailer', 'system'],
        [body.retailerId, null],
        [null, 'credit and risk checks passed'],
        [now, now],
      ],
    );
    const order = {
      id,
      number,
      retailerId: body.retailerId,
      status: 'ROUTING',
      lines: lines.map((l) => ({
        sku: l.product.sku,
        quantity: l.line.quantity,
        unitPrice: l.price,
        lineTotal: l.total,
      })),
      total: { amount: total, currency: 'NPR' },
      placedAt: now,
    };
    const payload = JSON.stringify(order);
    await client.query(
      `insert into outbox (id, event_type, aggregate_type, aggregate_id, payload, occurred_at, created_at, available_at, attempts)
       select t.id, t.event_type, t.aggregate_type, t.aggregate_id, t.payload, t.occurred_at, t.occurred_at, t.occurred_at, 0
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])
         with ordinality as t(id, event_type, aggregate_type, aggregate_id, payload, occurred_at, ord) order by t.ord`,
      [
        [randomUUID(), randomUUID()],
        ['order.placed', 'order.status_changed'],
        ['order', 'order'],
        [id, id],
        [payload, JSON.stringify({ from: 'PENDING', to: 'ROUTING' })],
        [now, now],
      ],
    );
    const answer = { order, reasons: [] };
    await client.query(
      `update idempotency_keys set response_status = $3, response_body = $4::jsonb, lease_until = null, completed_at = $5
       where scope = $1 and key = $2`,
      [scope, body.key, 201, JSON.stringify(answer), now],
    );
    await client.query('commit');
    return answer;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

const server = koa.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ url: `http://127.0.0.1:${port}`, pid: process.pid } satisfies ServerReady);
});
process.on('message', (message) => {
  if (message === 'window-start') {
    window.start();
    process.send?.('window');
    return;
  }
  if (message === 'window-stop') {
    process.send?.(JSON.stringify(window.stop()));
    return;
  }
  if (message !== 'stop') return;
  server.close(() => {
    pool.end().then(() => process.exit(0));
  });
  server.closeAllConnections();
});
