import type { UseCaseContext } from '../application/context.js';
import type { OrderRiskPolicy } from '../application/order-risk-policy.js';
import { unwrap } from '../application/outcome.js';
import { createUseCases } from '../application/use-cases.js';
import type { ProductInput } from '../catalog/product.js';
import type { VendorOfferInput } from '../catalog/vendor-offer.js';
import type { RetailerInput } from '../parties/retailer.js';
import type { VendorInput } from '../parties/vendor.js';
import type { Repositories } from '../ports/repositories.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import type { OrderId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { SeededRandom } from '../shared/seeded-random.js';
import { uniquePhone } from './builders.js';
import { deterministicIds } from './deterministic-ids.js';
import { createInMemoryPersistence, type InMemoryPersistence } from './in-memory-persistence.js';
import { ManualClock } from './manual-clock.js';
import { RecordingLogger } from './recording-logger.js';

export interface TestWorldOptions {
  /** Seed of the deterministic ids (default 1). */
  readonly seed?: number;
  /** ISO time the manual clock starts at; default `2026-02-01T06:00:00.000Z`, and it moves only when a test advances it. */
  readonly start?: string;
  /** The risk policy of `placeOrder`: allow everything (default), the stored rules (`'rules'`), or your own. */
  readonly risk?: OrderRiskPolicy | 'rules';
}

const DEFAULT_START = '2026-02-01T06:00:00.000Z';

/**
 * The whole core wired to in-memory adapters, with a manual clock fixed at `options.start`
 * (2026-02-01T06:00Z unless given): for use-case tests. `useCases` holds every use case
 * under its class name in camelCase; `given.*` registers ready-made data and throws on a
 * failure, so set-up stays one line.
 */
export function createTestWorld(options: TestWorldOptions = {}) {
  const clock = new ManualClock(options.start ?? DEFAULT_START);
  const ids = deterministicIds(clock, options.seed ?? 1);
  const persistence: InMemoryPersistence = createInMemoryPersistence(ids, clock);
  return { ...createWorldOn(persistence, options, clock, ids), persistence };
}

/** The same world over any storage (an adapter's repositories and unit of work). */
export function createWorldOn(
  storage: { readonly uow: UnitOfWork; readonly repos: Repositories },
  options: TestWorldOptions = {},
  clock = new ManualClock(options.start ?? DEFAULT_START),
  ids = deterministicIds(clock, options.seed ?? 1),
) {
  const logger = new RecordingLogger();
  // Seeded: a world's delivery codes are the same on every run and on every storage.
  const random = new SeededRandom(options.seed ?? 1);
  const ctx: UseCaseContext = { uow: storage.uow, repos: storage.repos, clock, ids, logger, random };
  const useCases = createUseCases(ctx, options);

  /** Ready-made catalog data with sensible defaults. */
  const given = {
    async retailer(overrides: Partial<RetailerInput> & { creditLimit?: Money; netTermsDays?: number } = {}) {
      return unwrap(
        await useCases.registerRetailer.execute({
          name: 'Sita Kirana Pasal',
          phone: uniquePhone(),
          area: 'kathmandu-10',
          district: 'kathmandu',
          status: 'ACTIVE',
          actor: SYSTEM_ACTOR,
          ...overrides,
        }),
      );
    },
    async vendor(overrides: Partial<VendorInput> = {}) {
      return unwrap(
        await useCases.registerVendor.execute({
          name: 'Bhatbhateni Distributors',
          phone: uniquePhone(),
          serviceAreas: ['kathmandu-10'],
          dailyCapacity: 100,
          actor: SYSTEM_ACTOR,
          ...overrides,
        }),
      );
    },
    async product(overrides: Partial<ProductInput> = {}) {
      const { product } = unwrap(
        await useCases.upsertProduct.execute({
          sku: `WAIWAI-${ids.next().slice(-6)}`,
          name: 'Wai Wai Noodles 75g',
          category: 'noodles',
          baseUnit: 'packet',
          conversions: [{ unit: 'carton', toBase: 30 }],
          aliases: [{ text: 'wai wai', language: 'ne-Latn' }],
          actor: SYSTEM_ACTOR,
          ...overrides,
        }),
      );
      return product;
    },
    async offer(input: Pick<VendorOfferInput, 'vendorId' | 'productId'> & Partial<VendorOfferInput>) {
      const { offer } = unwrap(
        await useCases.upsertVendorOffer.execute({
          unit: 'packet',
          unitPrice: Money.of(2_000),
          stockOnHand: 10_000,
          minOrderQty: 1,
          leadTimeHours: 24,
          actor: SYSTEM_ACTOR,
          ...input,
        }),
      );
      return offer;
    },
  };

  /** The code the shop was sent when the order was dispatched (what the driver must be told). */
  async function deliveryCode(orderId: OrderId): Promise<string> {
    const code = (await storage.repos.deliveries.get(orderId))?.code;
    if (!code) throw new Error(`order ${orderId} has no delivery code waiting`);
    return code;
  }

  return { clock, ids, logger, repos: storage.repos, ctx, useCases, given, deliveryCode };
}

export type TestWorld = ReturnType<typeof createTestWorld>;
