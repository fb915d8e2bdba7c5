import { ValidationError } from '../shared/errors.js';
import { type GeoPoint, normalizeArea, optionalLocation } from '../shared/geo.js';
import type { RetailerId } from '../shared/ids.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { requireText } from '../shared/text.js';

export const RETAILER_STATUSES = ['PENDING_KYC', 'ACTIVE', 'SUSPENDED'] as const;
export type RetailerStatus = (typeof RETAILER_STATUSES)[number];

export interface Retailer {
  readonly id: RetailerId;
  readonly name: string;
  readonly phone: PhoneNumber;
  readonly area: string;
  readonly district: string;
  readonly location: GeoPoint | null;
  readonly status: RetailerStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface RetailerInput {
  readonly name: string;
  readonly phone: PhoneNumber;
  readonly area: string;
  readonly district: string;
  readonly location?: GeoPoint | null;
  readonly status?: RetailerStatus;
}

export function createRetailer(input: RetailerInput, id: RetailerId, now: Date): Retailer {
  const status = input.status ?? 'PENDING_KYC';
  if (!RETAILER_STATUSES.includes(status)) throw new ValidationError('unknown retailer status', { status });
  return {
    id,
    name: requireText(input.name, 'name'),
    phone: input.phone,
    area: normalizeArea(input.area),
    district: normalizeArea(input.district),
    location: optionalLocation(input.location),
    status,
    createdAt: now,
    updatedAt: now,
  };
}

export function withRetailerStatus(retailer: Retailer, status: RetailerStatus, now: Date): Retailer {
  return { ...retailer, status, updatedAt: now };
}
