import type { DraftQuestionReason } from '../order/order-draft.js';
import type { OrderStatus } from '../order/order-status.js';
import type { ConversationLanguage } from '../ports/conversation-store.js';
import type { LineResolution } from '../ports/order-text-parser.js';
import type { OfferMessageRejection, OfferUpdatedFromMessage } from '../application/offer-from-message.js';

/**
 * Every sentence a conversation sends, in the three languages shops write in. One interface,
 * so a sentence added in one language and not the others does not compile. Button titles are
 * at most 20 characters (WhatsApp's limit), which the conversation tests check.
 */
export interface ReplyTexts {
  /** Appended to a priced line to say how a generic word was resolved. */
  readonly resolved: Readonly<Record<LineResolution, string>>;
  readonly status: Readonly<Record<OrderStatus, string>>;
  readonly buttons: {
    readonly confirm: string;
    readonly edit: string;
    readonly cancel: string;
    readonly yes: string;
    readonly no: string;
    readonly dispatched: string;
    readonly delivered: string;
    readonly choose: string;
    /** On an order held over the credit limit. */
    readonly askApproval: string;
    readonly cancelOrder: string;
    /** An unknown number says what it is: a shop or a supplier. */
    readonly shop: string;
    readonly supplier: string;
    /** A vendor's price change beyond ×2 or ÷2: apply it, or keep the price. */
    readonly updatePrice: string;
    readonly keepPrice: string;
  };
  draftTitle(): string;
  heard(text: string): string;
  /** A line not on the draft: its choices to pick from, why we cannot sell it, or not understood. */
  question(raw: string, hasChoices: boolean, reason?: DraftQuestionReason): string;
  total(total: string): string;
  credit(before: string, after: string): string;
  overLimit(): string;
  moreLines(count: number): string;
  chooseFor(raw: string): string;
  nothingUnderstood(): string;
  placed(number: string, total: string): string;
  placedForReview(number: string): string;
  heldOverLimit(number: string, hasWhatFits: boolean): string;
  /** [Ask approval] was tapped: the held order waits for an operator's decision. */
  approvalAsked(number: string): string;
  pricesChanged(): string;
  draftExpired(): string;
  draftNotOpen(): string;
  draftDropped(): string;
  askCorrection(): string;
  askCancel(number: string, status: string): string;
  cancelled(number: string): string;
  cancelKept(number: string): string;
  notCancellable(number: string, status: string): string;
  orderStatus(number: string, status: string, total: string): string;
  orderNotFound(reference: string | null): string;
  balance(available: string, limit: string, outstanding: string, overdue: string | null): string;
  help(): string;
  greeting(): string;
  notUnderstood(): string;
  /** An unknown number, role not said yet: how to register, asked shop or supplier (with the two buttons). */
  onboarding(): string;
  /** It said it is a shop: name and area, please. */
  onboardingShop(): string;
  /** It said it is a supplier: business name and the area it supplies, please. */
  onboardingSupplier(): string;
  /** It gave name and area but not what it is (with the two buttons). */
  onboardingAskRole(): string;
  /** An unknown number gave its shop's name and area: the request waits for an operator. */
  onboardingNoted(shop: string, area: string): string;
  /** A number whose onboarding request was rejected writes again. */
  notRegistered(): string;
  pendingApproval(): string;
  suspended(): string;
  typeYourOrder(): string;
  /** The voice note could not be fetched or transcribed now (the provider is failing). */
  voiceUnavailable(): string;
  /** The voice note is gone from the provider (expired) or did not arrive whole. */
  voiceGone(): string;
  /** The voice note is larger than we take. */
  voiceTooLong(): string;
  /** Nothing could be made out in the voice note. */
  voiceNotUnderstood(): string;
  textOnly(): string;
  /** A text over what an order message may be (WhatsApp allows a little more). */
  textTooLong(): string;
  vendorAccepted(number: string): string;
  vendorRejected(number: string): string;
  vendorOfferClosed(number: string): string;
  /** Reject tapped on an order this vendor accepted: it is still its to deliver. */
  vendorKeepsOrder(number: string): string;
  /** Dispatched or Delivered tapped on an order offered to the vendor and not accepted yet. */
  vendorAcceptFirst(number: string): string;
  vendorDispatched(number: string): string;
  vendorDelivered(number: string): string;
  vendorNotFound(): string;
  vendorInactive(): string;
  vendorHelp(): string;
  /** "accept"/"reject" typed with no offer waiting for this vendor's answer (or not the one it named). */
  vendorNoOpenOffer(number: string | null): string;
  /** "accept"/"reject" typed with several offers waiting: which one (with a list of them). */
  vendorWhichOffer(answer: 'accept' | 'reject', count: number): string;
  /** A vendor's voice note not heard: why, and what it can type instead. */
  vendorVoice(why: VoiceTrouble): string;
  /** [Delivered] was tapped: the vendor is asked for the code the shop received on dispatch. */
  askDeliveryCode(number: string): string;
  deliveryCodeWrong(number: string, attemptsLeft: number): string;
  /** Digits of another length while the code is awaited: a typo, not an attempt. */
  deliveryCodeDigits(number: string): string;
  /** The delivery went to an operator (no code, too many wrong codes, or the shop says not received). */
  deliveryDisputed(number: string): string;
  vendorNotDispatched(number: string, status: string): string;
  /** The shop said a dispatched order has not arrived. */
  notReceivedNoted(number: string): string;
  /** "not received" with several orders on their way: which one (with a list of them). */
  whichNotReceived(count: number): string;
  /** A vendor's price or stock message that could not be applied, by the parser's reason. */
  offerRejected(rejection: OfferMessageRejection): string;
  offerUpdated(result: OfferUpdatedFromMessage): string;
  /** A price change beyond ×2 or ÷2 waits for the vendor's [Update] or [Keep]. */
  offerPriceCheck(result: OfferUpdatedFromMessage): string;
  offerPriceKept(): string;
  somethingWrong(): string;
}

/** Why a voice note was not heard. */
export type VoiceTrouble = 'not-configured' | 'unavailable' | 'gone' | 'too-long' | 'not-understood';

