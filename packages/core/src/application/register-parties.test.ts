import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import { DomainError, type ErrorCode, ErrorCodes } from '../shared/errors.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { createTestWorld } from '../testing/test-world.js';

async function codeOf(work: () => Promise<unknown>): Promise<ErrorCode | string> {
  try {
    await work();
    return 'none';
  } catch (e) {
    return DomainError.is(e) ? e.code : `raw ${String(e)}`;
  }
}

const base = { name: 'Sita Pasal', area: 'kathmandu-10', district: 'kathmandu', actor: SYSTEM_ACTOR };

test('review8 #2: a phone that does not parse is refused at registration, not stored', async () => {
  const world = createTestWorld();
  for (const value of ['not a phone', '12', `+977${'9'.repeat(20_000)}`]) {
    const phone = { value } as PhoneNumber;
    const vendor = await codeOf(() =>
      world.useCases.registerVendor.execute({ ...base, phone, serviceAreas: ['kathmandu-10'], dailyCapacity: 5 }),
    );
    assert.is(vendor, ErrorCodes.INVALID_PHONE, `vendor ${value.slice(0, 20)}`);
    const retailer = await codeOf(() => world.useCases.registerRetailer.execute({ ...base, phone }));
    assert.is(retailer, ErrorCodes.INVALID_PHONE, `retailer ${value.slice(0, 20)}`);
  }
  assert.is((await world.repos.vendors.list({ limit: 10 })).items.length, 0, 'nothing stored');
  assert.is((await world.repos.retailers.list({ limit: 10 })).items.length, 0, 'nothing stored');
});

test('review8 #2: a phone-shaped object is stored normalised, as PhoneNumber.parse would give it', async () => {
  const world = createTestWorld();
  const phone = { value: '98-1234-5678' } as PhoneNumber;
  const registered = await world.useCases.registerRetailer.execute({ ...base, phone });
  assert.ok(registered.ok);
  if (registered.ok) assert.is(registered.value.phone.value, '+9779812345678');
});

test('one phone, one party: a vendor with a retailer’s phone, or back, is PARTY.PHONE_TAKEN, and nothing is stored', async () => {
  const world = createTestWorld();
  const shopPhone = PhoneNumber.parse('+9779811111111');
  const vendorPhone = PhoneNumber.parse('+9779822222222');
  const vendorOf = (phone: PhoneNumber) => ({ ...base, phone, serviceAreas: ['kathmandu-10'], dailyCapacity: 5 });
  assert.ok((await world.useCases.registerRetailer.execute({ ...base, phone: shopPhone })).ok);
  assert.ok((await world.useCases.registerVendor.execute(vendorOf(vendorPhone))).ok);

  const asVendor = await world.useCases.registerVendor.execute(vendorOf(shopPhone));
  assert.ok(!asVendor.ok);
  if (!asVendor.ok) {
    assert.is(asVendor.error.code, ErrorCodes.PARTY_PHONE_TAKEN);
    assert.is(asVendor.error.kind, 'conflict');
    assert.equal(asVendor.error.details, { field: 'phone', takenBy: 'retailer' });
  }
  const asShop = await world.useCases.registerRetailer.execute({ ...base, phone: vendorPhone });
  assert.ok(!asShop.ok);
  if (!asShop.ok) {
    assert.is(asShop.error.code, ErrorCodes.PARTY_PHONE_TAKEN);
    assert.equal(asShop.error.details, { field: 'phone', takenBy: 'vendor' });
  }
  assert.is(await world.repos.vendors.getByPhone(shopPhone), null, 'no vendor with the shop’s number');
  assert.is(await world.repos.retailers.getByPhone(vendorPhone), null, 'no retailer with the vendor’s number');
  assert.is((await world.repos.vendors.list({ limit: 10 })).items.length, 1);
  assert.is((await world.repos.retailers.list({ limit: 10 })).items.length, 1);
  // The same kind twice stays what it was: ENTITY.DUPLICATE.
  const again = await world.useCases.registerVendor.execute(vendorOf(vendorPhone));
  assert.ok(!again.ok && again.error.code === ErrorCodes.DUPLICATE);
});

test('review8 #3: a 20,000-character phone is refused by length before any pattern runs', () => {
  assert.throws(
    () => PhoneNumber.parse(' '.repeat(20_000)),
    (e: unknown) => DomainError.hasCode(e, ErrorCodes.INVALID_PHONE),
  );
});

test('review8 #2: a stored number that no longer parses reads back as stored', () => {
  assert.is(PhoneNumber.fromStored('0123').value, '0123');
  assert.is(PhoneNumber.fromStored('+9779812345678').value, '+9779812345678');
});

test.run();
