import { accountView } from '../auth/accounts.js';
import { identifierThrottleKey } from '../auth/login-throttle.js';
import type { Retailer } from '../parties/retailer.js';
import type { User } from '../parties/user.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { Repositories } from '../ports/repositories.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { MS_PER_DAY } from '../shared/clock.js';
import type { UserId } from '../shared/ids.js';
import { PhoneNumber } from '../shared/phone-number.js';

/** Rows read per query while exporting: memory holds one page of one store at a time. */
export const PERSONAL_DATA_PAGE = 200;
/** The ledger is read in windows of this many days (it has no keyset pages). */
const LEDGER_WINDOW_MS = 31 * MS_PER_DAY;

/** What an erased party's name, area and district become. */
export const ERASED_NAME = 'Erased retailer';
export const ERASED_AREA = 'erased';
/**
 * An erased login's password hash: no hasher produces or verifies it (the `PasswordHasher`
 * port answers false for a hash it cannot read), so no password matches it.
 */
export const ERASED_PASSWORD_HASH = '!erased';

/** The retailer a personal-data export or erasure is about, as it was when the request began. */
export interface PersonalDataSubject {
  readonly retailer: Retailer;
  readonly now: Date;
}

/**
 * One store that holds personal data of a retailer: how to export what it holds, and how to
 * erase it. `erase` runs inside the erasure's transaction and answers how many records it
 * changed (for the audit entry); a store without `erase` keeps its records (financial ones,
 * which the law keeps) and they stay tied to the anonymised retailer by id.
 */
export interface PersonalDataStore {
  /** The section of the export (a key of its JSON object). */
  readonly name: string;
  /** `one`: the section is the single item (or null); `many`: an array of items. */
  readonly shape: 'one' | 'many';
  /**
   * The store's items, read page by page (never the whole store at once). Each item is
   * JSON-serialisable. Absent: the store's records are exported within another section.
   */
  items?(repos: Repositories, subject: PersonalDataSubject): AsyncIterable<unknown>;
  erase?(tx: TransactionScope, subject: PersonalDataSubject): Promise<number>;
}