/** The reasons a line we understood is not on the draft: we cannot sell it as asked. */
export type CannotSellReason = Extract<
  DraftQuestionReason,
  'NOT_AVAILABLE_IN_AREA' | 'OUT_OF_STOCK' | 'BELOW_MINIMUM_ORDER' | 'UNIT_NOT_SUPPORTED' | 'DUPLICATE_PRODUCT'
>;

export function isCannotSell(reason: DraftQuestionReason | undefined): reason is CannotSellReason {
  return (
    reason === 'NOT_AVAILABLE_IN_AREA' ||
    reason === 'OUT_OF_STOCK' ||
    reason === 'BELOW_MINIMUM_ORDER' ||
    reason === 'UNIT_NOT_SUPPORTED' ||
    reason === 'DUPLICATE_PRODUCT'
  );
}

/** The quantity is the question ("chamal -2 bora", "chamal 0 bora"): no pick can answer it. */
export type QuantityReason = Extract<DraftQuestionReason, 'MISSING_QUANTITY' | 'UNCLEAR_QUANTITY' | 'INVALID_QUANTITY'>;

export function isQuantityQuestion(reason: DraftQuestionReason | undefined): reason is QuantityReason {
  return reason === 'MISSING_QUANTITY' || reason === 'UNCLEAR_QUANTITY' || reason === 'INVALID_QUANTITY';
}

/** A question whose line says why it is not on the draft, rather than "not understood". */
export function saysWhy(reason: DraftQuestionReason | undefined): boolean {
  return isCannotSell(reason) || isQuantityQuestion(reason);
}

/**
 * A question's line: why it is not on the draft when we know (also when the list offers other
 * products: the reason must not hide behind "choose from the list"), else choose or not understood.
 */
function questionLine(
  raw: string,
  hasChoices: boolean,
  reason: DraftQuestionReason | undefined,
  texts: {
    readonly why: Readonly<Record<CannotSellReason | QuantityReason, string>>;
    readonly choose: string;
    readonly chooseOther: string;
    readonly notUnderstood: string;
  },
): string {
  const why = isCannotSell(reason) || isQuantityQuestion(reason) ? texts.why[reason] : null;
  const answer =
    why === null
      ? hasChoices
        ? texts.choose
        : texts.notUnderstood
      : hasChoices
        ? `${why}; ${texts.chooseOther}`
        : why;
  return `? "${raw}": ${answer}`;
}

const QUANTITY_EN: Readonly<Record<QuantityReason, string>> = {
  MISSING_QUANTITY: 'how many? Write it with the quantity, e.g. "rice 2 bags"',
  UNCLEAR_QUANTITY: 'how many exactly? Write the quantity again, e.g. "rice 2 bags"',
  INVALID_QUANTITY: 'the quantity must be more than 0: write it again',
};
const QUANTITY_NE_LATN: Readonly<Record<QuantityReason, string>> = {
  MISSING_QUANTITY: 'kati? Matra sanga lekhnus, jastai "chamal 2 bora"',
  UNCLEAR_QUANTITY: 'thik kati? Matra feri lekhnus, jastai "chamal 2 bora"',
  INVALID_QUANTITY: 'matra 0 bhanda badhi hunuparchha: feri lekhnus',
};
const QUANTITY_NE: Readonly<Record<QuantityReason, string>> = {
  MISSING_QUANTITY: 'कति? मात्रासहित लेख्नुहोस्, जस्तै "चामल २ बोरा"',
  UNCLEAR_QUANTITY: 'ठ्याक्कै कति? मात्रा फेरि लेख्नुहोस्, जस्तै "चामल २ बोरा"',
  INVALID_QUANTITY: 'मात्रा ० भन्दा बढी हुनुपर्छ: फेरि लेख्नुहोस्',
};

const CANNOT_SELL_EN: Readonly<Record<CannotSellReason, string>> = {
  NOT_AVAILABLE_IN_AREA: 'not sold in your area now',
  OUT_OF_STOCK: 'not enough in stock now',
  BELOW_MINIMUM_ORDER: 'below the minimum order',
  UNIT_NOT_SUPPORTED: 'not sold in that unit',
  DUPLICATE_PRODUCT: 'already on the order: write its total once',
};
const CANNOT_SELL_NE_LATN: Readonly<Record<CannotSellReason, string>> = {
  NOT_AVAILABLE_IN_AREA: 'tapaiko area ma ahile paidaina',
  OUT_OF_STOCK: 'ahile stock pugdaina',
  BELOW_MINIMUM_ORDER: 'minimum order bhanda kam',
  UNIT_NOT_SUPPORTED: 'tyo unit ma bikdaina',
  DUPLICATE_PRODUCT: 'order ma pahile nai cha: jamma ek palta lekhnus',
};
const CANNOT_SELL_NE: Readonly<Record<CannotSellReason, string>> = {
  NOT_AVAILABLE_IN_AREA: 'तपाईंको क्षेत्रमा अहिले पाइँदैन',
  OUT_OF_STOCK: 'अहिले स्टक पुग्दैन',
  BELOW_MINIMUM_ORDER: 'न्यूनतम अर्डरभन्दा कम',
  UNIT_NOT_SUPPORTED: 'त्यो एकाइमा बिक्दैन',
  DUPLICATE_PRODUCT: 'अर्डरमा पहिल्यै छ: जम्मा एकपटक लेख्नुहोस्',
};

const VOICE_TROUBLE_EN: Readonly<Record<VoiceTrouble, string>> = {
  'not-configured': 'We cannot listen to voice notes yet.',
  unavailable: 'We could not listen to your voice note just now (you can also send it again in a few minutes).',
  gone: 'We could not open your voice note.',
  'too-long': 'Your voice note is too long for us.',
  'not-understood': 'We could not make out any words in your voice note.',
};
const VOICE_TROUBLE_NE_LATN: Readonly<Record<VoiceTrouble, string>> = {
  'not-configured': 'Voice note ahile sunna sakdainau.',
  unavailable: 'Ahile tapaiko voice note sunna sakiena (kehi bermaa feri pathauna pani saknuhuncha).',
  gone: 'Tapaiko voice note khulna sakena.',
  'too-long': 'Voice note dherai lamo bhayo.',
  'not-understood': 'Voice note ma kehi bujhina.',
};
const VOICE_TROUBLE_NE: Readonly<Record<VoiceTrouble, string>> = {
  'not-configured': 'भ्वाइस नोट अहिले सुन्न सक्दैनौं।',
  unavailable: 'अहिले तपाईंको भ्वाइस नोट सुन्न सकिएन (केही बेरमा फेरि पठाउन पनि सक्नुहुन्छ)।',
  gone: 'तपाईंको भ्वाइस नोट खोल्न सकिएन।',
  'too-long': 'भ्वाइस नोट धेरै लामो भयो।',
  'not-understood': 'भ्वाइस नोटमा केही बुझिएन।',
};

