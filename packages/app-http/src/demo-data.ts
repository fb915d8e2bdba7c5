import { POSTGRES_PERSISTENCE, runSeed, type SeedOptions, type SeedReport } from '@khaacho/adapters-postgres';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Composition } from '@khaacho/app-worker/composition';
import {
  AUTH_USE_CASES,
  CLOCK,
  DomainError,
  ErrorCodes,
  type Failure,
  ID_GENERATOR,
  LOGGER,
  type Outcome,
  type Page,
  REPOSITORY_TOKENS,
  Money,
  PhoneNumber,
  type Retailer,
  type Role,
  SYSTEM_ACTOR,
  type Token,
  USE_CASE_TOKENS,
  type Vendor,
} from '@khaacho/core';
import { NEPALI_CATALOG } from '@khaacho/core/corpus';
import { createUserWithPassword } from './auth/create-user.js';
import { TOTP_STEP_SECONDS, totpCode } from './auth/totp.js';

/**
 * The demo data set of `npm start`: the whole Nepali catalog, a few vendors with offers,
 * retailers with credit accounts, and past orders in every stage. adapters-postgres' seed,
 * which is deterministic and idempotent: the first start writes it, later starts add nothing.
 */
export const DEMO_SEED: SeedOptions = { products: 36, vendors: 8, retailers: 20, orders: 40, seed: 42 };

/** Loads the demo data into a PostgreSQL or embedded store; a memory store has nothing to keep it in. */
export async function loadDemoData(composition: Composition): Promise<SeedReport | null> {
  if (composition.adapters.store === 'memory') return null;
  return runSeed(composition.get(POSTGRES_PERSISTENCE), DEMO_SEED, composition.get(ID_GENERATOR));
}

/** The one password of every demo login: printed in the banner; demo data only, never a real account. */
export const DEMO_PASSWORD = 'khaacho-demo-2026';
const DEMO_LOGINS_FILE = 'demo-logins.json';

export interface DemoLogin {
  readonly role: Role;
  /** What to send as `identifier` to POST /api/v1/auth/login. */
  readonly identifier: string;
  readonly password: string;
  /** Base32 TOTP secret of ADMIN and OPERATOR (null: none, or unknown when its file was lost). */
  readonly totpSecret: string | null;
  readonly note: string;
}

const STAFF = [
  { role: 'ADMIN', email: 'admin@demo.khaacho.np' },
  { role: 'OPERATOR', email: 'operator@demo.khaacho.np' },
] as const;

/**
 * A login for each role on top of the demo data: ADMIN and OPERATOR (with TOTP enrolled and
 * confirmed, as their role requires, the secrets kept in `<dataDir>/demo-logins.json`,
 * mode 0600, so the banner can print them again on later starts), a RETAILER user of the
 * demo shop and a VENDOR user of the first ACTIVE demo vendor; the demo shop's area is
 * stocked (`stockDemoArea`). Idempotent: an existing login is left as it is. None on a memory
 * store (no demo data there).
 */
