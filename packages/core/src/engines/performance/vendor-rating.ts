import { ValidationError } from '../../shared/errors.js';
import { optionalText } from '../../shared/text.js';
import type { OrderId, RetailerId, VendorId } from '../../shared/ids.js';

/** A retailer's 1-5 rating of the vendor that fulfilled one of its orders (one per order). */
export interface VendorRating {
  readonly id: string;
  readonly vendorId: VendorId;
  readonly retailerId: RetailerId;
  readonly orderId: OrderId;
  readonly rating: number;
  readonly comment: string | null;
  readonly ratedAt: Date;
}

export interface VendorRatingInput {
  readonly vendorId: VendorId;
  readonly retailerId: RetailerId;
  readonly orderId: OrderId;
  readonly rating: number;
  readonly comment?: string | null;
}

export function isValidRating(rating: unknown): rating is number {
  return typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5;
}

/** Validate and build a rating; the use case checks that the order was delivered by this vendor. */
export function createVendorRating(input: VendorRatingInput, id: string, at: Date): VendorRating {
  if (!isValidRating(input.rating))
    throw new ValidationError('rating must be an integer 1-5', { rating: input.rating });
  const comment = optionalText(input.comment, 'comment', 500);
  return {
    id,
    vendorId: input.vendorId,
    retailerId: input.retailerId,
    orderId: input.orderId,
    rating: input.rating,
    comment,
    ratedAt: at,
  };
}