const en: ReplyTexts = {
  resolved: { match: '', sku: '', history: ' (your usual)', default: ' (our usual pick)' },
  status: {
    PENDING: 'received',
    ON_HOLD: 'on hold',
    ROUTING: 'looking for a vendor',
    CONFIRMED: 'accepted by a vendor',
    DISPATCHED: 'on its way',
    DELIVERED: 'delivered',
    COMPLETED: 'completed',
    REJECTED: 'rejected',
    CANCELLED: 'cancelled',
  },
  buttons: {
    confirm: 'Confirm',
    edit: 'Edit',
    cancel: 'Cancel',
    yes: 'Yes, cancel',
    no: 'No, keep it',
    updatePrice: 'Yes, update',
    keepPrice: 'No, keep price',
    dispatched: 'Dispatched',
    delivered: 'Delivered',
    choose: 'Choose',
    askApproval: 'Ask approval',
    cancelOrder: 'Cancel order',
    shop: 'Shop',
    supplier: 'Supplier',
  },
  draftTitle: () => 'Your order:',
  heard: (text) => `We heard: "${text}"`,
  question: (raw, hasChoices, reason) =>
    questionLine(raw, hasChoices, reason, {
      why: { ...CANNOT_SELL_EN, ...QUANTITY_EN },
      choose: 'please choose from the list',
      chooseOther: 'or choose another from the list',
      notUnderstood: 'not understood',
    }),
  total: (total) => `Total ${total}`,
  credit: (before, after) => `Credit available ${before} → ${after} after this order`,
  overLimit: () => 'This is over your available credit.',
  moreLines: (count) => `… and ${count} more lines`,
  chooseFor: (raw) => `Which one did you mean by "${raw}"?`,
  nothingUnderstood: () =>
    'Sorry, we could not read an order in that. Write one item per line, e.g. "chamal 2 bora, tel 1 peti".',
  placed: (number, total) => `Order ${number} placed (${total}). We will tell you when a vendor accepts it.`,
  placedForReview: (number) => `Order ${number} placed. Our team reviews it before it goes to a vendor.`,
  heldOverLimit: (number, hasWhatFits) =>
    `Order ${number} is over your credit limit: it is held. Ask our team to approve it, or cancel it.${
      hasWhatFits ? ' Or order what fits your credit now (below): that replaces it.' : ''
    }`,
  approvalAsked: (number) =>
    `Order ${number} is with our team for approval. We will message you when they decide; nothing is charged until then.`,
  pricesChanged: () => 'Prices changed since your draft. Here it is at today’s prices:',
  draftExpired: () => 'That draft has expired. Please send your order again.',
  draftNotOpen: () => 'That draft is no longer open. Please use your latest draft or send your order again.',
  draftDropped: () => 'Draft cancelled. Nothing was ordered.',
  askCorrection: () => 'Please send the corrected order.',
  askCancel: (number, status) => `Cancel order ${number} (${status})?`,
  cancelled: (number) => `Order ${number} is cancelled.`,
  cancelKept: (number) => `Order ${number} is kept.`,
  notCancellable: (number, status) => `Order ${number} is ${status}: it can no longer be cancelled.`,
  orderStatus: (number, status, total) => `Order ${number} (${total}) is ${status}.`,
  orderNotFound: (reference) => (reference ? `We found no order ${reference} of yours.` : 'You have no orders yet.'),
  balance: (available, limit, outstanding, overdue) =>
    `Credit available ${available} of ${limit}. Outstanding ${outstanding}.${overdue ? ` Overdue ${overdue}.` : ''}`,
  help: () =>
    'Send your order as a message, e.g. "chamal 2 bora, tel 1 peti". You can also ask "status", "balance" or "cancel".',
  greeting: () => 'Namaste! Send your order as a message, e.g. "chamal 2 bora, tel 1 peti".',
  notUnderstood: () => 'Sorry, we did not understand. Send "help" to see what you can ask.',
  onboarding: () =>
    'Welcome to Khaacho! This number is not registered. Are you a shop or a supplier? Tap below, and reply with the name and area, e.g. "Shop: Sita Kirana, Area: Kathmandu-10". We will message you once an operator approves it.',
  onboardingShop: () =>
    'Welcome to Khaacho! This number is not registered. To register your shop, reply with its name and area, e.g. "Shop: Sita Kirana, Area: Kathmandu-10". We will message you once an operator approves it.',
  onboardingSupplier: () =>
    'Welcome to Khaacho! To register as a supplier, reply with your business name and the area you supply, e.g. "Name: Everest Traders, Area: Kathmandu-10". We will message you once an operator approves it.',
  onboardingAskRole: () => 'Are you a shop or a supplier? Tap below.',
  onboardingNoted: (shop, area) =>
    `Thank you! We have your request for ${shop}, ${area}. An operator will check it and message you.`,
  notRegistered: () => 'This number is not registered with Khaacho. Please contact Khaacho support.',
  pendingApproval: () => 'Your shop is waiting for approval by our team. We will message you once it is approved.',
  suspended: () => 'Your account is suspended. Please contact Khaacho support.',
  typeYourOrder: () => 'We cannot listen to voice notes yet: please type your order.',
  voiceUnavailable: () =>
    'We could not listen to your voice note just now. Please type your order, or send the voice note again in a few minutes.',
  voiceGone: () => 'We could not open your voice note. Please send it again, or type your order.',
  voiceTooLong: () => 'Your voice note is too long for us. Please send a shorter one, or type your order.',
  voiceNotUnderstood: () => 'We could not make out any words in your voice note. Please type your order.',
  textOnly: () => 'Please send your order as a text message.',
  textTooLong: () => 'Your message is too long for us. Please send the order in shorter messages.',
  vendorAccepted: (number) => `You accepted order ${number}. Tap Dispatched when it leaves.`,
  vendorRejected: (number) => `You rejected order ${number}.`,
  vendorOfferClosed: (number) => `Order ${number} is no longer offered to you.`,
  vendorKeepsOrder: (number) =>
    `You accepted order ${number}: it is yours to deliver. If you cannot, call us and an operator will cancel it.`,
  vendorAcceptFirst: (number) => `You have not accepted order ${number} yet: tap Accept first.`,
  vendorDispatched: (number) => `Order ${number} is dispatched. Tap Delivered when the shop has it.`,
  vendorDelivered: (number) => `Order ${number} is delivered. Thank you!`,
  vendorNotFound: () => 'We found no such order of yours.',
  vendorInactive: () => 'Your vendor account is not active. Please contact Khaacho support.',
  vendorHelp: () =>
    'Answer our order messages with their buttons (Accept, Reject, Dispatched, Delivered), or type "accept" or "reject". To change a price or stock, write e.g. "mansuli 25kg 2150" or "stock sugar 50 bora".',
  vendorNoOpenOffer: (number) =>
    number ? `Order ${number} is not waiting for your answer.` : 'You have no order waiting for your answer.',
  vendorWhichOffer: (answer, count) =>
    `${count} orders are waiting for your answer: which one do you ${answer}? Pick it from the list.`,
  vendorVoice: (why) =>
    `${VOICE_TROUBLE_EN[why]} Please type instead: a price or stock update (e.g. "mansuli 25kg 2150", "stock sugar 50 bora"), the 4-digit delivery code, or "accept" / "reject" for an order.`,
  askDeliveryCode: (number) => `Please send the 4-digit delivery code the shop received for order ${number}.`,
  deliveryCodeDigits: (number) =>
    `The delivery code has 4 digits. Please send the 4-digit code the shop received for order ${number}.`,
  deliveryCodeWrong: (number, left) =>
    `That is not the delivery code of order ${number}. ${left} ${left === 1 ? 'attempt' : 'attempts'} left.`,
  deliveryDisputed: (number) => `Delivery of order ${number} is not confirmed. An operator will call you.`,
  vendorNotDispatched: (number, status) => `Order ${number} is ${status}: there is no delivery to confirm.`,
  notReceivedNoted: (number) => `We noted that order ${number} has not arrived. An operator will call you.`,
  whichNotReceived: (count) =>
    `${count} of your orders are on their way: which one has not arrived? Pick it from the list.`,
  offerRejected: (r) => {
    switch (r.reason) {
      case 'NO_NUMBER':
      case 'BAD_NUMBER':
        return 'Please give the price or the stock as a number, e.g. "mansuli 25kg 2150" or "stock sugar 50 bora".';
      case 'UNKNOWN_UNIT':
        return `We do not know the unit "${r.unit}".`;
      case 'NO_PRODUCT':
      case 'UNKNOWN_PRODUCT':
        return 'We found no product of yours in that message. Write its name as in your price list.';
      case 'AMBIGUOUS_PRODUCT':
        return `"${r.mention}" could be ${r.candidates.map((p) => p.name).join(', ')}: please write the full name.`;
      case 'UNIT_MISMATCH':
        return `Your offer is per ${r.offerUnit}: please give the stock in ${r.offerUnit}.`;
    }
  },
  offerUpdated: (r) =>
    !r.changed
      ? `${r.product.name}: no change (${r.after.price.format()} per ${r.unit}, stock ${r.after.stock}).`
      : r.kind === 'price'
        ? `${r.product.name}: price ${r.before.price.format()} → ${r.after.price.format()} per ${r.unit}.`
        : `${r.product.name}: stock ${r.before.stock} → ${r.after.stock} ${r.unit}.`,
  offerPriceCheck: (r) =>
    `${r.product.name}: the price would go from ${r.before.price.format()} to ${r.after.price.format()} per ${r.unit}. That is a big change: update it?`,
  offerPriceKept: () => 'The price is kept as it was.',
  somethingWrong: () => 'Sorry, that did not work. Please try again or send "help".',
};

