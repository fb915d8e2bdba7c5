/**
 * A vendor's typed (or spoken) answer to an order offer: "accept", "ok", "sweekar", "hunchha",
 * "स्वीकार"; "reject", "sakdina", "hudaina", "अस्वीकार". Perhaps with the order's number
 * ("accept KH-000041") and the little words around it ("ok ho", "sweekar garchu", "स्वीकार छ").
 */
export interface OfferAnswer {
  readonly answer: 'accept' | 'reject';
  /** The order number it names ("KH-000041"), else null. */
  readonly number: string | null;
}

const ACCEPT = new Set([
  'accept',
  'accepted',
  'ok',
  'okay',
  'sweekar',
  'swikar',
  'swikaar',
  'swekar',
  'hunchha',
  'huncha',
  'thik',
  'theek',
  'स्वीकार',
  'हुन्छ',
  'ठिक',
  'ठीक',
]);

const REJECT = new Set([
  'reject',
  'rejected',
  'decline',
  'declined',
  'cannot',
  'sakdina',
  'sakdaina',
  'sakdinna',
  'hudaina',
  'hundaina',
  'asweekar',
  'aswikar',
  'अस्वीकार',
  'सक्दिन',
  'सक्दैन',
  'हुँदैन',
  'हुदैन',
]);

/**
 * Words that say nothing about which way ("ok ho", "sweekar garchu", "I accept the order"):
 * a message of only these and answer words is an answer; any other word makes it something
 * else (a price update names a product and a number, which no answer does).
 */
const FILLER = new Set([
  'i',
  'we',
  'will',
  'the',
  'this',
  'it',
  'order',
  'offer',
  'please',
  'sir',
  'ji',
  'hajur',
  'ho',
  'cha',
  'chha',
  'gare',
  'garen',
  'garchu',
  'garchhu',
  'garyo',
  'garnus',
  'yo',
  'la',
  'hai',
  'छ',
  'हो',
  'गरें',
  'गर्छु',
  'गरे',
  'अर्डर',
  'यो',
  'हजुर',
  'ल',
]);

/** "KH-000041", "kh 41", "#41" (our numbers; see orderNumberOf in shop-messages). */
const ORDER_NUMBER = /(?:\bkh[\s-]*|#)0*(\d{1,9})\b/iu;

/** The order number a message names ("KH-000041", "kh 41", "#41"), else null. */
export function orderNumberIn(text: string): string | null {
  const named = ORDER_NUMBER.exec(text);
  return named ? `KH-${(named[1] ?? '').padStart(6, '0')}` : null;
}

/** The answer a vendor's message gives to an offer, or null when it is not only that. */
export function offerAnswerIn(text: string): OfferAnswer | null {
  const number = orderNumberIn(text);
  const rest = text.toLowerCase().replace(ORDER_NUMBER, ' ');
  // Any other number ("ok 2150") is no answer: perhaps a price, never guessed to be an accept.
  if (/\p{N}/u.test(rest)) return null;
  // Letters and their marks only (Devanagari vowel signs are marks): the danda and punctuation go.
  const words = rest
    .replace(/[^\p{L}\p{M}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !FILLER.has(w));
  if (words.length === 0 || words.length > 3) return null;
  if (words.every((w) => ACCEPT.has(w))) return { answer: 'accept', number };
  if (words.every((w) => REJECT.has(w))) return { answer: 'reject', number };
  return null;
}
