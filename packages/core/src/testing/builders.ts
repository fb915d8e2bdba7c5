import { createProduct, type Product, type ProductInput } from '../catalog/product.js';
import { createVendorOffer, type VendorOffer, type VendorOfferInput } from '../catalog/vendor-offer.js';
import { CreditAccount } from '../credit/credit-account.js';
import { Order } from '../order/order.js';
import { type OrderLine, orderLine } from '../order/order-line.js';
import type { OrderStatus } from '../order/order-status.js';
import { createRetailer, type Retailer, type RetailerInput } from '../parties/retailer.js';
import { createUser, type User, type UserInput } from '../parties/user.js';
import { createVendor, type Vendor, type VendorInput } from '../parties/vendor.js';
import { addMs } from '../shared/clock.js';
import { SYSTEM_ACTOR } from '../shared/domain-event.js';
import type { IdGenerator, OrderId, ProductId, RetailerId, UserId, VendorId, VendorOfferId } from '../shared/ids.js';
import { Money } from '../shared/money.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { Quantity } from '../shared/quantity.js';

/*
 * Test-data mothers: valid by default, overridable field by field. Phones and SKUs
 * come from a counter so that many builders in one test never clash.
 */
let counter = 0;
const next = (): number => {
  counter += 1;
  return counter;
};

export function uniquePhone(): PhoneNumber {
  return PhoneNumber.parse(`98${String(10_000_000 + (next() % 89_999_999)).padStart(8, '0')}`);
}

export function aProduct(ids: IdGenerator, now: Date, overrides: Partial<ProductInput> = {}): Product {
  const n = next();
  return createProduct(
    {
      sku: `SKU-${n}`,
      name: `Product ${n}`,
      category: 'grocery',
      baseUnit: 'packet',
      conversions: [{ unit: 'carton', toBase: 24 }],
      aliases: [{ text: `item ${n}`, language: 'en' }],
      ...overrides,
    },
    ids.next() as ProductId,
    now,
  );
}

export function aRetailer(ids: IdGenerator, now: Date, overrides: Partial<RetailerInput> = {}): Retailer {
  return createRetailer(
    {
      name: `Shop ${next()}`,
      phone: uniquePhone(),
      area: 'kathmandu-10',
      district: 'kathmandu',
      status: 'ACTIVE',
      ...overrides,
    },
    ids.next() as RetailerId,
    now,
  );
}

export function aVendor(ids: IdGenerator, now: Date, overrides: Partial<VendorInput> = {}): Vendor {
  return createVendor(
    {
      name: `Distributor ${next()}`,
      phone: uniquePhone(),
      serviceAreas: ['kathmandu-10'],
      dailyCapacity: 50,
      ...overrides,
    },
    ids.next() as VendorId,
    now,
  );
}

export function anOffer(
  ids: IdGenerator,
  now: Date,
  input: Pick<VendorOfferInput, 'vendorId' | 'productId'> & Partial<VendorOfferInput>,
): VendorOffer {
  return createVendorOffer(
    { unit: 'packet', unitPrice: Money.of(2_000), stockOnHand: 1_000, minOrderQty: 1, leadTimeHours: 24, ...input },
    ids.next() as VendorOfferId,
    now,
  );
}

export function aUser(ids: IdGenerator, now: Date, overrides: Partial<UserInput> = {}): User {
  return createUser(
    { email: `user${next()}@example.com`, passwordHash: 'scrypt$test', role: 'OPERATOR', ...overrides },
    ids.next() as UserId,
    now,
  );
}

export function aCreditAccount(
  retailerId: RetailerId,
  now: Date,
  overrides: { limit?: Money; netTermsDays?: number } = {},
): CreditAccount {
  const limit = overrides.limit ?? Money.of(10_000_000);
  return CreditAccount.open({
    retailerId,
    currency: limit.currency,
    creditLimit: limit,
    netTermsDays: overrides.netTermsDays ?? 15,
    createdAt: now,
  });
}

/** `anOrder(ids, clock).forRetailer(r).withLines(3).inStatus('CONFIRMED').build()` */
export function anOrder(ids: IdGenerator, now: Date): OrderBuilder {
  return new OrderBuilder(ids, now);
}

export class OrderBuilder {
  private retailerId: RetailerId;
  private vendorId: VendorId;
  private lines: OrderLine[] = [];
  private status: OrderStatus = 'PENDING';
  private number: string;
  private note: string | null = null;

  constructor(
    private readonly ids: IdGenerator,
    private readonly now: Date,
  ) {
    this.retailerId = ids.next() as RetailerId;
    this.vendorId = ids.next() as VendorId;
    this.number = `KH-T${String(next()).padStart(6, '0')}`;
  }

  forRetailer(retailerId: RetailerId): this {
    this.retailerId = retailerId;
    return this;
  }

  withVendor(vendorId: VendorId): this {
    this.vendorId = vendorId;
    return this;
  }

  withNote(note: string | null): this {
    this.note = note;
    return this;
  }

  withNumber(number: string): this {
    this.number = number;
    return this;
  }

  /** `count` lines of 2 packets at NPR 20.00 + i. */
  withLines(count: number, price: Money = Money.of(2_000)): this {
    for (let i = 0; i < count; i++) {
      this.lines.push(
        orderLine({
          productId: this.ids.next() as ProductId,
          sku: `SKU-L${next()}`,
          name: `Line ${i + 1}`,
          quantity: Quantity.of(2, 'packet'),
          unitPrice: price.add(Money.of(i * 100, price.currency)),
        }),
      );
    }
    return this;
  }

  withLine(line: OrderLine): this {
    this.lines.push(line);
    return this;
  }

  inStatus(status: OrderStatus): this {
    this.status = status;
    return this;
  }

  /** Walks the real lifecycle to the requested status, so the log and events are genuine. */
  build(): Order {
    if (this.lines.length === 0) this.withLines(1);
    const at = this.now;
    const order = Order.place({
      id: this.ids.next() as OrderId,
      number: this.number,
      retailerId: this.retailerId,
      lines: this.lines,
      source: 'api',
      note: this.note,
      actor: SYSTEM_ACTOR,
      at,
    });
    const path: Record<OrderStatus, (o: Order) => void> = {
      PENDING: () => {},
      ON_HOLD: (o) => o.hold(SYSTEM_ACTOR, at, 'review'),
      ROUTING: (o) => o.route(SYSTEM_ACTOR, at),
      REJECTED: (o) => o.reject(SYSTEM_ACTOR, at, 'blocked'),
      CONFIRMED: (o) => {
        path.ROUTING(o);
        o.offerTo(this.vendorId, at, addMs(at, 60_000));
        o.acceptOffer(this.vendorId, at);
      },
      DISPATCHED: (o) => {
        path.CONFIRMED(o);
        o.dispatch(SYSTEM_ACTOR, at);
      },
      DELIVERED: (o) => {
        path.DISPATCHED(o);
        o.deliver(SYSTEM_ACTOR, at);
      },
      COMPLETED: (o) => {
        path.DELIVERED(o);
        o.complete(SYSTEM_ACTOR, at, true);
      },
      CANCELLED: (o) => o.cancel(SYSTEM_ACTOR, at, 'changed mind'),
    };
    path[this.status](order);
    return order;
  }
}
