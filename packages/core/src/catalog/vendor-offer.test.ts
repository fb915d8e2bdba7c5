import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError, type ErrorCode, ErrorCodes } from '../shared/errors.js';
import type { ProductId, VendorId, VendorOfferId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { createVendorOffer, type VendorOfferInput } from './vendor-offer.js';

const NOW = new Date('2026-02-01T06:00:00Z');
const base: VendorOfferInput = {
  vendorId: '00000000-0000-7000-8000-000000000001' as VendorId,
  productId: '00000000-0000-7000-8000-000000000002' as ProductId,
  unit: 'kg',
  unitPrice: Money.of(9_050),
  stockOnHand: 10,
};
const ID = '00000000-0000-7000-8000-000000000003' as VendorOfferId;

function codeOf(fn: () => unknown): ErrorCode | 'none' {
  try {
    fn();
    return 'none';
  } catch (e) {
    if (DomainError.is(e)) return e.code;
    throw e;
  }
}

test('issue 8 #8: stock 10.0004 and MOQ 0.0004 are refused (VALIDATION.TOO_MANY_DECIMALS), not rounded on store', () => {
  assert.is(
    codeOf(() => createVendorOffer({ ...base, stockOnHand: 10.0004 }, ID, NOW)),
    ErrorCodes.TOO_MANY_DECIMALS,
  );
  assert.is(
    codeOf(() => createVendorOffer({ ...base, minOrderQty: 0.0004 }, ID, NOW)),
    ErrorCodes.TOO_MANY_DECIMALS,
  );
  assert.is(
    codeOf(() => createVendorOffer({ ...base, leadTimeHours: 1.255 }, ID, NOW)),
    ErrorCodes.TOO_MANY_DECIMALS,
  );
  const ok = createVendorOffer({ ...base, stockOnHand: 10.001, minOrderQty: 0.5, leadTimeHours: 1.25 }, ID, NOW);
  assert.equal([ok.stockOnHand, ok.minOrderQty, ok.leadTimeHours], [10.001, 0.5, 1.25]);
});

test('issue 8 #8: floating-point noise is normalised to what the store keeps; too large is VALIDATION.OUT_OF_RANGE', () => {
  const offer = createVendorOffer({ ...base, stockOnHand: 0.1 + 0.2 }, ID, NOW);
  assert.is(offer.stockOnHand, 0.3);
  assert.is(
    codeOf(() => createVendorOffer({ ...base, stockOnHand: 1e11 }, ID, NOW)),
    ErrorCodes.OUT_OF_RANGE,
  );
  assert.is(
    codeOf(() => createVendorOffer({ ...base, leadTimeHours: 1e8 }, ID, NOW)),
    ErrorCodes.OUT_OF_RANGE,
  );
  assert.is(createVendorOffer({ ...base, stockOnHand: 99_999_999_999.999 }, ID, NOW).stockOnHand, 99_999_999_999.999);
});

test.run();
