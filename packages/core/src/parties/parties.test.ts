import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError, type ErrorCode, ErrorCodes } from '../shared/errors.js';
import { type GeoPoint, storedLocation } from '../shared/geo.js';
import type { RetailerId, VendorId } from '../shared/ids.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { createRetailer } from './retailer.js';
import { createVendor } from './vendor.js';

const NOW = new Date('2026-02-01T06:00:00Z');
const R = '00000000-0000-7000-8000-000000000001' as RetailerId;
const V = '00000000-0000-7000-8000-000000000002' as VendorId;

function codeOf(fn: () => unknown): ErrorCode | 'none' {
  try {
    fn();
    return 'none';
  } catch (e) {
    if (DomainError.is(e)) return e.code;
    throw e;
  }
}

const retailerAt = (location: GeoPoint) => () =>
  createRetailer(
    { name: 'Sita Pasal', phone: PhoneNumber.parse('+9779800000001'), area: 'a', district: 'd', location },
    R,
    NOW,
  );
const vendorAt = (location: GeoPoint) => () =>
  createVendor(
    { name: 'Vendor', phone: PhoneNumber.parse('+9779800000002'), serviceAreas: ['a'], dailyCapacity: 5, location },
    V,
    NOW,
  );

test('issue 8 #6: createRetailer/createVendor refuse out-of-range or NaN coordinates (VALIDATION.INVALID_COORDINATES)', () => {
  const bad: GeoPoint[] = [
    { lat: 277.1, lng: 85.3 },
    { lat: Number.NaN, lng: 85.3 },
    { lat: 27.7, lng: Number.POSITIVE_INFINITY },
    { lat: 27.7, lng: -180.5 },
    { lat: '27.7', lng: 85.3 } as unknown as GeoPoint,
  ];
  for (const location of bad) {
    assert.is(codeOf(retailerAt(location)), ErrorCodes.INVALID_COORDINATES, `retailer ${JSON.stringify(location)}`);
    assert.is(codeOf(vendorAt(location)), ErrorCodes.INVALID_COORDINATES, `vendor ${JSON.stringify(location)}`);
  }
  assert.equal(retailerAt({ lat: 27.7172, lng: 85.324 })().location, { lat: 27.7172, lng: 85.324 });
  assert.equal(vendorAt({ lat: -90, lng: 180 })().location, { lat: -90, lng: 180 }, 'the bounds themselves');
});

test('issue 8 #6: a bad stored point reads as "location unknown", never as an error', () => {
  assert.is(storedLocation(277.1, 85.3), null);
  assert.is(storedLocation(Number.NaN, 85.3), null);
  assert.is(storedLocation(27.7, null), null);
  assert.equal(storedLocation(27.7, 85.3), { lat: 27.7, lng: 85.3 });
});

test.run();
