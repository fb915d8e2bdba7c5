import { ValidationError } from './errors.js';
import { type Token, token } from './token.js';

declare const brand: unique symbol;
/** A string that the type system keeps apart from other ids. */
export type Id<Tag extends string> = string & { readonly [brand]: Tag };

export type ProductId = Id<'Product'>;
export type VendorOfferId = Id<'VendorOffer'>;
export type RetailerId = Id<'Retailer'>;
export type VendorId = Id<'Vendor'>;
export type UserId = Id<'User'>;
export type OrderId = Id<'Order'>;
export type DraftId = Id<'Draft'>;
export type LedgerEntryId = Id<'LedgerEntry'>;
export type EventId = Id<'Event'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Parse an id coming from outside (a URL, a message); rejects anything but a lowercase UUID. */
export function parseId<T extends Id<string>>(value: string, what = 'id'): T {
  if (!isUuid(value)) throw new ValidationError(`${what} must be a UUID`, { field: what });
  return value as T;
}

/** Port: where ids come from (UUIDv7 in production, deterministic in tests). */
export interface IdGenerator {
  next(): string;
}

/** Port: randomness, so the core itself never touches Math.random or crypto. */
export interface RandomSource {
  fill(bytes: Uint8Array): Uint8Array;
}

export const ID_GENERATOR: Token<IdGenerator> = token('IdGenerator');
export const RANDOM_SOURCE: Token<RandomSource> = token('RandomSource');
