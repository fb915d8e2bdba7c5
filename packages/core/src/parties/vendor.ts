import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { type GeoPoint, normalizeArea, optionalLocation } from '../shared/geo.js';
import type { VendorId } from '../shared/ids.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { requireStorableCount, requireText } from '../shared/text.js';

export const VENDOR_STATUSES = ['ACTIVE', 'INACTIVE', 'SUSPENDED'] as const;
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

export interface Vendor {
  readonly id: VendorId;
  readonly name: string;
  readonly phone: PhoneNumber;
  readonly serviceAreas: readonly string[];
  /** Orders per day the vendor can fulfil; routing skips a vendor at capacity. */
  readonly dailyCapacity: number;
  readonly location: GeoPoint | null;
  readonly status: VendorStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface VendorInput {
  readonly name: string;
  readonly phone: PhoneNumber;
  readonly serviceAreas: readonly string[];
  readonly dailyCapacity: number;
  readonly location?: GeoPoint | null;
  readonly status?: VendorStatus;
}

export function createVendor(input: VendorInput, id: VendorId, now: Date): Vendor {
  const status = input.status ?? 'ACTIVE';
  if (!VENDOR_STATUSES.includes(status)) throw new ValidationError('unknown vendor status', { status });
  if (!Array.isArray(input.serviceAreas)) {
    throw new ValidationError('serviceAreas must be a list', { field: 'serviceAreas' }, ErrorCodes.INVALID_COMMAND);
  }
  const serviceAreas = [...new Set(input.serviceAreas.map(normalizeArea))];
  if (serviceAreas.length === 0) throw new ValidationError('a vendor serves at least one area');
  return {
    id,
    name: requireText(input.name, 'name'),
    phone: input.phone,
    serviceAreas,
    dailyCapacity: requireStorableCount(input.dailyCapacity, 'dailyCapacity'),
    location: optionalLocation(input.location),
    status,
    createdAt: now,
    updatedAt: now,
  };
}

export function servesArea(vendor: Vendor, area: string): boolean {
  return vendor.serviceAreas.includes(normalizeArea(area));
}
