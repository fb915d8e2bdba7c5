import type { VendorReliability } from '../engines/performance/vendor-reliability.js';
import type { Cache } from '../ports/cache.js';
import type { JsonValue } from '../shared/domain-event.js';
import type { VendorId } from '../shared/ids.js';
import { type Token, token } from '../shared/token.js';

/** What routing reads of a vendor's reliability. */
export type RoutingReliability = Pick<VendorReliability, 'score' | 'sampleSize'>;

export const DEFAULT_RELIABILITY_TTL_MS = 60_000;
const SCHEMA = 'routing:v1:reliability';

/**
 * A vendor's reliability for routing, kept for a short while (default a minute).
 *
 * Reliability is a smoothed statistic over 90 days of offers, deliveries and ratings;
 * computing it reads every one of those rows for each candidate, on every routing, so its
 * cost grew with the history (it dominated the worker's CPU, memory and lag under load).
 * A minute-old value moves a ranking by a rounding error: a vendor's answers of the last
 * minute weigh nothing against its quarter. Prices, stock and capacity are not in here.
 * A cache miss or outage computes, never fails.
 */
export class ReliabilityCache {
  private readonly ttlMs: number;

  constructor(
    private readonly cache: Cache,
    options: { readonly ttlMs?: number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_RELIABILITY_TTL_MS;
  }

  /** Each vendor's reliability, from the cache or, for the rest, from one call to `compute`. */
  async lookup(
    vendorIds: readonly VendorId[],
    compute: (missing: readonly VendorId[]) => Promise<ReadonlyMap<VendorId, RoutingReliability>>,
  ): Promise<Map<VendorId, RoutingReliability>> {
    const unique = [...new Set(vendorIds)];
    const hits = await Promise.all(unique.map(async (id) => decode(await this.cache.get<JsonValue>(key(id)))));
    const out = new Map<VendorId, RoutingReliability>();
    const missing: VendorId[] = [];
    unique.forEach((id, i) => {
      const hit = hits[i];
      if (hit) out.set(id, hit);
      else missing.push(id);
    });
    if (missing.length === 0) return out;
    const computed = await compute(missing);
    await Promise.all(
      missing.map((id) => {
        // A vendor with no history has no report: remembered as "no evidence", as routing reads it.
        const r = computed.get(id) ?? { score: null, sampleSize: 0 };
        out.set(id, { score: r.score, sampleSize: r.sampleSize });
        return this.cache.set(key(id), { score: r.score, sampleSize: r.sampleSize }, this.ttlMs);
      }),
    );
    return out;
  }
}

export const RELIABILITY_CACHE: Token<ReliabilityCache> = token('ReliabilityCache');

function key(vendorId: VendorId): string {
  return `${SCHEMA}:${vendorId}`;
}

function decode(v: JsonValue | null): RoutingReliability | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const { score, sampleSize } = v;
  if (!(score === null || (typeof score === 'number' && Number.isFinite(score)))) return null;
  if (typeof sampleSize !== 'number' || !Number.isFinite(sampleSize)) return null;
  return { score, sampleSize };
}
