import { RETAILER_STATUSES, type Retailer, type RetailerStatus } from '../parties/retailer.js';
import { USER_STATUSES, type User, type UserStatus } from '../parties/user.js';
import { VENDOR_STATUSES, type Vendor, type VendorStatus } from '../parties/vendor.js';
import { constraintViolated, duplicateKey } from './in-memory-store-errors.js';
import { ConflictError, ErrorCodes } from '../shared/errors.js';
import { type GeoPoint, isStorableLocation, normalizeArea } from '../shared/geo.js';
import type { RetailerId, UserId, VendorId } from '../shared/ids.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest, pageLimit } from '../ports/pagination.js';
import type { RetailerRepository, UserFilter, UserRepository, VendorRepository } from '../ports/repositories.js';
import { cmp } from './in-memory-catalog-repositories.js';
import type { StoreAccess } from './in-memory-store.js';

const RETAILERS = 'retailers';
const VENDORS = 'vendors';
const USERS = 'users';

/** PostgreSQL's `party_phones` registry: a number is one retailer's or one vendor's, never both. */
function phoneOfOtherParty(): ConflictError {
  return new ConflictError(
    'this phone belongs to a party of the other kind',
    { constraint: 'party_phones_pkey' },
    ErrorCodes.PARTY_PHONE_TAKEN,
  );
}

/** The stores' CHECK on coordinates: a point written past the domain is refused, as PostgreSQL refuses it. */
function checkLocation(table: string, location: GeoPoint | null): void {
  if (!isStorableLocation(location)) {
    throw constraintViolated('value rejected by the store', `${table}_location_check`);
  }
}

function countStatuses<S extends string>(statuses: readonly S[], rows: readonly { status: S }[]): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const r of rows) counts[r.status] += 1;
  return counts;
}

/** Newest first by (createdAt, id), keyset-paginated. */
export function pageByCreated<T extends { id: string; createdAt: Date }>(rows: T[], page: PageRequest): Page<T> {
  const limit = pageLimit(page);
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const sorted = rows
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || cmp(b.id, a.id))
    .filter(
      (r) =>
        !after ||
        r.createdAt.getTime() < after.at.getTime() ||
        (r.createdAt.getTime() === after.at.getTime() && r.id < after.id),
    );
  const items = sorted.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: sorted.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}

export class InMemoryRetailerRepository implements RetailerRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(id: RetailerId): Promise<Retailer | null> {
    return this.db.read().get<Retailer>(RETAILERS, id) ?? null;
  }

  async getByPhone(phone: PhoneNumber): Promise<Retailer | null> {
    return (
      this.db
        .read()
        .values<Retailer>(RETAILERS)
        .find((r) => r.phone.equals(phone)) ?? null
    );
  }

  async save(retailer: Retailer): Promise<void> {
    await this.db.write((tx) => {
      checkLocation(RETAILERS, retailer.location);
      if (tx.values<Retailer>(RETAILERS).some((r) => r.phone.equals(retailer.phone) && r.id !== retailer.id)) {
        throw duplicateKey('a retailer with this phone exists', 'retailers_phone_key', { field: 'phone' });
      }
      if (tx.values<Vendor>(VENDORS).some((v) => v.phone.equals(retailer.phone))) throw phoneOfOtherParty();
      tx.set(RETAILERS, retailer.id, retailer);
    });
  }

  async list(page: PageRequest): Promise<Page<Retailer>> {
    return pageByCreated(this.db.read().values<Retailer>(RETAILERS), page);
  }

  async countByStatus(): Promise<Readonly<Record<RetailerStatus, number>>> {
    return countStatuses(RETAILER_STATUSES, this.db.read().values<Retailer>(RETAILERS));
  }
}

export class InMemoryVendorRepository implements VendorRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(id: VendorId): Promise<Vendor | null> {
    return this.db.read().get<Vendor>(VENDORS, id) ?? null;
  }

  async getByPhone(phone: PhoneNumber): Promise<Vendor | null> {
    return (
      this.db
        .read()
        .values<Vendor>(VENDORS)
        .find((v) => v.phone.equals(phone)) ?? null
    );
  }

  async getMany(ids: readonly VendorId[]): Promise<Vendor[]> {
    const r = this.db.read();
    return ids.map((id) => r.get<Vendor>(VENDORS, id)).filter((v): v is Vendor => v !== undefined);
  }

  async save(vendor: Vendor): Promise<void> {
    await this.db.write((tx) => {
      checkLocation(VENDORS, vendor.location);
      if (tx.values<Vendor>(VENDORS).some((v) => v.phone.equals(vendor.phone) && v.id !== vendor.id)) {
        throw duplicateKey('a vendor with this phone exists', 'vendors_phone_key', { field: 'phone' });
      }
      if (tx.values<Retailer>(RETAILERS).some((r) => r.phone.equals(vendor.phone))) throw phoneOfOtherParty();
      tx.set(VENDORS, vendor.id, vendor);
    });
  }

  async listActiveServing(area: string): Promise<Vendor[]> {
    const a = normalizeArea(area);
    return this.db
      .read()
      .values<Vendor>(VENDORS)
      .filter((v) => v.status === 'ACTIVE' && v.serviceAreas.includes(a))
      .sort((x, y) => cmp(x.id, y.id));
  }

  async list(page: PageRequest): Promise<Page<Vendor>> {
    return pageByCreated(this.db.read().values<Vendor>(VENDORS), page);
  }

  async countByStatus(): Promise<Readonly<Record<VendorStatus, number>>> {
    return countStatuses(VENDOR_STATUSES, this.db.read().values<Vendor>(VENDORS));
  }
}

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly db: StoreAccess) {}

  async get(id: UserId): Promise<User | null> {
    return this.db.read().get<User>(USERS, id) ?? null;
  }

  async getByEmail(email: string): Promise<User | null> {
    const e = email.trim().toLowerCase();
    return (
      this.db
        .read()
        .values<User>(USERS)
        .find((u) => u.email === e) ?? null
    );
  }

  async getByPhone(phone: PhoneNumber): Promise<User | null> {
    return (
      this.db
        .read()
        .values<User>(USERS)
        .find((u) => u.phone?.equals(phone) ?? false) ?? null
    );
  }

  async save(user: User): Promise<void> {
    await this.db.write((tx) => {
      for (const u of tx.values<User>(USERS)) {
        if (u.id === user.id) continue;
        if (user.email !== null && u.email === user.email)
          throw duplicateKey('email is taken', 'users_email_key', { field: 'email' });
        if (user.phone && u.phone?.equals(user.phone))
          throw duplicateKey('phone is taken', 'users_phone_key', { field: 'phone' });
      }
      tx.set(USERS, user.id, user);
    });
  }

  async list(filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    const rows = this.db
      .read()
      .values<User>(USERS)
      .filter(
        (u) =>
          (filter.status === undefined || u.status === filter.status) &&
          (filter.role === undefined || u.role === filter.role) &&
          (filter.retailerId === undefined || u.retailerId === filter.retailerId),
      );
    return pageByCreated(rows, page);
  }
  async countByStatus(): Promise<Readonly<Record<UserStatus, number>>> {
    return countStatuses(USER_STATUSES, this.db.read().values<User>(USERS));
  }
}