const neLatn: ReplyTexts = {
  resolved: { match: '', sku: '', history: ' (tapaiko sadhai ko)', default: ' (hamro sadhai ko)' },
  status: {
    PENDING: 'prapta bhayo',
    ON_HOLD: 'rokieko cha',
    ROUTING: 'vendor khojdai',
    CONFIRMED: 'vendor le sweekar garyo',
    DISPATCHED: 'bato ma cha',
    DELIVERED: 'delivery bhayo',
    COMPLETED: 'sakiyo',
    REJECTED: 'asweekar bhayo',
    CANCELLED: 'radda bhayo',
  },
  buttons: {
    confirm: 'Pakka garnus',
    edit: 'Sachyaunus',
    cancel: 'Radda garnus',
    yes: 'Ho, radda',
    no: 'Hoina, rakhnus',
    updatePrice: 'Ho, badalnus',
    keepPrice: 'Purano rakhnus',
    dispatched: 'Pathaiyo',
    delivered: 'Pugyo',
    choose: 'Channus',
    askApproval: 'Swikriti magnus',
    cancelOrder: 'Order radda',
    shop: 'Pasal',
    supplier: 'Supplier',
  },
  draftTitle: () => 'Tapaiko order:',
  heard: (text) => `Hamile suneko: "${text}"`,
  question: (raw, hasChoices, reason) =>
    questionLine(raw, hasChoices, reason, {
      why: { ...CANNOT_SELL_NE_LATN, ...QUANTITY_NE_LATN },
      choose: 'list bata channus',
      chooseOther: 'athawa list bata arko channus',
      notUnderstood: 'bujhiyena',
    }),
  total: (total) => `Jamma ${total}`,
  credit: (before, after) => `Baki credit ${before} → yo order pachi ${after}`,
  overLimit: () => 'Yo tapaiko credit bhanda badhi cha.',
  moreLines: (count) => `… ra aru ${count} line`,
  chooseFor: (raw) => `"${raw}" bhaneko kun ho?`,
  nothingUnderstood: () =>
    'Maaf garnus, order bujhiyena. Ek line ma ek saman lekhnus, jastai "chamal 2 bora, tel 1 peti".',
  placed: (number, total) => `Order ${number} rakhiyo (${total}). Vendor le sweekar garepachi janaunchhau.`,
  placedForReview: (number) => `Order ${number} rakhiyo. Vendor lai pathaunu aghi hamro team le herchha.`,
  heldOverLimit: (number, hasWhatFits) =>
    `Order ${number} credit limit bhanda badhi bhayo: rokieko cha. Hamro team sanga swikriti magnus, wa radda garnus.${
      hasWhatFits ? ' Athawa credit ma aaune jati ahile order garnus (tala): tyo yo order ko satta huncha.' : ''
    }`,
  approvalAsked: (number) =>
    `Order ${number} hamro team ko swikriti ko lagi pathaiyo. Nirnaya bhaepachi message garchhau; tyo samma kehi lagdaina.`,
  pricesChanged: () => 'Draft pachi mulya fereko cha. Aajako mulya ma:',
  draftExpired: () => 'Tyo draft ko samaya sakiyo. Order feri pathaunus.',
  draftNotOpen: () => 'Tyo draft aba khula chaina. Pachhillo draft prayog garnus wa order feri pathaunus.',
  draftDropped: () => 'Draft radda bhayo. Kehi order bhayena.',
  askCorrection: () => 'Sachyaeko order pathaunus.',
  askCancel: (number, status) => `Order ${number} (${status}) radda garne?`,
  cancelled: (number) => `Order ${number} radda bhayo.`,
  cancelKept: (number) => `Order ${number} rakhiyo.`,
  notCancellable: (number, status) => `Order ${number} ${status}: aba radda garna mildaina.`,
  orderStatus: (number, status, total) => `Order ${number} (${total}): ${status}.`,
  orderNotFound: (reference) => (reference ? `Tapaiko order ${reference} bhetiyena.` : 'Tapaiko kunai order chaina.'),
  balance: (available, limit, outstanding, overdue) =>
    `Baki credit ${available} (limit ${limit}). Tirna baki ${outstanding}.${overdue ? ` Myad nageko ${overdue}.` : ''}`,
  help: () =>
    'Order message ma pathaunus, jastai "chamal 2 bora, tel 1 peti". "status", "baki" wa "radda" pani sodhna saknuhuncha.',
  greeting: () => 'Namaste! Order message ma pathaunus, jastai "chamal 2 bora, tel 1 peti".',
  notUnderstood: () => 'Maaf garnus, bujhiyena. "madat" pathaunus.',
  onboarding: () =>
    'Khaacho ma swagat cha! Yo number darta bhayeko chaina. Tapai pasal ho ki supplier? Tala thichnus, ani naam ra thau pathaunus, jastai "Pasal: Sita Kirana, Thau: Kathmandu-10". Operator le swikriti diepachi message garchhau.',
  onboardingShop: () =>
    'Khaacho ma swagat cha! Yo number darta bhayeko chaina. Pasal darta garna yasko naam ra thau pathaunus, jastai "Pasal: Sita Kirana, Thau: Kathmandu-10". Operator le swikriti diepachi message garchhau.',
  onboardingSupplier: () =>
    'Khaacho ma swagat cha! Supplier ko rup ma darta garna byapar ko naam ra saman pathaune thau pathaunus, jastai "Naam: Everest Traders, Thau: Kathmandu-10". Operator le swikriti diepachi message garchhau.',
  onboardingAskRole: () => 'Tapai pasal ho ki supplier? Tala thichnus.',
  onboardingNoted: (shop, area) =>
    `Dhanyabad! ${shop}, ${area} ko darta anurodh prapta bhayo. Operator le jachera message garnuhuncha.`,
  notRegistered: () => 'Yo number Khaacho ma darta chaina. Khaacho support lai samparka garnus.',
  pendingApproval: () => 'Tapaiko pasal hamro team ko swikriti parkhidai cha. Swikriti bhaepachi message garchhau.',
  suspended: () => 'Tapaiko khata rokieko cha. Khaacho support lai samparka garnus.',
  typeYourOrder: () => 'Voice note ahile sunna sakdainau: order type garera pathaunus.',
  voiceUnavailable: () =>
    'Ahile tapaiko voice note sunna sakiena. Order type garera pathaunus, wa kehi bermaa voice note feri pathaunus.',
  voiceGone: () => 'Tapaiko voice note khulna sakena. Feri pathaunus, wa order type garera pathaunus.',
  voiceTooLong: () => 'Voice note dherai lamo bhayo. Chhoto pathaunus, wa order type garera pathaunus.',
  voiceNotUnderstood: () => 'Voice note ma kehi bujhina. Order type garera pathaunus.',
  textOnly: () => 'Order text message ma pathaunus.',
  textTooLong: () => 'Message dherai lamo bhayo. Order chhoto message ma pathaunus.',
  vendorAccepted: (number) => `Order ${number} sweekar garnubhayo. Pathaepachi "Pathaiyo" thichnus.`,
  vendorRejected: (number) => `Order ${number} asweekar garnubhayo.`,
  vendorOfferClosed: (number) => `Order ${number} aba tapailai offer gariyeko chaina.`,
  vendorKeepsOrder: (number) =>
    `Tapaile order ${number} sweekar garnubhayo: yo tapaile nai pathaunuparchha. Sakdaina bhane hamilai phone garnus, operator le radda garnuhuncha.`,
  vendorAcceptFirst: (number) => `Order ${number} ahile samma sweekar garnubhayeko chaina: pahile Accept thichnus.`,
  vendorDispatched: (number) => `Order ${number} pathaiyo. Pasal ma pugepachi "Pugyo" thichnus.`,
  vendorDelivered: (number) => `Order ${number} pugyo. Dhanyabad!`,
  vendorNotFound: () => 'Tapaiko yesto order bhetiyena.',
  vendorInactive: () => 'Tapaiko vendor khata sakriya chaina. Khaacho support lai samparka garnus.',
  vendorHelp: () =>
    'Hamro order message ko button thichnus (Accept, Reject, Pathaiyo, Pugyo), wa "sweekar" wa "sakdina" lekhnus. Mulya wa stock ferna "mansuli 25kg 2150" wa "stock chini 50 bora" jastai lekhnus.',
  vendorNoOpenOffer: (number) =>
    number ? `Order ${number} tapaiko jawaf parkhidai chaina.` : 'Tapaiko jawaf parkhine kunai order chaina.',
  vendorWhichOffer: (answer, count) =>
    `${count} order tapaiko jawaf parkhidai chan: kun ${answer === 'accept' ? 'sweekar' : 'asweekar'} garne? List bata channus.`,
  vendorVoice: (why) =>
    `${VOICE_TROUBLE_NE_LATN[why]} Type garera pathaunus: mulya wa stock (jastai "mansuli 25kg 2150", "stock chini 50 bora"), 4 ank ko delivery code, wa order ko lagi "sweekar" / "sakdina".`,
  askDeliveryCode: (number) => `Order ${number} ko 4 ank ko delivery code pathaunus (pasal sanga cha).`,
  deliveryCodeDigits: (number) =>
    `Delivery code 4 ank ko huncha. Order ${number} ko 4 ank ko code pathaunus (pasal sanga cha).`,
  deliveryCodeWrong: (number, left) =>
    `Order ${number} ko delivery code milena. Aru ${left} patak koshis garna milcha.`,
  deliveryDisputed: (number) => `Order ${number} ko delivery pakka bhayena. Operator le phone garnuhuncha.`,
  vendorNotDispatched: (number, status) => `Order ${number} ${status}: pakka garne delivery chaina.`,
  notReceivedNoted: (number) => `Order ${number} aayena bhanne thaha bhayo. Operator le phone garnuhuncha.`,
  whichNotReceived: (count) => `Tapaiko ${count} order bato ma chan: kun aayena? List bata channus.`,
  offerRejected: (r) => {
    switch (r.reason) {
      case 'NO_NUMBER':
      case 'BAD_NUMBER':
        return 'Mulya wa stock ank ma lekhnus, jastai "mansuli 25kg 2150" wa "stock chini 50 bora".';
      case 'UNKNOWN_UNIT':
        return `"${r.unit}" unit bujhiyena.`;
      case 'NO_PRODUCT':
      case 'UNKNOWN_PRODUCT':
        return 'Yo message ma tapaiko saman bhetiyena. Price list ma jasto naam lekhnus.';
      case 'AMBIGUOUS_PRODUCT':
        return `"${r.mention}" ${r.candidates.map((p) => p.name).join(', ')} hunasakcha: pura naam lekhnus.`;
      case 'UNIT_MISMATCH':
        return `Tapaiko offer ${r.offerUnit} ma cha: stock ${r.offerUnit} ma lekhnus.`;
    }
  },
  offerUpdated: (r) =>
    !r.changed
      ? `${r.product.name}: kehi fereena (${r.unit} ko ${r.after.price.format()}, stock ${r.after.stock}).`
      : r.kind === 'price'
        ? `${r.product.name}: mulya ${r.before.price.format()} → ${r.after.price.format()} (${r.unit} ko).`
        : `${r.product.name}: stock ${r.before.stock} → ${r.after.stock} ${r.unit}.`,
  offerPriceCheck: (r) =>
    `${r.product.name}: mulya ${r.before.price.format()} bata ${r.after.price.format()} (${r.unit} ko) hunchha. Yo thulo pharak ho: badalne?`,
  offerPriceKept: () => 'Mulya pahile jastai rakhiyo.',
  somethingWrong: () => 'Maaf garnus, bhayena. Feri koshis garnus wa "madat" pathaunus.',
};

