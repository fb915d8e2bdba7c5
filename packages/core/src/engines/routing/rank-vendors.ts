import type { Product } from '../../catalog/product.js';
import type { VendorOffer } from '../../catalog/vendor-offer.js';
import type { Vendor } from '../../parties/vendor.js';
import { distanceKm, normalizeArea } from '../../shared/geo.js';
import type { ProductId, VendorId } from '../../shared/ids.js';
import { Money } from '../../shared/money.js';
import { smoothReliability } from '../performance/vendor-reliability.js';
import { byScoreDescThenId, clamp01, compareStrings, roundTo, weightedMean } from '../shared/stats.js';
import { type LineCoverage, vendorLineCoverage } from './line-coverage.js';
import type { ExcludedVendor, RoutingCandidate, RoutingDecision, UncoveredLine } from './routing-decision.js';
import {
  DEFAULT_ROUTING_OPTIONS,
  type RoutingInput,
  type RoutingOptions,
  type RoutingWeights,
  resolveRoutingWeights,
} from './routing-input.js';

interface Eligible {
  readonly vendor: Vendor;
  readonly lines: readonly LineCoverage[];
  readonly confirmedToday: number;
}

/**
 * Rank the vendors that can take this order. Pure and deterministic: equal scores are
 * ordered by vendor id. Excluded vendors (inactive, outside the area, already tried, at
 * capacity, no matching offer) are listed with their reason and never ranked.
 */
export function rankVendors(
  input: RoutingInput,
  weights: Partial<RoutingWeights> = {},
  options: Partial<RoutingOptions> = {},
): RoutingDecision {
  const w = resolveRoutingWeights(weights);
  const opts = { ...DEFAULT_ROUTING_OPTIONS, ...options };
  const products = new Map<ProductId, Product>(input.products.map((p) => [p.id, p]));
  const offersByVendor = groupOffers(input.offers);
  const tried = new Set(input.triedVendorIds);
  const area = normalizeArea(input.retailer.area);
  const vendors = dedupe(input.vendors);

  const excluded: ExcludedVendor[] = [];
  const eligible: Eligible[] = [];
  for (const vendor of vendors) {
    const confirmedToday = input.confirmedToday.get(vendor.id) ?? 0;
    const exclude = (reason: ExcludedVendor['reason'], detail: string): void => {
      excluded.push({ vendorId: vendor.id, reason, detail });
    };
    if (vendor.status !== 'ACTIVE') exclude('INACTIVE', `vendor is ${vendor.status}`);
    else if (!vendor.serviceAreas.includes(area)) exclude('OUTSIDE_AREA', `does not serve ${area}`);
    else if (tried.has(vendor.id)) exclude('ALREADY_TRIED', 'already offered this order');
    else if (confirmedToday >= vendor.dailyCapacity) {
      exclude('AT_CAPACITY', `${confirmedToday} of ${vendor.dailyCapacity} orders confirmed today`);
    } else {
      const lines = vendorLineCoverage(input.lines, offersByVendor.get(vendor.id) ?? [], products);
      if (!lines.some((l) => l.offered)) exclude('NO_MATCHING_OFFERS', 'no active offer for any line');
      else eligible.push({ vendor, lines, confirmedToday });
    }
  }

  const lineWeights = lineValueWeights(input);
  const cheapest = cheapestCostPerLine(eligible, input.lines.length);
  const scored = eligible.map((e) => scoreCandidate(e, input, w, opts, lineWeights, cheapest));
  scored.sort((a, b) => {
    if (opts.preferFullCoverage && a.fullCoverage !== b.fullCoverage) return a.fullCoverage ? -1 : 1;
    return byScoreDescThenId<RoutingCandidate>(
      (c) => c.score,
      (c) => c.vendorId,
    )(a, b);
  });
  const candidates = scored.map((c, i) => ({ ...c, rank: i + 1 }));
  const selected = candidates[0] ?? null;
  const lineRef = (i: number): UncoveredLine => {
    const line = input.lines[i];
    return { lineIndex: i, productId: line?.productId as ProductId, sku: line?.sku ?? '' };
  };
  const allIndexes = input.lines.map((_, i) => i);
  return {
    orderId: input.orderId,
    decidedAt: input.asOf,
    weights: w,
    selectedVendorId: selected?.vendorId ?? null,
    candidates,
    excluded: excluded.sort((a, b) => compareStrings(a.vendorId, b.vendorId)),
    fullCoverage: candidates.some((c) => c.fullCoverage),
    uncoveredLines: (selected ? selected.uncoveredLineIndexes : allIndexes).map(lineRef),
    linesCoveredByNoCandidate: allIndexes.filter((i) => !eligible.some((e) => e.lines[i]?.covered)).map(lineRef),
  };
}

