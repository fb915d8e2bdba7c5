import type { OrderSnapshot } from '../../order/order.js';
import { ORDER_STATUSES, type OrderStatus } from '../../order/order-status.js';
import type { ProductId, VendorId } from '../../shared/ids.js';
import { type CurrencyCode, Money } from '../../shared/money.js';
import { divideMoney } from '../shared/money-stats.js';
import { purchaseVolumeReport } from './purchase-volume-report.js';
import { countsAsGmv, inPeriod, type ReportPeriod } from './report-period.js';

export interface TopProduct {
  readonly productId: ProductId;
  readonly sku: string;
  readonly value: Money;
  readonly orderCount: number;
}

export interface TopVendor {
  readonly vendorId: VendorId;
  readonly value: Money;
  readonly orderCount: number;
}

export interface DashboardReport {
  readonly period: ReportPeriod;
  /** Orders placed in the period by current status (every status present, zero-filled). */
  readonly ordersByStatus: Readonly<Record<OrderStatus, number>>;
  readonly orderCount: number;
  /** Value of orders a vendor committed to (CONFIRMED onwards). */
  readonly gmv: Money;
  readonly gmvOrderCount: number;
  /** gmv / gmvOrderCount, half-up; zero without GMV orders. */
  readonly averageOrderValue: Money;
  /** Retailers with at least one order placed in the period that was not rejected. */
  readonly activeRetailers: number;
  readonly topProducts: readonly TopProduct[];
  readonly topVendors: readonly TopVendor[];
}

/** Headline figures for the operator dashboard. */
export function dashboardReport(
  orders: readonly OrderSnapshot[],
  period: ReportPeriod,
  options: { readonly top?: number; readonly currency?: CurrencyCode } = {},
): DashboardReport {
  const top = options.top ?? 5;
  const currency = options.currency ?? 'NPR';
  const placed = orders.filter((o) => inPeriod(o.placedAt, period));
  const byStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const o of placed) byStatus[o.status] += 1;
  const gmvOrders = placed.filter((o) => countsAsGmv(o) && o.total.currency === currency);
  const gmv = gmvOrders.reduce((acc, o) => acc.add(o.total), Money.zero(currency));
  return {
    period,
    ordersByStatus: byStatus,
    orderCount: placed.length,
    gmv,
    gmvOrderCount: gmvOrders.length,
    averageOrderValue: divideMoney(gmv, gmvOrders.length),
    activeRetailers: new Set(placed.filter((o) => o.status !== 'REJECTED').map((o) => o.retailerId)).size,
    topProducts: purchaseVolumeReport(orders, period, 'product', currency)
      .slice(0, top)
      .map((r) => ({ productId: r.key as ProductId, sku: r.label ?? '', value: r.value, orderCount: r.orderCount })),
    topVendors: purchaseVolumeReport(orders, period, 'vendor', currency)
      .slice(0, top)
      .map((r) => ({ vendorId: r.key as VendorId, value: r.value, orderCount: r.orderCount })),
  };
}
