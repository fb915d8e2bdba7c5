import { createProduct, type Product, type ProductInput } from '../catalog/product.js';
import { createVendorOffer, priceChangeOf, type VendorOffer, type VendorOfferInput } from '../catalog/vendor-offer.js';
import { domainEvent, EventTypes } from '../events/event-catalog.js';
import type { OfferChanged } from '../events/registry-events.js';
import { ValidationError } from '../shared/errors.js';
import type { ProductId, VendorOfferId } from '../shared/ids.js';
import { required } from './errors.js';
import { persist, type UseCaseContext } from './context.js';
import { checkId } from './command-checks.js';

/** Create a product, or update the one with the same SKU. */
export class UpsertProduct {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(input: ProductInput): Promise<{ product: Product; created: boolean }> {
    const now = this.ctx.clock.now();
    return this.ctx.uow.run(
      async (tx) => {
        const probe = createProduct(input, this.ctx.ids.next() as ProductId, now);
        const existing = await tx.products.getBySku(probe.sku);
        const product = existing ? createProduct(input, existing.id, now, existing) : probe;
        await tx.products.save(product);
        await persist(tx, {
          events: [
            existing
              ? domainEvent(EventTypes.PRODUCT_UPDATED, product.id, now, { sku: product.sku })
              : domainEvent(EventTypes.PRODUCT_CREATED, product.id, now, { sku: product.sku }),
          ],
        });
        return { product, created: !existing };
      },
      { label: 'upsert-product' },
    );
  }
}

/** Create or update a vendor's offer for a product; every price change is kept as history. */
export class UpsertVendorOffer {
  constructor(private readonly ctx: UseCaseContext) {}

  async execute(input: VendorOfferInput): Promise<{ offer: VendorOffer; priceChanged: boolean }> {
    checkId(input.vendorId, 'vendorId');
    checkId(input.productId, 'productId');
    const now = this.ctx.clock.now();
    return this.ctx.uow.run(
      async (tx) => {
        required(await tx.vendors.get(input.vendorId), 'vendor', input.vendorId);
        required(await tx.products.get(input.productId), 'product', input.productId);
        const existing = await tx.offers.getByVendorAndProduct(input.vendorId, input.productId);
        if (existing && existing.unitPrice.currency !== input.unitPrice.currency) {
          throw new ValidationError('an offer keeps its currency');
        }
        const offer = createVendorOffer(input, (existing?.id ?? this.ctx.ids.next()) as VendorOfferId, now);
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
        return { offer, priceChanged };
      },
      { label: 'upsert-vendor-offer' },
    );
  }
}
