import type { ConversationLanguage } from '../ports/conversation-store.js';
import type { Actor } from '../shared/domain-event.js';
import type { Id, RetailerId, VendorId } from '../shared/ids.js';
import type { PhoneNumber } from '../shared/phone-number.js';

export type OnboardingRequestId = Id<'OnboardingRequest'>;

export const ONBOARDING_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];

/** What the newcomer asks to be: a shop (a retailer) or a supplier (a vendor). */
export const ONBOARDING_ROLES = ['RETAILER', 'VENDOR'] as const;
export type OnboardingRole = (typeof ONBOARDING_ROLES)[number];

/** The longest shop name or area kept from a message (longer is cut, not refused: it is chat). */
export const ONBOARDING_DETAIL_MAX = 120;

/**
 * An unknown number that wrote to us, waiting for an operator: nothing else exists for it
 * (no retailer, no order) until one approves it. Shop name and area are what the person
 * wrote, if anything; the operator confirms or corrects them when approving.
 */
export interface OnboardingRequest {
  readonly id: OnboardingRequestId;
  readonly phone: PhoneNumber;
  /** The shop's name, or the supplier's business name. */
  readonly shopName: string | null;
  readonly area: string | null;
  /** What the person said it is ([Shop] / [Supplier], or words); null until it says. */
  readonly requestedRole: OnboardingRole | null;
  /** The language the person writes in: the decision is told in it. */
  readonly language: ConversationLanguage;
  readonly status: OnboardingStatus;
  /** How many messages the number sent while the request was pending. */
  readonly messages: number;
  readonly createdAt: Date;
  readonly lastMessageAt: Date;
  readonly decidedAt: Date | null;
  readonly decidedBy: Actor | null;
  /** The rejection's reason (told to the person), or the approval's note. */
  readonly reason: string | null;
  /** The retailer an approval as RETAILER created. */
  readonly retailerId: RetailerId | null;
  /** The vendor an approval as VENDOR created. */
  readonly vendorId: VendorId | null;
  /** 0 when never stored; each save adds one. */
  readonly version: number;
}

export interface OnboardingDetails {
  readonly shopName: string | null;
  readonly area: string | null;
  readonly role: OnboardingRole | null;
}

const SHOP =
  /(?:^|[\n,;.])\s*(?:shop(?:\s*name)?|store|business(?:\s*name)?|company|firm|pasal(?:\s*ko\s*naam)?|name|naam|पसल(?:को\s*नाम)?|नाम)\s*[:=-]\s*([^\n,;]+)/iu;
const AREA = /(?:^|[\n,;.])\s*(?:area|address|location|thau|thaun|thegana|ठेगाना|ठाउँ|क्षेत्र)\s*[:=-]\s*([^\n,;]+)/iu;

/**
 * The shop name and area a person gave in a message, when written as labelled fields
 * ("Shop: Sita Kirana, Area: Kathmandu-10"; "pasal: ..., thau: ..."; "पसल: ..., ठेगाना: ...").
 * Free prose is not guessed at: the operator asks when they are missing.
 */
export function onboardingDetailsIn(text: string): OnboardingDetails {
  return { shopName: field(SHOP, text), area: field(AREA, text), role: onboardingRoleIn(text) };
}

const ROLE_BUTTON = 'onboarding:role:';

/** The id of the onboarding reply's [Shop] / [Supplier] button. */
export function onboardingRoleButton(role: OnboardingRole): string {
  return `${ROLE_BUTTON}${role}`;
}

/** The role a tapped button says, or null (not an onboarding button, or a forged id). */
export function onboardingRoleOfButton(id: string | null): OnboardingRole | null {
  if (id === null || !id.startsWith(ROLE_BUTTON)) return null;
  const role = id.slice(ROLE_BUTTON.length);
  return (ONBOARDING_ROLES as readonly string[]).includes(role) ? (role as OnboardingRole) : null;
}

/** A supplier's words, in English, romanised Nepali and Devanagari. */
const SUPPLIER_WORDS =
  /\b(?:suppliers?|vendor|distribut(?:or|er)s?|wholesalers?|dealer|bitarak|thok)\b|वितरक|थोक|सप्लायर|डिलर|आपूर्तिकर्ता/iu;
/** A shop's words. */
const SHOP_WORDS = /\b(?:shop|shopkeeper|retail(?:er)?|store|kirana|pasal|khudra)\b|पसल|किराना|खुद्रा/iu;

/**
 * The role a message says ("I am a distributor", "thok bikreta", "वितरक"; "pasal", "shop"), or
 * null. A supplier's word wins over a shop's: suppliers say they supply shops, shops rarely say
 * they distribute. The operator sees it and decides anyway.
 */
export function onboardingRoleIn(text: string): OnboardingRole | null {
  if (SUPPLIER_WORDS.test(text)) return 'VENDOR';
  if (SHOP_WORDS.test(text)) return 'RETAILER';
  return null;
}

function field(pattern: RegExp, text: string): string | null {
  const value = pattern.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  if (!value) return null;
  const chars = [...value];
  return chars.length <= ONBOARDING_DETAIL_MAX ? value : chars.slice(0, ONBOARDING_DETAIL_MAX).join('');
}

/** A pending request with this message counted, and details it newly gave kept (earlier ones stay unless replaced). */
export function withMessage(
  request: OnboardingRequest,
  details: OnboardingDetails,
  language: ConversationLanguage,
  at: Date,
): OnboardingRequest {
  return {
    ...request,
    shopName: details.shopName ?? request.shopName,
    area: details.area ?? request.area,
    requestedRole: details.role ?? request.requestedRole,
    language,
    messages: request.messages + 1,
    lastMessageAt: at,
  };
}