/** Every item of a keyset-paginated listing, one page in memory at a time. */
export async function* allPages<T>(read: (page: PageRequest) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | null = null;
  do {
    const page: Page<T> = await read({ cursor, limit: PERSONAL_DATA_PAGE });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

function usersOf(repos: Repositories, subject: PersonalDataSubject): AsyncGenerator<User> {
  return allPages((page) => repos.users.list({ retailerId: subject.retailer.id }, page));
}

/** Is this retailer's personal data erased? (Its phone is the erased placeholder.) */
export function isErasedRetailer(retailer: Retailer): boolean {
  return retailer.phone.isErased;
}

const retailerStore: PersonalDataStore = {
  name: 'retailer',
  shape: 'one',
  async *items(repos, { retailer }) {
    const stored = await repos.retailers.get(retailer.id);
    if (stored) yield { ...stored, erased: isErasedRetailer(stored) };
  },
  async erase(tx, { retailer, now }) {
    // SUSPENDED: it cannot order, and ApproveRetailer refuses an erased retailer.
    await tx.retailers.save({
      ...retailer,
      name: ERASED_NAME,
      phone: PhoneNumber.erased(retailer.id),
      area: ERASED_AREA,
      district: ERASED_AREA,
      location: null,
      status: 'SUSPENDED',
      updatedAt: now,
    });
    return 1;
  },
};

const usersStore: PersonalDataStore = {
  name: 'users',
  shape: 'many',
  async *items(repos, subject) {
    for await (const user of usersOf(repos, subject)) {
      yield { ...accountView(user), totpEnrolled: user.totp !== null, updatedAt: user.updatedAt };
    }
  },
  async erase(tx, subject) {
    // Collected first: saving while paging by (createdAt, id) is safe, but the list is small either way.
    const users: User[] = [];
    for await (const user of usersOf(tx, subject)) users.push(user);
    for (const user of users) {
      for (const identifier of [user.email, user.phone?.value]) {
        if (identifier) await tx.loginThrottles.delete(identifierThrottleKey(identifier));
      }
      await tx.refreshTokens.revokeAllForUser(user.id as UserId, subject.now);
      await tx.users.save({
        ...user,
        email: null,
        phone: PhoneNumber.erased(user.id),
        passwordHash: ERASED_PASSWORD_HASH,
        totp: null,
        status: 'DISABLED',
        updatedAt: subject.now,
      });
    }
    return users.length;
  },
};

const ordersStore: PersonalDataStore = {
  name: 'orders',
  shape: 'many',
  async *items(repos, { retailer }) {
    const orders = allPages((page) => repos.orders.list({ retailerId: retailer.id }, page));
    for await (const order of orders) {
      yield {
        ...order.snapshot(),
        riskEvents: await repos.riskEvents.listByOrder(order.id),
        vendorRating: await repos.vendorRatings.getByOrder(order.id),
      };
    }
  },
  // The orders stay (financial records); only their free-text notes go.
  erase(tx, { retailer }) {
    return tx.orders.clearNotesOfRetailer(retailer.id);
  },
};

const ratingCommentsStore: PersonalDataStore = {
  // Exported with each order (`vendorRating`); only the shop's free-text comments are erased.
  name: 'vendorRatingComments',
  shape: 'many',
  erase(tx, { retailer }) {
    return tx.vendorRatings.clearCommentsOfRetailer(retailer.id);
  },
};

const creditAccountStore: PersonalDataStore = {
  name: 'creditAccount',
  shape: 'one',
  async *items(repos, { retailer }) {
    const account = await repos.credit.get(retailer.id);
    if (account) yield account.snapshot();
  },
};

const ledgerStore: PersonalDataStore = {
  name: 'ledgerEntries',
  shape: 'many',
  async *items(repos, { retailer, now }) {
    const account = await repos.credit.get(retailer.id);
    if (!account) return;
    const end = now.getTime() + LEDGER_WINDOW_MS;
    for (let from = account.header().createdAt.getTime(); from < end; from += LEDGER_WINDOW_MS) {
      yield* await repos.credit.listEntries(retailer.id, {
        from: new Date(from),
        to: new Date(from + LEDGER_WINDOW_MS),
      });
    }
  },
};

const creditScoresStore: PersonalDataStore = {
  name: 'creditScores',
  shape: 'many',
  async *items(repos, { retailer }) {
    // The history port reads newest first, at most 200: the export carries the newest 200.
    yield* await repos.creditScores.history(retailer.id, { limit: PERSONAL_DATA_PAGE });
  },
};

const draftsStore: PersonalDataStore = {
  name: 'orderDrafts',
  shape: 'many',
  items(repos, { retailer }) {
    return allPages((page) => repos.orderDrafts.listByRetailer(retailer.id, page));
  },
  erase(tx, { retailer }) {
    return tx.orderDrafts.deleteByRetailer(retailer.id);
  },
};

const auditStore: PersonalDataStore = {
  name: 'auditEntries',
  shape: 'many',
  async *items(repos, subject) {
    yield* allPages((page) => repos.auditLog.list({ target: { type: 'retailer', id: subject.retailer.id } }, page));
    for await (const user of usersOf(repos, subject)) {
      yield* allPages((page) => repos.auditLog.list({ target: { type: 'user', id: user.id } }, page));
    }
  },
};

/**
 * The numbers a retailer may chat with us from: the shop's, and its logins' (a WhatsApp
 * conversation is keyed by the number it comes from). Erased placeholders are no numbers.
 */
async function chatPhones(repos: Repositories, subject: PersonalDataSubject): Promise<PhoneNumber[]> {
  const phones = new Map<string, PhoneNumber>();
  const add = (phone: PhoneNumber | null | undefined) => {
    if (phone && !phone.isErased) phones.set(phone.value, phone);
  };
  add(subject.retailer.phone);
  for await (const user of usersOf(repos, subject)) add(user.phone);
  return [...phones.values()];
}

/**
 * The WhatsApp conversation state (its step, language, the ids of the messages answered):
 * exported as stored, deleted on erasure (it holds nothing the law keeps). Read as of the
 * epoch, so a conversation past its expiry but not yet purged is exported and erased too.
 */
const conversationsStore: PersonalDataStore = {
  name: 'conversations',
  shape: 'many',
  async *items(repos, subject) {
    for (const phone of await chatPhones(repos, subject)) {
      const state = await repos.conversations.get(phone, new Date(0));
      if (state.version === 0) continue;
      yield { ...state, phone: state.phone.value };
    }
  },
  async erase(tx, subject) {
    // Runs before `usersStore` (see the list's order): the logins' numbers are still theirs.
    let deleted = 0;
    for (const phone of await chatPhones(tx, subject)) {
      if (await tx.conversations.delete(phone)) deleted++;
    }
    return deleted;
  },
};

/**
 * The outbound message log (what we sent to the shop's numbers and how far it got): exported;
 * on erasure the recipient becomes the retailer's erased placeholder rather than the rows
 * being deleted. Deleting would not stay done: a status callback of one of those messages
 * arriving after the erasure (they come late, and more than once) re-creates a row for an
 * unknown message id with the number in it, whereas an existing row's recipient is never
 * overwritten by a callback. The rows keep only provider ids, kinds, times and statuses —
 * delivery statistics, no personal data.
 */
const outboundMessagesStore: PersonalDataStore = {
  name: 'outboundMessages',
  shape: 'many',
  async *items(repos, subject) {
    for (const phone of await chatPhones(repos, subject)) {
      yield* allPages((page) => repos.outboundMessages.listToRecipient(phone.value, page));
    }
  },
  async erase(tx, subject) {
    let changed = 0;
    const placeholder = PhoneNumber.erased(subject.retailer.id).value;
    for (const phone of await chatPhones(tx, subject)) {
      changed += await tx.outboundMessages.replaceRecipient(phone.value, placeholder);
    }
    return changed;
  },
};

/**
 * The onboarding requests of the shop's numbers (what the person wrote as its name and area,
 * and the decision): exported, deleted on erasure. The request that made the shop is the
 * record of a decision the retailer row and the audit log keep without the personal data.
 */
const onboardingRequestsStore: PersonalDataStore = {
  name: 'onboardingRequests',
  shape: 'many',
  async *items(repos, subject) {
    for (const phone of await chatPhones(repos, subject)) {
      for (const r of await repos.onboardingRequests.listByPhone(phone)) yield { ...r, phone: r.phone.value };
    }
  },
  async erase(tx, subject) {
    let deleted = 0;
    for (const phone of await chatPhones(tx, subject)) deleted += await tx.onboardingRequests.deleteByPhone(phone);
    return deleted;
  },
};

/**
 * Every store that holds a retailer's personal data, in export order and erasure order. A new
 * store keyed by retailer id or phone (a conversation state, an outbound-message log) is one
 * more entry here: the export and the erasure pick it up.
 */
export const PERSONAL_DATA_STORES: readonly PersonalDataStore[] = [
  retailerStore,
  // Before the logins: these read their phone numbers, which `usersStore` erases.
  conversationsStore,
  outboundMessagesStore,
  onboardingRequestsStore,
  usersStore,
  ordersStore,
  ratingCommentsStore,
  creditAccountStore,
  ledgerStore,
  creditScoresStore,
  draftsStore,
  auditStore,
];
