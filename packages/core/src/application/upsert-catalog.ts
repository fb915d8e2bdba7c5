import type { CatalogPart } from '../caching/catalog-cache.js';
import { createProduct, type Product, type ProductInput } from '../catalog/product.js';
import { createVendorOffer, priceChangeOf, type VendorOffer, type VendorOfferInput } from '../catalog/vendor-offer.js';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import type { OfferChanged } from '../events/registry-events.js';
import type { Actor } from '../shared/domain-event.js';
import { DomainError, ErrorCodes, ValidationError } from '../shared/errors.js';
import type { ProductId, VendorOfferId } from '../shared/ids.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import { persist, type UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';

export interface UpsertProductCommand extends ProductInput {
  /** Staff or the system (imports, seeds): the catalog is curated, not open to parties. */
  readonly actor: Actor;
}

export interface UpsertVendorOfferCommand extends VendorOfferInput {
  /** The vendor itself, staff, or the system. */
  readonly actor: Actor;
}

/** Create a product, or update the one with the same SKU. */
export class UpsertProduct {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    command: UpsertProductCommand,
  ): Promise<Outcome<{ product: Product; created: boolean; changed: boolean }, FailureCode<typeof UpsertProduct>>> {
    checkCommand(command);
    const actor = checkActor(command.actor);
    const { actor: _actor, ...input } = command;
    const now = this.ctx.clock.now();
    const outcome = await runUseCase(UpsertProduct.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          if (actor.type === 'retailer' || actor.type === 'vendor') {
            throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'only staff may change the catalog', {
              actor: actor.type,
            });
          }
          const probe = createProduct(input, this.ctx.ids.next() as ProductId, now);
          const existing = await tx.products.getBySku(probe.sku);
          const product = existing ? createProduct(input, existing.id, now, existing) : probe;
          // The same product again (a re-imported file, a repeated seed): nothing to write or announce.
          if (existing && sameProduct(existing, product)) return { product: existing, created: false, changed: false };
          await tx.products.save(product);
          await persist(tx, {
            events: [
              existing
                ? domainEvent(EventTypes.PRODUCT_UPDATED, product.id, now, { sku: product.sku })
                : domainEvent(EventTypes.PRODUCT_CREATED, product.id, now, { sku: product.sku }),
            ],
          });
          return { product, created: !existing, changed: true };
        },
        { label: 'upsert-product' },
      ),
    );
    if (outcome.ok) await forgetCachedCatalog(this.ctx, 'products');
    return outcome;
  }
}

/** Create or update a vendor's offer for a product; every price change is kept as history. */
export class UpsertVendorOffer {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    command: UpsertVendorOfferCommand,
  ): Promise<
    Outcome<
      { offer: VendorOffer; priceChanged: boolean; created: boolean; changed: boolean },
      FailureCode<typeof UpsertVendorOffer>
    >
  > {
    checkCommand(command);
    checkId(command.vendorId, 'vendorId');
    checkId(command.productId, 'productId');
    const actor = checkActor(command.actor);
    const { actor: _actor, ...input } = command;
    const now = this.ctx.clock.now();
    const outcome = await runUseCase(UpsertVendorOffer.failures, () =>
      this.ctx.uow.run(
        async (tx) => {
          if (actor.type === 'retailer' || (actor.type === 'vendor' && actor.id !== input.vendorId)) {
            throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'a vendor changes only its own offers', {
              vendorId: input.vendorId,
            });
          }
          required(await tx.vendors.get(input.vendorId), 'vendor', input.vendorId);
          required(await tx.products.get(input.productId), 'product', input.productId);
          // Under the lock: what a concurrent upsert committed is the `existing` this one changes.
          const existing = await tx.offers.getForUpdate(input.vendorId, input.productId);
          if (existing && existing.unitPrice.currency !== input.unitPrice.currency) {
            throw new ValidationError('an offer keeps its currency');
          }
          const offer = createVendorOffer(input, (existing?.id ?? this.ctx.ids.next()) as VendorOfferId, now);
          if (existing && sameOffer(existing, offer)) {
            return { offer: existing, priceChanged: false, created: false, changed: false };
          }
          const priceChanged = !existing?.unitPrice.equals(offer.unitPrice) || existing.unit !== offer.unit;
          await tx.offers.save(offer);
          if (priceChanged) {
            await tx.priceHistory.append(priceChangeOf(offer, existing, now));
          }
          const change: OfferChanged = {
            vendorId: offer.vendorId,
            productId: offer.productId,
            unit: offer.unit,
            price: offer.unitPrice.amount,
            previousPrice: existing?.unitPrice.amount ?? null,
            stockOnHand: offer.stockOnHand,
          };
          await persist(tx, {
            events: [
              priceChanged
                ? domainEvent(EventTypes.OFFER_PRICE_CHANGED, offer.id, now, change)
                : domainEvent(EventTypes.OFFER_UPDATED, offer.id, now, change),
            ],
          });
          return { offer, priceChanged, created: !existing, changed: true };
        },
        { label: 'upsert-vendor-offer' },
      ),
    );
    if (outcome.ok) await forgetCachedCatalog(this.ctx, 'offers');
    return outcome;
  }
}

/**
 * Read-your-writes in this process: once the change is committed, the cached part is
 * replaced at once instead of when its event is consumed. Best effort: with the cache down
 * the event's consumer does it (and retries until it can), so a failure here is only logged.
 */
async function forgetCachedCatalog(ctx: UseCaseContext, part: CatalogPart): Promise<void> {
  if (!ctx.catalogCache) return;
  try {
    await ctx.catalogCache.bump(part);
  } catch (error) {
    ctx.logger.warn('catalog cache not invalidated on write; its event will do it', {
      part,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Equal in everything a client can set (timestamps aside). */
function sameProduct(a: Product, b: Product): boolean {
  const key = (p: Product) =>
    JSON.stringify([p.sku, p.name, p.category, p.baseUnit, p.conversions, p.aliases, p.active]);
  return key(a) === key(b);
}

function sameOffer(a: VendorOffer, b: VendorOffer): boolean {
  return (
    a.unit === b.unit &&
    a.unitPrice.equals(b.unitPrice) &&
    a.stockOnHand === b.stockOnHand &&
    a.minOrderQty === b.minOrderQty &&
    a.leadTimeHours === b.leadTimeHours &&
    a.active === b.active
  );
}
