import type { IdGenerator } from '@khaacho/core';
import type pg from 'pg';

/**
 * The statements PlaceOrder issues through the adapter, hand-written on a bare pg pool:
 * the baseline the adapter's overhead (MikroORM transaction handling, Kysely, mapping,
 * domain objects) is measured against. No domain logic beyond summing the lines.
 */
export async function rawPlaceOrder(
  pool: pg.Pool,
  input: { retailerId: string; productIds: readonly string[]; ids: IdGenerator },
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows: retailers } = await client.query('select * from retailers where id = $1', [input.retailerId]);
    const area = retailers[0]?.area as string;
    await client.query(
      `select p.*, coalesce((select json_agg(json_build_object('text', a.text, 'language', a.language) order by a.position)
         from product_aliases a where a.product_id = p.id), '[]'::json) as aliases from products p where p.id = any($1::uuid[])`,
      [input.productIds],
    );
    const { rows: offers } = await client.query(
      'select * from vendor_offers where product_id = any($1::uuid[]) and active order by product_id, vendor_id',
      [input.productIds],
    );
    await client.query(
      `select * from vendors where status = 'ACTIVE' and service_areas @> array[$1::text] order by id`,
      [area],
    );
    await client.query('select 1 from credit_accounts where retailer_id = $1 for update', [input.retailerId]);
    await client.query(
      `select a.*, (select json_agg(i.*) from credit_open_items i where i.retailer_id = a.retailer_id) as open_items,
         (select json_agg(h.*) from credit_holds h where h.retailer_id = a.retailer_id) as holds
       from credit_accounts a where a.retailer_id = $1`,
      [input.retailerId],
    );
    const { rows: seq } = await client.query(`select nextval('order_number_seq') as n`);
    await client.query(
      `select coalesce(sum(total_amount), 0) from orders where retailer_id = $1 and currency = 'NPR'
         and status = any('{PENDING,ON_HOLD,ROUTING}'::text[])`,
      [input.retailerId],
    );
    const id = input.ids.next();
    const now = new Date();
    const price = Number(offers[0]?.unit_price ?? 2500);
    const total = price * 2 * input.productIds.length;
    await client.query(
      `insert into orders (id, number, retailer_id, vendor_id, status, total_amount, currency, source, note, placed_at,
         updated_at, needs_manual_assignment, paid_in_full, offer_deadline, confirmed_at, version)
       values ($1, $2, $3, null, 'ROUTING', $4, 'NPR', 'api', null, $5, $5, false, false, null, null, 1)`,
      [id, `KH-${String(seq[0]?.n).padStart(6, '0')}`, input.retailerId, total, now],
    );
    await client.query(
      `insert into order_items (order_id, line_no, product_id, sku, name, quantity_milli, unit, unit_price, price_unit,
         line_total, currency)
       select $1, t.ord, t.pid, 'SKU', 'name', 2000, 'packet', $3::bigint, 'packet', $3::bigint * 2, 'NPR'
       from unnest($2::uuid[]) with ordinality as t(pid, ord)`,
      [id, input.productIds, price],
    );
    await client.query(
      `insert into order_status_log (order_id, seq, from_status, to_status, actor_type, actor_id, reason, at)
       values ($1, 1, null, 'PENDING', 'system', null, null, $2), ($1, 2, 'PENDING', 'ROUTING', 'system', null, 'ok', $2)
       on conflict do nothing`,
      [id, now],
    );
    await client.query(
      `insert into outbox (id, event_type, aggregate_type, aggregate_id, payload, occurred_at, created_at, available_at, attempts)
       values ($1, 'order.placed', 'order', $3, $4::jsonb, $5, $5, $5, 0), ($2, 'order.status_changed', 'order', $3, $4::jsonb, $5, $5, $5, 0)`,
      [input.ids.next(), input.ids.next(), id, JSON.stringify({ total, retailerId: input.retailerId }), now],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
