import type { OrderSnapshot } from '../../order/order.js';
import { type CurrencyCode, Money } from '../../shared/money.js';
import type { Unit } from '../../shared/quantity.js';
import { compareStrings } from '../shared/stats.js';
import { countsAsGmv, inPeriod, type ReportPeriod } from './report-period.js';

export type PurchaseVolumeGrouping = 'retailer' | 'vendor' | 'product';

export interface PurchaseVolumeRow {
  /** Retailer, vendor or product id. */
  readonly key: string;
  /** Product grouping: the sku; otherwise null. */
  readonly label: string | null;
  readonly orderCount: number;
  readonly lineCount: number;
  readonly value: Money;
  /** Product grouping: quantity per unit ordered (units are not mixed); otherwise empty. */
  readonly quantities: readonly { readonly unit: Unit; readonly value: number }[];
}

/**
 * Purchase volume over the period (orders placed in [from, to) that a vendor committed
 * to), grouped by retailer, vendor or product. Largest value first, ties by key.
 */
export function purchaseVolumeReport(
  orders: readonly OrderSnapshot[],
  period: ReportPeriod,
  groupBy: PurchaseVolumeGrouping,
  currency: CurrencyCode = 'NPR',
): PurchaseVolumeRow[] {
  interface Acc {
    label: string | null;
    orders: Set<string>;
    lines: number;
    value: Money;
    quantities: Map<Unit, number>;
  }
  const groups = new Map<string, Acc>();
  const acc = (key: string, label: string | null): Acc => {
    let g = groups.get(key);
    if (!g) {
      g = { label, orders: new Set(), lines: 0, value: Money.zero(currency), quantities: new Map() };
      groups.set(key, g);
    }
    return g;
  };
  for (const o of orders) {
    if (!countsAsGmv(o) || !inPeriod(o.placedAt, period) || o.total.currency !== currency) continue;
    if (groupBy === 'product') {
      for (const line of o.lines) {
        const g = acc(line.productId, line.sku);
        g.orders.add(o.id);
        g.lines += 1;
        g.value = g.value.add(line.lineTotal);
        const u = line.quantity.unit;
        // Sum in thousandths to stay exact, convert back once.
        g.quantities.set(u, (g.quantities.get(u) ?? 0) + line.quantity.milli);
      }
      continue;
    }
    const key = groupBy === 'retailer' ? o.retailerId : o.vendorId;
    if (!key) continue;
    const g = acc(key, null);
    g.orders.add(o.id);
    g.lines += o.lines.length;
    g.value = g.value.add(o.total);
  }
  return [...groups.entries()]
    .map(([key, g]) => ({
      key,
      label: g.label,
      orderCount: g.orders.size,
      lineCount: g.lines,
      value: g.value,
      quantities: [...g.quantities.entries()]
        .sort((a, b) => compareStrings(a[0], b[0]))
        .map(([unit, milli]) => ({ unit, value: milli / 1000 })),
    }))
    .sort((a, b) => b.value.compare(a.value) || compareStrings(a.key, b.key));
}
