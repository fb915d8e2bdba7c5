import { normalizeText } from './text-normalize.js';

/** Which non-order intents a message hints at; the parser decides against the items it found. */
export interface IntentCues {
  readonly status: boolean;
  readonly balance: boolean;
  readonly help: boolean;
  readonly greeting: boolean;
  /** A price question: there is no intent for it, so it must not become an order. */
  readonly price: boolean;
  readonly orderNumber: string | null;
}

/** Latin cues are matched on word boundaries; Devanagari ones (no \b for them in JS) as substrings. */
interface CueSet {
  readonly latin: RegExp;
  readonly devanagari: readonly string[];
}

const STATUS: CueSet = {
  latin:
    /\b(status|staus|stat|track|tracking|where\b.*\border|order\b.*\b(kaha|kahaa|kata|kaile|kahile|kailey)|kaha\s*(pugyo|pugeo|pugyu|puge|cha|xa|chha)|pugyo|pugeo|(kahile|kaile|kailey|kati\s*bela)\s*(aaucha|aauxa|aauchha|aaunchha|aucha|auxa|auchha|aaunxa|aaune|aune|pugcha|pugxa|pugchha)|aayena|aaena|ayena|aaeko\s*chaina|when\b.*\b(deliver|arrive|come|reach)|not\s*(yet\s*)?(arrived|received|delivered)|dispatch(ed)?\s*(bhayo|vayo)?\s*\?|(delivery|saman|order)\b.*\b(kahile|kaile|when)|(kahile|kaile)\s*(hunchha|huncha|hunxa|hola))(?![a-z])/,
  devanagari: ['स्थिति', 'कहाँ पुग्यो', 'कहा पुग्यो', 'पुग्यो', 'कहिले आउँछ', 'कहिले आउछ', 'आएन', 'अर्डर कहाँ', 'स्टाटस'],
};

const BALANCE: CueSet = {
  latin:
    /\b(balance|balence|blance|due|dues|baki|baaki|bakee|bakaya|bakyauta|outstanding|udharo|udhaaro|udhar|hisab|hisaab|statement|ledger|kati\s*tirnu|tirnu|tirna|owe|credit\s*limit|payment\s*due|kati\s*paisa)(?![a-z])/,
  devanagari: ['बाँकी', 'बाकी', 'बक्यौता', 'तिर्नु', 'उधारो', 'हिसाब', 'ब्यालेन्स', 'ब्यालेंस', 'कति पैसा'],
};

const HELP: CueSet = {
  latin:
    /\b(help|halp|madat|maddat|madad|sahayog|sahayata|menu|guide|support|how\s*(do|can|to)\s*(i\s*)?order|kasari\s*(order|garne|garnu)|k\s*garne|what\s*can\s*you\s*do|garna\s*sakinchha|garna\s*milchha)(?![a-z])/,
  devanagari: ['सहयोग', 'मद्दत', 'मदत', 'सहायता', 'कसरी'],
};

const GREETING: CueSet = {
  latin:
    /\b(hi+|hello|helo|hey|hlo|namaste|namaskar|namasker|namaskaar|good\s*(morning|afternoon|evening|day)|sanchai|jay\s*nepal|jai\s*nepal|thank\s*you|thanks|thx|dhanyabad|dhanyawad|dhanybad)\b/,
  devanagari: ['नमस्ते', 'नमस्कार', 'सञ्चै', 'धन्यवाद'],
};

const PRICE: CueSet = {
  latin: /\b(price|prices|rate|rates|bhau|mrp|kati\s*(ho|parchha|parcha|ma))(?![a-z])/,
  devanagari: ['भाउ', 'दाम', 'मूल्य', 'कति हो', 'कति पर्छ'],
};

const ORDER_NUMBER = /\bkh\s*-?\s*(\d{1,9})\b/i;

function hits(cues: CueSet, text: string): boolean {
  return cues.latin.test(text) || cues.devanagari.some((c) => text.includes(c));
}

/** "KH-42", "kh 000042" → "KH-000042" (the form the order repository issues). */
export function findOrderNumber(text: string): { readonly number: string; readonly match: string } | null {
  const m = ORDER_NUMBER.exec(normalizeText(text));
  if (!m?.[1]) return null;
  return { number: `KH-${m[1].padStart(6, '0')}`, match: m[0] };
}

export function detectIntentCues(text: string): IntentCues {
  const t = normalizeText(text).replace(/\s+/g, ' ');
  const orderNumber = findOrderNumber(t)?.number ?? null;
  return {
    status: orderNumber !== null || hits(STATUS, t),
    balance: hits(BALANCE, t),
    help: hits(HELP, t),
    greeting: hits(GREETING, t),
    price: hits(PRICE, t),
    orderNumber,
  };
}

/** Removes an order number so that its digits are not read as a quantity. */
export function withoutOrderNumbers(text: string): string {
  return text.replace(/\b[kK][hH]\s*-?\s*[\d\u0966-\u096F]{1,9}\b/g, ' ');
}
