import { conversionFactor, conversionRatio, type Product } from '../catalog/product.js';
import type { VendorOffer } from '../catalog/vendor-offer.js';
import {
  parseVendorOfferUpdate,
  type VendorOfferUpdate,
  type VendorOfferUpdateRejection,
} from '../parsing/vendor-offer-update.js';
import type { Actor } from '../shared/domain-event.js';
import { DomainError, ErrorCodes } from '../shared/errors.js';
import type { VendorId } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import type { Unit } from '../shared/quantity.js';
import { checkActor, checkCommand, checkId } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';
import { UpsertVendorOffer } from './upsert-catalog.js';

export interface UpdateOfferFromMessageCommand {
  readonly vendorId: VendorId;
  /** The vendor's message: "annapurna mansuli 25kg 2150", "stock sugar 50 bora". */
  readonly text: string;
  /** The vendor itself (or staff for it). */
  readonly actor: Actor;
  /**
   * The vendor confirmed a price change beyond `PRICE_CONFIRM_FACTOR` (it answered the
   * question a first run of this text asked): applied as written.
   */
  readonly confirmed?: boolean;
}

/**
 * A price that would become more than this many times, or less than this fraction of, what the
 * offer costs now is not applied until the vendor confirms it: a digit too many or too few
 * ("2150" for "215") is a tenfold change, and shops would order at it at once.
 */
export const PRICE_CONFIRM_FACTOR = 2;

/** What changed, for the confirmation sent back to the vendor. */
export interface OfferUpdatedFromMessage {
  readonly product: Product;
  readonly kind: VendorOfferUpdate['kind'];
  /** The offer's unit: its price is per this unit, its stock counted in it. */
  readonly unit: Unit;
  readonly before: { readonly price: Money; readonly stock: number };
  readonly after: { readonly price: Money; readonly stock: number };
  /** False when the message said what the offer already was, or when it waits for confirmation. */
  readonly changed: boolean;
  /**
   * Nothing applied: the price would move beyond `PRICE_CONFIRM_FACTOR` (`after` is what it
   * would become); run again with `confirmed` to apply it.
   */
  readonly needsConfirmation: boolean;
}

/** Why a message could not be applied, beyond the parser's own reasons. */
export type OfferMessageRejection =
  | VendorOfferUpdateRejection
  | { readonly reason: 'UNIT_MISMATCH'; readonly unit: Unit; readonly offerUnit: Unit };

/**
 * A vendor's price or stock update by message, applied through `UpsertVendorOffer` (its
 * checks, its events and its cache invalidation). The product is looked for among the
 * vendor's own offers only: "mansuli 25kg" is unambiguous for a vendor selling one Mansuli,
 * and a vendor cannot create an offer by chat. An unreadable message is
 * `OFFER.UPDATE_UNREADABLE` with `details.reason` (and `details.candidates` when ambiguous).
 */