export async function loadDemoLogins(composition: Composition, dataDir: string | null): Promise<DemoLogin[]> {
  if (composition.adapters.store === 'memory') return [];
  const resolve = <T>(t: Token<T>) => composition.get(t);
  const secretsFile = dataDir && !dataDir.startsWith('memory://') ? join(dataDir, DEMO_LOGINS_FILE) : null;
  const secrets: Record<string, string> = secretsFile ? await readSecrets(secretsFile) : {};
  const logins: DemoLogin[] = [];
  const meta = { ip: null, requestId: null };
  for (const staff of STAFF) {
    const created = await createOnce(() =>
      createUserWithPassword(resolve, { role: staff.role, email: staff.email, password: DEMO_PASSWORD }),
    );
    if (created) {
      const auth = resolve(AUTH_USE_CASES);
      const identifier = { identifier: staff.email, password: DEMO_PASSWORD, meta };
      const { secret } = unwrapAuth(await auth.enrolTotp.execute(identifier));
      // Confirmed with the previous 30-s step's code (inside the verifier's window), as if the
      // person's app had been set up a moment before: the step a confirmation uses is spent, and
      // spending the current one refused the first login with the printed secret until the next
      // code. Real enrolments are unchanged: they confirm with the code their app shows.
      const confirm = () =>
        auth.confirmTotp.execute({
          ...identifier,
          code: totpCode(secret, new Date(resolve(CLOCK).now().getTime() - TOTP_STEP_SECONDS * 1000)),
        });
      let confirmed = await confirm();
      // A step boundary passed between the code and its check, which put the previous step out
      // of the verifier's window (npm start failed so at hh:mm:59.9): once more, with the new one's.
      if (!confirmed.ok && confirmed.error.code === ErrorCodes.AUTH_TOTP_INVALID) confirmed = await confirm();
      unwrapAuth(confirmed);
      secrets[staff.email] = secret;
      if (secretsFile) await writeFile(secretsFile, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    }
    logins.push({
      role: staff.role,
      identifier: staff.email,
      password: DEMO_PASSWORD,
      totpSecret: secrets[staff.email] ?? null,
      note: secrets[staff.email] ? '' : `TOTP enrolled; its secret is not in ${DEMO_LOGINS_FILE} any more`,
    });
  }
  const vendor = await demoVendor(resolve);
  if (vendor) {
    const retailer = await demoRetailer(resolve, vendor.serviceAreas[0] as string);
    await stockDemoArea(resolve, retailer.area);
    const email = 'retailer@demo.khaacho.np';
    await createOnce(() =>
      createUserWithPassword(resolve, { role: 'RETAILER', retailerId: retailer.id, email, password: DEMO_PASSWORD }),
    );
    logins.push({ role: 'RETAILER', identifier: email, password: DEMO_PASSWORD, totpSecret: null, note: 'no TOTP' });
    const vendorEmail = 'vendor@demo.khaacho.np';
    await createOnce(() =>
      createUserWithPassword(resolve, {
        role: 'VENDOR',
        vendorId: vendor.id,
        email: vendorEmail,
        password: DEMO_PASSWORD,
      }),
    );
    logins.push({
      role: 'VENDOR',
      identifier: vendorEmail,
      password: DEMO_PASSWORD,
      totpSecret: null,
      note: 'no TOTP',
    });
  }
  return logins;
}

/** The first ACTIVE demo vendor with offers: the VENDOR login, and whose area the demo shop is in. */
async function demoVendor(resolve: <T>(t: Token<T>) => T): Promise<Vendor | undefined> {
  let cursor: string | null = null;
  do {
    const page: Page<Vendor> = await resolve(REPOSITORY_TOKENS.vendors).list({ limit: 100, cursor });
    for (const vendor of page.items) {
      if (vendor.status !== 'ACTIVE' || vendor.serviceAreas.length === 0) continue;
      if ((await resolve(REPOSITORY_TOKENS.offers).listByVendor(vendor.id)).some((o) => o.active)) return vendor;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

const DEMO_SHOP_PHONE = '9809999999';

/**
 * The demo RETAILER's own shop, ACTIVE with NPR 100,000 of credit and no history, in an area
 * the demo vendor serves: the generated retailers carry months of overdue invoices (their
 * limits are spent), and a first order over the API should have a chance to be accepted.
 */
async function demoRetailer(resolve: <T>(t: Token<T>) => T, area: string): Promise<Retailer> {
  const phone = PhoneNumber.parse(DEMO_SHOP_PHONE);
  const existing = await resolve(REPOSITORY_TOKENS.retailers).getByPhone(phone);
  if (existing) return existing;
  const registered = await resolve(USE_CASE_TOKENS.registerRetailer).execute({
    name: 'Demo Kirana Pasal',
    phone,
    area,
    district: area.split('-')[0] ?? area,
    creditLimit: Money.of(10_000_000),
    netTermsDays: 30,
    status: 'ACTIVE',
    actor: SYSTEM_ACTOR,
  });
  return unwrapAuth(registered);
}

/** What the demo stocks an everyday product at, in the offer's unit: "chamal 2 bora" is 50 kg. */
export const DEMO_STOCK = 1_000;

/**
 * Every ACTIVE vendor serving the demo shop's area sells every everyday product (the Nepali
 * catalog, which the parser's list rows for "chamal" or "tel" are drawn from), active and in
 * stock, so a newcomer's first chat order finds its rice and oil whichever row is picked. The
 * seed spreads each product over 1-4 random vendors with 0-2,000 in stock: the one vendor of
 * the demo area sold no oil and had 21 kg of Mansuli rice, so "2 bora" stayed unpriced even
 * when a missing offer was added (an existing offer, however short, was skipped).
 *
 * A missing offer is created at the product's typical price. An offer as the seed wrote it
 * (not changed since its vendor was registered, which the seed does in the same instant)
 * keeps its price, unit and terms, and is re-activated and topped up to `DEMO_STOCK` when
 * short. An offer changed since, by its vendor, staff or an earlier start, is the vendor's
 * and is left as it is: loading twice changes nothing, and a restart keeps the vendor's own
 * price, stock and active edits. Each change goes through `upsertVendorOffer` (its own
 * transaction, price history and event).
 */
async function stockDemoArea(resolve: <T>(t: Token<T>) => T, area: string): Promise<void> {
  const offers = resolve(REPOSITORY_TOKENS.offers);
  const upsert = resolve(USE_CASE_TOKENS.upsertVendorOffer);
  const bySku = new Map(
    (await resolve(REPOSITORY_TOKENS.products).getManyBySku(NEPALI_CATALOG.map((e) => e.sku))).map((p) => [p.sku, p]),
  );
  const vendors: Vendor[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Vendor> = await resolve(REPOSITORY_TOKENS.vendors).list({ limit: 100, cursor });
    vendors.push(...page.items.filter((v) => v.status === 'ACTIVE' && v.serviceAreas.includes(area)));
    cursor = page.nextCursor;
  } while (cursor);
  let created = 0;
  let restocked = 0;
  for (const vendor of vendors) {
    for (const entry of NEPALI_CATALOG) {
      const product = bySku.get(entry.sku);
      // Staff took it out of the catalog: not the demo's to sell.
      if (!product?.active) continue;
      const existing = await offers.getByVendorAndProduct(vendor.id, product.id);
      if (existing) {
        const asSeeded = existing.updatedAt.getTime() <= vendor.createdAt.getTime();
        if (!asSeeded || (existing.active && existing.stockOnHand >= DEMO_STOCK)) continue;
      }
      unwrapAuth(
        await upsert.execute({
          vendorId: vendor.id,
          productId: product.id,
          unit: existing?.unit ?? product.baseUnit,
          unitPrice: existing?.unitPrice ?? Money.of(entry.typicalPrice),
          stockOnHand: Math.max(existing?.stockOnHand ?? 0, DEMO_STOCK),
          minOrderQty: existing?.minOrderQty ?? 1,
          ...(existing ? { leadTimeHours: existing.leadTimeHours } : {}),
          active: true,
          actor: SYSTEM_ACTOR,
        }),
      );
      if (existing) restocked += 1;
      else created += 1;
    }
  }
  if (created + restocked > 0) {
    resolve(LOGGER).info('demo stock', { area, vendors: vendors.length, created, restocked });
  }
}

/** true when created now, false when it was there already (ENTITY.DUPLICATE). */
async function createOnce(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (DomainError.is(error) && error.code === ErrorCodes.DUPLICATE) return false;
    throw error;
  }
}

async function readSecrets(file: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

function unwrapAuth<T>(outcome: Outcome<T, Failure['code']>): T {
  if (outcome.ok) return outcome.value;
  const { kind, code, message, details } = outcome.error;
  throw new DomainError(kind, code, message, details);
}