const ne: ReplyTexts = {
  resolved: { match: '', sku: '', history: ' (तपाईंको सधैंको)', default: ' (हाम्रो सधैंको)' },
  status: {
    PENDING: 'प्राप्त भयो',
    ON_HOLD: 'रोकिएको छ',
    ROUTING: 'भेन्डर खोज्दै',
    CONFIRMED: 'भेन्डरले स्वीकार गर्‍यो',
    DISPATCHED: 'बाटोमा छ',
    DELIVERED: 'डेलिभरी भयो',
    COMPLETED: 'सकियो',
    REJECTED: 'अस्वीकार भयो',
    CANCELLED: 'रद्द भयो',
  },
  buttons: {
    confirm: 'पक्का गर्नुहोस्',
    edit: 'सच्याउनुहोस्',
    cancel: 'रद्द गर्नुहोस्',
    yes: 'हो, रद्द',
    no: 'होइन, राख्नुहोस्',
    updatePrice: 'हो, बदल्नुहोस्',
    keepPrice: 'पुरानै राख्नुहोस्',
    dispatched: 'पठाइयो',
    delivered: 'पुग्यो',
    choose: 'छान्नुहोस्',
    askApproval: 'स्वीकृति माग्नुहोस्',
    cancelOrder: 'अर्डर रद्द',
    shop: 'पसल',
    supplier: 'सप्लायर',
  },
  draftTitle: () => 'तपाईंको अर्डर:',
  heard: (text) => `हामीले सुनेको: "${text}"`,
  question: (raw, hasChoices, reason) =>
    questionLine(raw, hasChoices, reason, {
      why: { ...CANNOT_SELL_NE, ...QUANTITY_NE },
      choose: 'सूचीबाट छान्नुहोस्',
      chooseOther: 'अथवा सूचीबाट अर्को छान्नुहोस्',
      notUnderstood: 'बुझिएन',
    }),
  total: (total) => `जम्मा ${total}`,
  credit: (before, after) => `बाँकी क्रेडिट ${before} → यो अर्डरपछि ${after}`,
  overLimit: () => 'यो तपाईंको क्रेडिटभन्दा बढी छ।',
  moreLines: (count) => `… र अरू ${count} लाइन`,
  chooseFor: (raw) => `"${raw}" भनेको कुन हो?`,
  nothingUnderstood: () => 'माफ गर्नुहोस्, अर्डर बुझिएन। एक लाइनमा एक सामान लेख्नुहोस्, जस्तै "चामल २ बोरा, तेल १ पेटी"।',
  placed: (number, total) => `अर्डर ${number} राखियो (${total})। भेन्डरले स्वीकार गरेपछि जानकारी दिनेछौं।`,
  placedForReview: (number) => `अर्डर ${number} राखियो। भेन्डरलाई पठाउनुअघि हाम्रो टोलीले हेर्नेछ।`,
  heldOverLimit: (number, hasWhatFits) =>
    `अर्डर ${number} क्रेडिट सीमाभन्दा बढी भयो: रोकिएको छ। हाम्रो टोलीसँग स्वीकृति माग्नुहोस्, वा रद्द गर्नुहोस्।${
      hasWhatFits ? ' वा क्रेडिटमा अट्ने जति अहिले अर्डर गर्नुहोस् (तल): त्यसले यो अर्डरको सट्टा लिन्छ।' : ''
    }`,
  approvalAsked: (number) =>
    `अर्डर ${number} हाम्रो टोलीको स्वीकृतिका लागि पठाइयो। निर्णय भएपछि म्यासेज गर्नेछौं; त्यतिन्जेल केही लाग्दैन।`,
  pricesChanged: () => 'ड्राफ्टपछि मूल्य फेरिएको छ। आजको मूल्यमा:',
  draftExpired: () => 'त्यो ड्राफ्टको समय सकियो। अर्डर फेरि पठाउनुहोस्।',
  draftNotOpen: () => 'त्यो ड्राफ्ट अब खुला छैन। पछिल्लो ड्राफ्ट प्रयोग गर्नुहोस् वा अर्डर फेरि पठाउनुहोस्।',
  draftDropped: () => 'ड्राफ्ट रद्द भयो। केही अर्डर भएन।',
  askCorrection: () => 'सच्याएको अर्डर पठाउनुहोस्।',
  askCancel: (number, status) => `अर्डर ${number} (${status}) रद्द गर्ने?`,
  cancelled: (number) => `अर्डर ${number} रद्द भयो।`,
  cancelKept: (number) => `अर्डर ${number} राखियो।`,
  notCancellable: (number, status) => `अर्डर ${number} ${status}: अब रद्द गर्न मिल्दैन।`,
  orderStatus: (number, status, total) => `अर्डर ${number} (${total}): ${status}।`,
  orderNotFound: (reference) => (reference ? `तपाईंको अर्डर ${reference} भेटिएन।` : 'तपाईंको कुनै अर्डर छैन।'),
  balance: (available, limit, outstanding, overdue) =>
    `बाँकी क्रेडिट ${available} (सीमा ${limit})। तिर्न बाँकी ${outstanding}।${overdue ? ` म्याद नाघेको ${overdue}।` : ''}`,
  help: () => 'अर्डर म्यासेजमा पठाउनुहोस्, जस्तै "चामल २ बोरा, तेल १ पेटी"। "स्थिति", "बाँकी" वा "रद्द" पनि सोध्न सक्नुहुन्छ।',
  greeting: () => 'नमस्ते! अर्डर म्यासेजमा पठाउनुहोस्, जस्तै "चामल २ बोरा, तेल १ पेटी"।',
  notUnderstood: () => 'माफ गर्नुहोस्, बुझिएन। "मद्दत" पठाउनुहोस्।',
  onboarding: () =>
    'खाचोमा स्वागत छ! यो नम्बर दर्ता भएको छैन। तपाईं पसल हो कि सप्लायर? तल थिच्नुहोस्, अनि नाम र ठेगाना पठाउनुहोस्, जस्तै "पसल: सीता किराना, ठेगाना: काठमाडौं-१०"। अपरेटरले स्वीकृति दिएपछि म्यासेज गर्नेछौं।',
  onboardingShop: () =>
    'खाचोमा स्वागत छ! यो नम्बर दर्ता भएको छैन। पसल दर्ता गर्न यसको नाम र ठेगाना पठाउनुहोस्, जस्तै "पसल: सीता किराना, ठेगाना: काठमाडौं-१०"। अपरेटरले स्वीकृति दिएपछि म्यासेज गर्नेछौं।',
  onboardingSupplier: () =>
    'खाचोमा स्वागत छ! सप्लायरको रूपमा दर्ता गर्न व्यवसायको नाम र सामान पठाउने ठेगाना पठाउनुहोस्, जस्तै "नाम: एभरेस्ट ट्रेडर्स, ठेगाना: काठमाडौं-१०"। अपरेटरले स्वीकृति दिएपछि म्यासेज गर्नेछौं।',
  onboardingAskRole: () => 'तपाईं पसल हो कि सप्लायर? तल थिच्नुहोस्।',
  onboardingNoted: (shop, area) => `धन्यवाद! ${shop}, ${area} को दर्ता अनुरोध प्राप्त भयो। अपरेटरले जाँचेर म्यासेज गर्नुहुनेछ।`,
  notRegistered: () => 'यो नम्बर खाचोमा दर्ता छैन। खाचो सपोर्टलाई सम्पर्क गर्नुहोस्।',
  pendingApproval: () => 'तपाईंको पसल हाम्रो टोलीको स्वीकृति पर्खिँदै छ। स्वीकृत भएपछि म्यासेज गर्नेछौं।',
  suspended: () => 'तपाईंको खाता रोकिएको छ। खाचो सपोर्टलाई सम्पर्क गर्नुहोस्।',
  typeYourOrder: () => 'भ्वाइस नोट अहिले सुन्न सक्दैनौं: अर्डर टाइप गरेर पठाउनुहोस्।',
  voiceUnavailable: () =>
    'अहिले तपाईंको भ्वाइस नोट सुन्न सकिएन। अर्डर टाइप गरेर पठाउनुहोस्, वा केही बेरमा भ्वाइस नोट फेरि पठाउनुहोस्।',
  voiceGone: () => 'तपाईंको भ्वाइस नोट खोल्न सकिएन। फेरि पठाउनुहोस्, वा अर्डर टाइप गरेर पठाउनुहोस्।',
  voiceTooLong: () => 'भ्वाइस नोट धेरै लामो भयो। छोटो पठाउनुहोस्, वा अर्डर टाइप गरेर पठाउनुहोस्।',
  voiceNotUnderstood: () => 'भ्वाइस नोटमा केही बुझिएन। अर्डर टाइप गरेर पठाउनुहोस्।',
  textOnly: () => 'अर्डर टेक्स्ट म्यासेजमा पठाउनुहोस्।',
  textTooLong: () => 'म्यासेज धेरै लामो भयो। अर्डर छोटो म्यासेजमा पठाउनुहोस्।',
  vendorAccepted: (number) => `अर्डर ${number} स्वीकार गर्नुभयो। पठाएपछि "पठाइयो" थिच्नुहोस्।`,
  vendorRejected: (number) => `अर्डर ${number} अस्वीकार गर्नुभयो।`,
  vendorOfferClosed: (number) => `अर्डर ${number} अब तपाईंलाई प्रस्ताव गरिएको छैन।`,
  vendorKeepsOrder: (number) =>
    `तपाईंले अर्डर ${number} स्वीकार गर्नुभयो: यो तपाईंले नै पुर्‍याउनुपर्छ। सक्नुहुन्न भने हामीलाई फोन गर्नुहोस्, अपरेटरले रद्द गर्नुहुन्छ।`,
  vendorAcceptFirst: (number) => `अर्डर ${number} अझै स्वीकार गर्नुभएको छैन: पहिले Accept थिच्नुहोस्।`,
  vendorDispatched: (number) => `अर्डर ${number} पठाइयो। पसलमा पुगेपछि "पुग्यो" थिच्नुहोस्।`,
  vendorDelivered: (number) => `अर्डर ${number} पुग्यो। धन्यवाद!`,
  vendorNotFound: () => 'तपाईंको यस्तो अर्डर भेटिएन।',
  vendorInactive: () => 'तपाईंको भेन्डर खाता सक्रिय छैन। खाचो सपोर्टलाई सम्पर्क गर्नुहोस्।',
  vendorHelp: () =>
    'हाम्रो अर्डर म्यासेजका बटन थिच्नुहोस् (Accept, Reject, पठाइयो, पुग्यो), वा "स्वीकार" वा "अस्वीकार" लेख्नुहोस्। मूल्य वा स्टक फेर्न "मन्सुली २५ केजी २१५०" वा "स्टक चिनी ५० बोरा" जस्तै लेख्नुहोस्।',
  vendorNoOpenOffer: (number) => (number ? `अर्डर ${number} तपाईंको जवाफ पर्खिँदै छैन।` : 'तपाईंको जवाफ पर्खने कुनै अर्डर छैन।'),
  vendorWhichOffer: (answer, count) =>
    `${count} अर्डर तपाईंको जवाफ पर्खिँदै छन्: कुन ${answer === 'accept' ? 'स्वीकार' : 'अस्वीकार'} गर्ने? सूचीबाट छान्नुहोस्।`,
  vendorVoice: (why) =>
    `${VOICE_TROUBLE_NE[why]} टाइप गरेर पठाउनुहोस्: मूल्य वा स्टक (जस्तै "मन्सुली २५ केजी २१५०", "स्टक चिनी ५० बोरा"), ४ अङ्कको डेलिभरी कोड, वा अर्डरका लागि "स्वीकार" / "अस्वीकार"।`,
  askDeliveryCode: (number) => `अर्डर ${number} को ४ अङ्कको डेलिभरी कोड पठाउनुहोस् (पसलसँग छ)।`,
  deliveryCodeDigits: (number) => `डेलिभरी कोड ४ अङ्कको हुन्छ। अर्डर ${number} को ४ अङ्कको कोड पठाउनुहोस् (पसलसँग छ)।`,
  deliveryCodeWrong: (number, left) => `अर्डर ${number} को डेलिभरी कोड मिलेन। अरू ${left} पटक प्रयास गर्न मिल्छ।`,
  deliveryDisputed: (number) => `अर्डर ${number} को डेलिभरी पक्का भएन। अपरेटरले फोन गर्नुहुनेछ।`,
  vendorNotDispatched: (number, status) => `अर्डर ${number} ${status}: पक्का गर्ने डेलिभरी छैन।`,
  notReceivedNoted: (number) => `अर्डर ${number} आएन भन्ने थाहा भयो। अपरेटरले फोन गर्नुहुनेछ।`,
  whichNotReceived: (count) => `तपाईंका ${count} अर्डर बाटोमा छन्: कुन आएन? सूचीबाट छान्नुहोस्।`,
  offerRejected: (r) => {
    switch (r.reason) {
      case 'NO_NUMBER':
      case 'BAD_NUMBER':
        return 'मूल्य वा स्टक अङ्कमा लेख्नुहोस्, जस्तै "मन्सुली २५ केजी २१५०" वा "स्टक चिनी ५० बोरा"।';
      case 'UNKNOWN_UNIT':
        return `"${r.unit}" एकाइ बुझिएन।`;
      case 'NO_PRODUCT':
      case 'UNKNOWN_PRODUCT':
        return 'यो म्यासेजमा तपाईंको सामान भेटिएन। मूल्य सूचीमा जस्तै नाम लेख्नुहोस्।';
      case 'AMBIGUOUS_PRODUCT':
        return `"${r.mention}" ${r.candidates.map((p) => p.name).join(', ')} हुनसक्छ: पूरा नाम लेख्नुहोस्।`;
      case 'UNIT_MISMATCH':
        return `तपाईंको अफर ${r.offerUnit} मा छ: स्टक ${r.offerUnit} मा लेख्नुहोस्।`;
    }
  },
  offerUpdated: (r) =>
    !r.changed
      ? `${r.product.name}: केही फेरिएन (${r.unit} को ${r.after.price.format()}, स्टक ${r.after.stock})।`
      : r.kind === 'price'
        ? `${r.product.name}: मूल्य ${r.before.price.format()} → ${r.after.price.format()} (${r.unit} को)।`
        : `${r.product.name}: स्टक ${r.before.stock} → ${r.after.stock} ${r.unit}।`,
  offerPriceCheck: (r) =>
    `${r.product.name}: मूल्य ${r.before.price.format()} बाट ${r.after.price.format()} (${r.unit} को) हुन्छ। यो ठूलो फरक हो: बदल्ने?`,
  offerPriceKept: () => 'मूल्य पहिले जस्तै राखियो।',
  somethingWrong: () => 'माफ गर्नुहोस्, भएन। फेरि प्रयास गर्नुहोस् वा "मद्दत" पठाउनुहोस्।',
};

export const REPLY_TEXTS: Readonly<Record<ConversationLanguage, ReplyTexts>> = { en, 'ne-Latn': neLatn, ne };

/** The confirmation of a vendor's price or stock message, in its language. */
export function offerUpdateText(result: OfferUpdatedFromMessage, language: ConversationLanguage = 'en'): string {
  return REPLY_TEXTS[language].offerUpdated(result);
}
