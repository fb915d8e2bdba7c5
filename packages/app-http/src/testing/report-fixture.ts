// Shared by the in-memory and the PostgreSQL report tests (excluded from the build).
import {
  Money,
  type OrderId,
  PhoneNumber,
  REPOSITORIES,
  type RetailerId,
  SYSTEM_ACTOR,
  USE_CASE_TOKENS,
  unwrap,
  type VendorId,
} from '@khaacho/core';
import * as assert from 'uvu/assert';
import type { Shop, TestApp } from './test-app.js';

/**
 * `retailer` orders `quantity` packets, the cheapest vendor accepts, dispatches and delivers:
 * an invoice of the order's total. Returns the order id and its total in paisa.
 */
export async function deliveredOrder(
  app: TestApp,
  shop: Shop,
  token: string,
  quantity: number,
): Promise<{ orderId: OrderId; total: number }> {
  const get = app.composition.get.bind(app.composition);
  const placed = await app.request('POST', '/api/v1/orders', {
    token,
    body: { lines: [{ sku: 'WAIWAI-75', quantity }] },
  });
  assert.is(placed.status, 201, JSON.stringify(placed.body));
  const orderId = placed.body.order.id as OrderId;
  const vendorId = shop.vendorId as VendorId;
  const uc = USE_CASE_TOKENS;
  unwrap(await get(uc.offerOrderToVendor).execute({ orderId, vendorId, actor: SYSTEM_ACTOR }));
  const actor = { type: 'vendor', id: vendorId } as const;
  unwrap(await get(uc.acceptVendorOffer).execute({ orderId, vendorId, actor }));
  unwrap(await get(uc.dispatchOrder).execute({ orderId, actor }));
  const code = (await get(REPOSITORIES).deliveries.get(orderId))?.code ?? null;
  unwrap(await get(uc.deliverOrder).execute({ orderId, actor, code }));
  return { orderId, total: placed.body.order.total.amount as number };
}

/** `count` more active retailers with credit accounts and nothing owed. */
export async function moreRetailers(app: TestApp, count: number): Promise<RetailerId[]> {
  const ids: RetailerId[] = [];
  for (let i = 0; i < count; i++) {
    const r = unwrap(
      await app.composition.get(USE_CASE_TOKENS.registerRetailer).execute({
        name: `Pasal ${i}`,
        phone: PhoneNumber.parse(`98420${String(i).padStart(5, '0')}`),
        area: 'kathmandu-10',
        district: 'kathmandu',
        creditLimit: Money.parse('1000'),
        status: 'ACTIVE',
        actor: SYSTEM_ACTOR,
      }),
    );
    ids.push(r.id);
  }
  return ids;
}

/** RFC 4180 enough for our own output: quoted cells may hold commas, quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** CSV rows as records keyed by the header, the JSON rows as the same text cells. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  assert.ok(header, 'a header row');
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export function asCells(row: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