function scoreCandidate(
  e: Eligible,
  input: RoutingInput,
  w: RoutingWeights,
  opts: RoutingOptions,
  lineWeights: readonly number[],
  cheapest: readonly (Money | null)[],
): RoutingCandidate {
  const offered = e.lines.filter((l) => l.offered);
  // Price: per offered line, half "vs the cheapest candidate" and half "vs the price quoted to the retailer".
  const price =
    weightedMean(
      offered.map((l) => {
        const cost = l.cost as Money;
        const quoted = input.lines[l.lineIndex]?.lineTotal ?? cost;
        const low = cheapest[l.lineIndex] ?? cost;
        const vsCheapest = cost.isZero() ? 1 : clamp01(low.amount / cost.amount);
        const vsQuote = cost.isZero() ? 1 : clamp01(quoted.amount / cost.amount);
        return { value: 0.5 * vsCheapest + 0.5 * vsQuote, weight: lineWeights[l.lineIndex] ?? 1 };
      }),
    ) ?? 0;
  // Coverage: half the share of lines fully covered, half the value-weighted share of quantity in stock.
  const covered = e.lines.filter((l) => l.covered).length;
  const fill = weightedMean(e.lines.map((l) => ({ value: l.fill, weight: lineWeights[l.lineIndex] ?? 1 }))) ?? 0;
  const coverage = 0.5 * (e.lines.length > 0 ? covered / e.lines.length : 0) + 0.5 * fill;
  const rel = input.reliability?.get(e.vendor.id);
  const reliability = clamp01(smoothReliability(rel, input.reliabilityPrior));
  const from = input.retailer.location;
  const to = e.vendor.location;
  const km = from && to ? distanceKm(from, to) : null;
  const distance = km === null ? opts.neutralDistance : 1 / (1 + km / opts.distanceHalfKm);
  const load = clamp01(1 - e.confirmedToday / e.vendor.dailyCapacity);
  const factors = {
    price: roundTo(price, 6),
    coverage: roundTo(coverage, 6),
    reliability: roundTo(reliability, 6),
    distance: roundTo(distance, 6),
    load: roundTo(load, 6),
  };
  const score =
    factors.price * w.price +
    factors.coverage * w.coverage +
    factors.reliability * w.reliability +
    factors.distance * w.distance +
    factors.load * w.load;
  const currency = input.lines[0]?.lineTotal.currency ?? 'NPR';
  return {
    rank: 0,
    vendorId: e.vendor.id,
    score: roundTo(score, 6),
    factors,
    fullCoverage: covered === e.lines.length && e.lines.length > 0,
    coveredLines: covered,
    uncoveredLineIndexes: e.lines.filter((l) => !l.covered).map((l) => l.lineIndex),
    estimatedCost: offered.reduce((acc, l) => acc.add(l.cost as Money), Money.zero(currency)),
    distanceKm: km === null ? null : roundTo(km, 3),
    confirmedToday: e.confirmedToday,
    dailyCapacity: e.vendor.dailyCapacity,
    reliabilitySamples: rel?.score == null ? 0 : rel.sampleSize,
  };
}

/** Lines weigh by their quoted value; when every line is free, equally. */
function lineValueWeights(input: RoutingInput): number[] {
  const values = input.lines.map((l) => Math.max(0, l.lineTotal.amount));
  return values.every((v) => v === 0) ? values.map(() => 1) : values;
}

function cheapestCostPerLine(eligible: readonly Eligible[], lineCount: number): (Money | null)[] {
  const out: (Money | null)[] = Array.from({ length: lineCount }, () => null);
  for (const e of eligible) {
    for (const l of e.lines) {
      if (!l.cost) continue;
      const current = out[l.lineIndex];
      out[l.lineIndex] = current ? current.min(l.cost) : l.cost;
    }
  }
  return out;
}

function groupOffers(offers: readonly VendorOffer[]): Map<VendorId, VendorOffer[]> {
  const map = new Map<VendorId, VendorOffer[]>();
  for (const o of offers) map.set(o.vendorId, [...(map.get(o.vendorId) ?? []), o]);
  return map;
}

function dedupe(vendors: readonly Vendor[]): Vendor[] {
  const byId = new Map<VendorId, Vendor>();
  for (const v of vendors) if (!byId.has(v.id)) byId.set(v.id, v);
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}