export class UpdateOfferFromMessage {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN, ErrorCodes.OFFER_UPDATE_UNREADABLE] as const;

  private readonly upsert: UpsertVendorOffer;

  constructor(private readonly ctx: UseCaseContext) {
    this.upsert = new UpsertVendorOffer(ctx);
  }

  async execute(
    command: UpdateOfferFromMessageCommand,
  ): Promise<Outcome<OfferUpdatedFromMessage, FailureCode<typeof UpdateOfferFromMessage>>> {
    checkCommand(command);
    const vendorId = checkId<VendorId>(command.vendorId, 'vendorId');
    const actor = checkActor(command.actor);
    const text = typeof command.text === 'string' ? command.text.slice(0, 500) : '';
    return runUseCase(UpdateOfferFromMessage.failures, async () => {
      if (actor.type === 'retailer' || (actor.type === 'vendor' && actor.id !== vendorId)) {
        throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'a vendor changes only its own offers', { vendorId });
      }
      const offers = (await this.ctx.repos.offers.listByVendor(vendorId)).filter((o) => o.active);
      const products = await this.ctx.repos.products.getMany(offers.map((o) => o.productId));
      const parsed = parseVendorOfferUpdate(text, products);
      if (!parsed.ok) throw unreadable(parsed.rejection);
      const { update } = parsed;
      const offer = offers.find((o) => o.productId === update.product.id) as VendorOffer;
      const next = nextValues(offer, update);
      if ('reason' in next) throw unreadable(next);
      if (command.confirmed !== true && isLargeChange(offer.unitPrice, next.price)) {
        return {
          product: update.product,
          kind: update.kind,
          unit: offer.unit,
          before: { price: offer.unitPrice, stock: offer.stockOnHand },
          after: { price: next.price, stock: offer.stockOnHand },
          changed: false,
          needsConfirmation: true,
        };
      }
      const upserted = await this.upsert.execute({
        vendorId,
        productId: offer.productId,
        unit: offer.unit,
        unitPrice: next.price,
        stockOnHand: next.stock,
        minOrderQty: offer.minOrderQty,
        leadTimeHours: offer.leadTimeHours,
        active: offer.active,
        actor,
      });
      if (!upserted.ok) throw new DomainError(upserted.error.kind, upserted.error.code, upserted.error.message);
      return {
        product: update.product,
        kind: update.kind,
        unit: offer.unit,
        before: { price: offer.unitPrice, stock: offer.stockOnHand },
        after: { price: upserted.value.offer.unitPrice, stock: upserted.value.offer.stockOnHand },
        changed: upserted.value.changed,
        needsConfirmation: false,
      };
    });
  }
}

function isLargeChange(before: Money, after: Money): boolean {
  // In whole minor units, without division: after > before × F or after × F < before.
  const factor = BigInt(PRICE_CONFIRM_FACTOR);
  const from = BigInt(before.amount);
  const to = BigInt(after.amount);
  return from > 0n && (to > from * factor || to * factor < from);
}

function nextValues(
  offer: VendorOffer,
  update: VendorOfferUpdate,
): { price: Money; stock: number } | OfferMessageRejection {
  if (update.kind === 'price') {
    if (update.pack === null) return { price: update.price, stock: offer.stockOnHand };
    // Rs 2150 a 25 kg pack on an offer per kg is Rs 86 a kg: the price is divided by how many
    // of the offer's unit the pack holds, exactly, and rounded half-up to the paisa once.
    const ratio = conversionRatio(update.product, update.pack.unit, offer.unit);
    if (ratio === undefined) return { reason: 'UNIT_MISMATCH', unit: update.pack.unit, offerUnit: offer.unit };
    const [whole, fraction = ''] = update.pack.amount.split('.');
    const amount = BigInt(`${whole}${fraction}`);
    const scale = 10n ** BigInt(fraction.length);
    // price / (amount/scale × num/den) = price × scale × den / (amount × num)
    const price = update.price.multiplyRatio(scale * BigInt(ratio.denominator), amount * BigInt(ratio.numerator));
    if (price.amount <= 0) return { reason: 'BAD_NUMBER', number: update.price.format() };
    return { price, stock: offer.stockOnHand };
  }
  const unit = update.unit ?? offer.unit;
  const factor = conversionFactor(update.product, unit, offer.unit);
  if (factor === undefined) return { reason: 'UNIT_MISMATCH', unit, offerUnit: offer.unit };
  // The store keeps three decimals of stock; a conversion does not invent more.
  return { price: offer.unitPrice, stock: Math.round(update.quantity * factor * 1000) / 1000 };
}

function unreadable(rejection: OfferMessageRejection): DomainError {
  const details: Record<string, unknown> = { ...rejection };
  if (rejection.reason === 'AMBIGUOUS_PRODUCT') {
    details.candidates = rejection.candidates.map((p) => ({ productId: p.id, sku: p.sku, name: p.name }));
  }
  return new DomainError(
    'validation',
    ErrorCodes.OFFER_UPDATE_UNREADABLE,
    `the message is not a price or stock update (${rejection.reason})`,
    details,
  );
}
