import { normalizeText } from './text-normalize.js';

/** Which non-order intents a message hints at; the parser decides against the items it found. */
export interface IntentCues {
  readonly status: boolean;
  readonly balance: boolean;
  readonly help: boolean;
  readonly greeting: boolean;
  /** A price question: there is no intent for it, so it must not become an order. */
  readonly price: boolean;
  readonly cancel: boolean;
  readonly repeat: boolean;
  /** Our order number ("KH-000042") or another system's reference ("ORD-7781"), if named. */
  readonly orderNumber: string | null;
}

/** Latin cues are matched on word boundaries; Devanagari ones (no \b for them in JS) as substrings. */
interface CueSet {
  readonly latin: RegExp;
  readonly devanagari: readonly string[];
}

const STATUS: CueSet = {
  latin:
    /\b(status|staus|stat|track|tracking|where\b.*\border|order\b.*\b(kaha|kahaa|kata|kaile|kahile|kailey)|kaha\s*(pugyo|pugeo|pugyu|puge|cha|xa|chha)|pugyo|pugeo|(kahile|kaile|kailey|kati\s*bela)\s*(aaucha|aauxa|aauchha|aaunchha|aucha|auxa|auchha|aaunxa|aaune|aune|pugcha|pugxa|pugchha)|aayena|aaena|ayena|aaeko\s*chaina|when\b.*\b(deliver|arrive|come|reach)|not\s*(yet\s*)?(arrived|received|delivered)|dispatch(ed)?\s*(bhayo|vayo)?\s*\?|(delivery|saman|order)\b.*\b(kahile|kaile|when)|(kahile|kaile)\s*(hunchha|huncha|hunxa|hola)|where('?s|\s+is|\s+are)\s+(my|our|the)\s+(order|delivery|goods|stuff|items?|saman|maal|parcel)|where('?s|\s+is)\s+it|(saman|samaan|maal|mal|order|delivery|parcel)\b.*\b(kaha|kahaa|kata|aayena|aaena|ayena|aaipugena|aaipugyo|pugena)|aaipug(yo|ena|eko)|khabar\s*(chaina|xaina|chhaina|aayena)|still\s+waiting|waiting\s+for\s+(my|the|our)|any\s+update|update\s+(on|about)\s+(my|the)\s+order|(didn'?t|did\s+not|has\s*n'?t|have\s*n'?t|not)\s+(come|came|arrive|arrived|reach|reached)|pathaunu\s*(bhayo|vayo)\s*ki\s*nai|(kahile|kaile)\s*samma|ko\s+ke\s+(bhayo|vayo))(?![a-z])/,
  devanagari: [
    'स्थिति',
    'कहाँ पुग्यो',
    'कहा पुग्यो',
    'पुग्यो',
    'कहिले आउँछ',
    'कहिले आउछ',
    'आएन',
    'अर्डर कहाँ',
    'स्टाटस',
    'आइपुगेन',
    'आइपुग्यो',
    'सामान कहाँ',
    'सामान कहिले',
    'कहिलेसम्म',
    'कहिले सम्म',
    'खबर छैन',
  ],
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

const CANCEL: CueSet = {
  latin:
    // "radda" alone: the romanised help tells a shop to send just that.
    /\b(cancel|cancle|cancell?ed|cansel|kansel|radda?(\s*(garnu|garnus|gardinu|gardinus|gara|gar))?|(order|saman)\s*(chahiyena|chaidaina|chaiyena|napathaunu|napathau)|don'?t\s+send\s+(my|the|that)\s+(last\s+)?order)(?![a-z])/,
  devanagari: ['रद्द', 'क्यान्सिल', 'क्यान्सल', 'अर्डर चाहिएन'],
};

const REPEAT: CueSet = {
  latin:
    /\b(same\s+(as\s+)?(last|before|previous|usual|pahile|pahila)|same\s+order|same\s+as\s+(last|the\s+last|before)|repeat(\s+(my\s+|the\s+)?(last|previous|same|order))?|(pahile|pahila|pahilo|agadi|aghi|last\s*(time|week)|gaya\s*hapta|hijo)\s*(ko\s*)?(jastai|jasto|jastei)|pahilekai|pahilakai|previous\s+order\s+again|order\s+again)(?![a-z])/,
  devanagari: ['पहिले जस्तै', 'पहिला जस्तै', 'पहिलेकै', 'पहिलाकै', 'अघि जस्तै', 'जस्तै पठाउ', 'फेरि पठाउ'],
};

const ORDER_NUMBER = /\bkh\s*-?\s*(\d{1,9})\b/i;
/**
 * Another system's order reference: "#ORD12345", "#A-2291", "ORD-2024-0098", "order no 7781",
 * "order number 552301", "order 458812" (four digits or more, so "order 5 bora" stays an order).
 */
const FOREIGN_REFERENCE =
  /#\s*([a-z]{0,5}-?\d[\w-]*)|\b(ord-?\d[\w-]*|ord-[\w-]*\d[\w-]*)|\border\s*(?:no\.?|num(?:ber)?|n[o0]\.|#)\s*:?\s*(\d[\w-]*)|\border\s+(\d{4,})\b(?!\s*(?:kg|g|l|ml|pcs?|bora|packet|carton|peti|ta|wota|bottle))/i;

function hits(cues: CueSet, text: string): boolean {
  return cues.latin.test(text) || cues.devanagari.some((c) => text.includes(c));
}

/**
 * "KH-42", "kh 000042" → "KH-000042" (the form the order repository issues); another
 * system's reference ("#ord-7781", "order no 552301") → as written, upper-cased, no "#".
 */
export function findOrderNumber(text: string): { readonly number: string; readonly match: string } | null {
  const t = normalizeText(text);
  const ours = ORDER_NUMBER.exec(t);
  if (ours?.[1]) return { number: `KH-${ours[1].padStart(6, '0')}`, match: ours[0] };
  const foreign = FOREIGN_REFERENCE.exec(t);
  const ref = foreign?.slice(1).find((g) => g !== undefined);
  return foreign && ref ? { number: ref.toUpperCase(), match: foreign[0] } : null;
}

export function detectIntentCues(text: string): IntentCues {
  const t = normalizeText(text).replace(/\s+/g, ' ');
  const orderNumber = findOrderNumber(t)?.number ?? null;
  return {
    status: hits(STATUS, t) || (orderNumber !== null && !hits(CANCEL, t)),
    balance: hits(BALANCE, t),
    help: hits(HELP, t),
    greeting: hits(GREETING, t),
    price: hits(PRICE, t),
    cancel: hits(CANCEL, t),
    repeat: hits(REPEAT, t),
    orderNumber,
  };
}

const FOREIGN_REFERENCES = new RegExp(FOREIGN_REFERENCE.source, 'gi');

/** Removes order numbers and references so that their digits are not read as a quantity. */
export function withoutOrderNumbers(text: string): string {
  return text.replace(/\b[kK][hH]\s*-?\s*[\d\u0966-\u096F]{1,9}\b/g, ' ').replace(FOREIGN_REFERENCES, ' ');
}
