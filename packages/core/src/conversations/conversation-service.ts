import { MAX_DRAFT_TEXT_LENGTH } from '../application/order-drafts.js';
import type { DraftUseCases } from '../application/draft-use-cases.js';
import { recordOnboardingMessage } from '../application/onboarding.js';
import {
  ONBOARDING_ROLES,
  onboardingDetailsIn,
  onboardingRoleButton,
  onboardingRoleOfButton,
} from '../onboarding/onboarding-request.js';
import type { OfferMessageRejection } from '../application/offer-from-message.js';
import type { Failure } from '../application/outcome.js';
import type { ShopMessageAnswer } from '../application/shop-messages.js';
import type { UseCases } from '../application/use-cases.js';
import type { InboundMessage } from '../messaging/inbound-message.js';
import { messagesSendRequested } from '../messaging/request-message.js';
import type { OrderDraft } from '../order/order-draft.js';
import type { Order } from '../order/order.js';
import type { Retailer } from '../parties/retailer.js';
import type { Vendor } from '../parties/vendor.js';
import type { ConversationHandler, MessageDelivery } from '../ports/conversation-handler.js';
import {
  type ConversationLanguage,
  type ConversationParty,
  type ConversationState,
  type ConversationStep,
  DEFAULT_CONVERSATION_TTL_MS,
} from '../ports/conversation-store.js';
import type { Logger } from '../ports/logger.js';
import type { MediaFetcher } from '../ports/media-fetcher.js';
import type { ListRow, OutboundMessage, ReplyButton } from '../ports/message-sender.js';
import type { Repositories } from '../ports/repositories.js';
import type { SpeechToText } from '../ports/speech-to-text.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.js';
import type { Clock } from '../shared/clock.js';
import type { Actor } from '../shared/domain-event.js';
import { ConcurrencyError, ErrorCodes, UnavailableError } from '../shared/errors.js';
import { type DraftId, type IdGenerator, isUuid, type OrderId, type ProductId } from '../shared/ids.js';
import { PhoneNumber } from '../shared/phone-number.js';
import { type Token, token } from '../shared/token.js';
import { detectLanguage } from './language.js';
import { type OfferAnswer, offerAnswerIn, orderNumberIn } from './offer-answer.js';
import { REPLY_TEXTS, type ReplyTexts, saysWhy, type VoiceTrouble } from './replies.js';

/** A vendor's answer to a price change that waits for its word (`awaiting-price-confirm`). */
const PRICE_UPDATE_BUTTON = 'price:update';
const PRICE_KEEP_BUTTON = 'price:keep';

/** WhatsApp's limits for what we send (the sender validates them too). */
const MAX_INTERACTIVE_BODY = 1024;
const MAX_TEXT_BODY = 4096;
const MAX_TITLE = 20;
const MAX_LIST_ROWS = 10;
const MAX_ROW_DESCRIPTION = 72;
/** A version conflict means another worker answered a message of this number meanwhile: read again. */
const MAX_ATTEMPTS = 5;
/**
 * How far back a vendor's typed "accept" looks for offers waiting for it. The worker's offers
 * last 15 minutes and an operator's rarely a day; the recovery sweep expires them at their
 * deadline, so a pending offer older than this does not occur in practice.
 */
const OPEN_OFFER_LOOKBACK_MS = 7 * 24 * 60 * 60_000;

export interface ConversationServiceDeps {
  readonly uow: UnitOfWork;
  /** Reads outside a transaction (parties, orders, drafts, the conversation before deciding). */
  readonly repos: Repositories;
  readonly clock: Clock;
  /** Ids of what a turn creates (an unknown number's onboarding request). */
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly useCases: Pick<
    UseCases,
    | 'acceptVendorOffer'
    | 'rejectVendorOffer'
    | 'dispatchOrder'
    | 'deliverOrder'
    | 'cancelOrder'
    | 'getCreditBalance'
    | 'reportDeliveryNotReceived'
    | 'updateOfferFromMessage'
  >;
  readonly drafts: Pick<DraftUseCases, 'answerShopMessage' | 'confirmDraft' | 'reviseDraft' | 'draftOrderFromText'>;
  /** Voice notes are transcribed only when both are bound; otherwise the shop is asked to type. */
  readonly speechToText?: SpeechToText | null;
  readonly media?: MediaFetcher | null;
  /** How long a conversation waits for the next message (default 24 hours). */
  readonly ttlMs?: number;
}

/** What answering one message decided: the replies and where the conversation goes next. */
interface Answer {
  readonly replies: readonly Reply[];
  readonly step: ConversationStep;
  /** Why, for logs (and the events' reason): never message text. */
  readonly reason: string;
  /** The language the shop spoke in, when only answering found it out (a voice note's transcript). */
  readonly language?: ConversationLanguage;
  /** What else the turn stores, in its transaction (an unknown number's onboarding request). */
  readonly commit?: (tx: TransactionScope) => Promise<void>;
}

type Reply =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'buttons'; readonly body: string; readonly buttons: readonly ReplyButton[] }
  | { readonly kind: 'list'; readonly body: string; readonly button: string; readonly rows: readonly ListRow[] };

interface Turn {
  readonly message: InboundMessage;
  readonly state: ConversationState;
  readonly language: ConversationLanguage;
  readonly t: ReplyTexts;
  /** The inbox's last attempt at this message: a transient failure is answered, not thrown. */
  readonly finalAttempt: boolean;
}

/**
 * The WhatsApp conversations (issue 13): answers each inbound message of a shop or a vendor
 * from the domain, keeps the conversation's state per phone number, and asks for every reply
 * through `message.send_requested` events. Idempotent per `eventId`: the use cases it calls
 * are idempotent themselves (a second confirm of a draft answers the same order; a draft is
 * keyed by the message it answers, so a second run finds it), and the
 * state with the message's id and the reply events commit in one unit of work, so a
 * redelivery finds the id and answers nothing.
 */
export class ConversationService implements ConversationHandler {
  private readonly ttlMs: number;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.ttlMs = deps.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS;
  }

  async handleMessage(message: InboundMessage, delivery?: MessageDelivery): Promise<void> {
    const finalAttempt = delivery?.finalAttempt ?? true;
    const phone = senderPhone(message.from);
    if (phone === null) {
      this.deps.logger.warn('conversation: sender is not a phone number; message dropped', {
        eventId: message.eventId,
      });
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const state = await this.deps.repos.conversations.get(phone, this.deps.clock.now());
      if (state.handledMessageIds.includes(message.eventId)) {
        this.deps.logger.info('conversation: message already answered', { eventId: message.eventId });
        return;
      }
      try {
        const outcome = await this.answerAndCommit(message, state, finalAttempt);
        this.deps.logger.info('conversation: message answered', {
          eventId: message.eventId,
          party: outcome.party,
          reason: outcome.reason,
          replies: outcome.replies,
          step: outcome.step,
        });
        return;
      } catch (error) {
        if (!ConcurrencyError.is(error) || attempt >= MAX_ATTEMPTS) throw error;
        this.deps.logger.info('conversation: changed meanwhile, answering again', {
          eventId: message.eventId,
          attempt,
        });
      }
    }
  }

  private async answerAndCommit(
    message: InboundMessage,
    state: ConversationState,
    finalAttempt: boolean,
  ): Promise<{ party: ConversationParty['kind']; reason: string; replies: number; step: ConversationStep['kind'] }> {
    const { party, answer, language: written } = await this.answer(message, state, finalAttempt);
    const language = answer.language ?? written;
    const now = this.deps.clock.now();
    const replies = answer.replies.map((r) => toOutbound(r, state.phone));
    return this.deps.uow.run(
      async (tx) => {
        // No second read: the save is a compare-and-set on `state.version` (a ConcurrencyError,
        // answered again by handleMessage, when another turn saved meanwhile), and a row still
        // at that version holds the same handled ids as `state`.
        await tx.conversations.save({
          ...state,
          party,
          language,
          step: answer.step,
          handledMessageIds: [...state.handledMessageIds, message.eventId],
          updatedAt: now,
          expiresAt: new Date(now.getTime() + this.ttlMs),
        });
        if (answer.commit) await answer.commit(tx);
        // One event for the whole answer: its messages leave in order (see messagesSendRequested).
        await tx.outbox.append(messagesSendRequested(replies, answer.reason, now));
        return { party: party.kind, reason: answer.reason, replies: replies.length, step: answer.step.kind };
      },
      { label: 'conversation-turn' },
    );
  }

  private async answer(
    message: InboundMessage,
    state: ConversationState,
    finalAttempt: boolean,
  ): Promise<{ party: ConversationParty; answer: Answer; language: ConversationLanguage }> {
    const written = writtenText(message);
    // Only words tell a language: a code or a number alone ("4821", "४८२१") keeps the last one.
    const language = written === null || !/\p{L}/u.test(written) ? state.language : detectLanguage(written);
    const t = REPLY_TEXTS[language];
    const turn: Turn = { message, state, language, t, finalAttempt };
    // One number, one party (PARTY.PHONE_TAKEN in the use cases, a unique phone in PostgreSQL):
    // a shop's number is never a vendor's, so the vendor is looked up only when no shop is.
    const retailer = await this.deps.repos.retailers.getByPhone(state.phone);
    if (retailer) {
      return { party: { kind: 'retailer', id: retailer.id }, answer: await this.shop(turn, retailer), language };
    }
    const vendor = await this.deps.repos.vendors.getByPhone(state.phone);
    if (vendor) return { party: { kind: 'vendor', id: vendor.id }, answer: await this.vendor(turn, vendor), language };
    return { party: { kind: 'unknown', id: null }, answer: await this.onboarding(turn, written), language };
  }

  /**
   * An unknown number: told how to register, and nothing but its onboarding request is stored
   * (no party, no order) until an operator approves it. The name and area it gives as labelled
   * fields, and what it says it is ([Shop] / [Supplier], or words), are kept on the request for
   * the operator; until it has said what it is, the reply carries the two buttons.
   */
  private async onboarding(turn: Turn, written: string | null): Promise<Answer> {
    const { t, state, language } = turn;
    const tapped = onboardingRoleOfButton(buttonId(turn.message));
    const found = onboardingDetailsIn(written ?? '');
    const details = tapped === null ? found : { ...found, role: tapped };
    const latest = await this.deps.repos.onboardingRequests.latestByPhone(state.phone);
    const commit = async (tx: TransactionScope) => {
      await recordOnboardingMessage(tx, this.deps.ids, {
        phone: state.phone,
        details,
        language,
        at: this.deps.clock.now(),
      });
    };
    if (latest?.status === 'REJECTED') return say(t.notRegistered(), 'onboarding-rejected-before');
    const pending = latest?.status === 'PENDING' ? latest : null;
    const shopName = details.shopName ?? pending?.shopName ?? null;
    const area = details.area ?? pending?.area ?? null;
    const role = details.role ?? pending?.requestedRole ?? null;
    const complete = shopName !== null && area !== null;
    if (role === null) {
      const body = complete ? `${t.onboardingNoted(shopName, area)}\n${t.onboardingAskRole()}` : t.onboarding();
      const buttons: ReplyButton[] = ONBOARDING_ROLES.map((r) => ({
        id: onboardingRoleButton(r),
        title: r === 'RETAILER' ? t.buttons.shop : t.buttons.supplier,
      }));
      return {
        replies: [{ kind: 'buttons', body, buttons }],
        step: { kind: 'idle' },
        reason: 'onboarding-ask-role',
        commit,
      };
    }
    const answer = complete
      ? say(t.onboardingNoted(shopName, area), 'onboarding-noted')
      : role === 'VENDOR'
        ? say(t.onboardingSupplier(), 'onboarding-supplier')
        : say(t.onboardingShop(), 'onboarding-shop');
    return { ...answer, commit };
  }

  // ---- shop --------------------------------------------------------------------------------

  private async shop(turn: Turn, retailer: Retailer): Promise<Answer> {
    const { t } = turn;
    if (retailer.status === 'PENDING_KYC') return say(t.pendingApproval(), 'retailer-pending');
    if (retailer.status !== 'ACTIVE') return say(t.suspended(), 'retailer-suspended');
    const actor: Actor = { type: 'retailer', id: retailer.id };
    const content = turn.message.content;
    switch (content.type) {
      case 'text':
        return this.shopText(turn, retailer, actor, content.text, null);
      case 'button_reply':
      case 'list_reply':
        return this.shopButton(turn, retailer, actor, content.id);
      case 'template_button':
        return this.shopButton(turn, retailer, actor, content.payload);
      case 'media':
        if (content.media === 'audio') return this.voiceNote(turn, retailer, actor, content.mediaId, content.mimeType);
        return content.caption
          ? this.shopText(turn, retailer, actor, content.caption, null)
          : keep(turn, say(t.textOnly(), 'text-only'));
      case 'reaction':
        // An emoji on one of our messages asks for nothing.
        return { replies: [], step: turn.state.step, reason: 'reaction' };
      default:
        return keep(turn, say(t.textOnly(), 'text-only'));
    }
  }

  private async voiceNote(
    turn: Turn,
    retailer: Retailer,
    actor: Actor,
    mediaId: string,
    mimeType: string | null,
  ): Promise<Answer> {
    const heard = await this.listen(turn, mediaId, mimeType, 'shop');
    if (heard.kind === 'answer') return heard.answer;
    const { spoken, text } = heard;
    const answer = await this.shopText(spoken, retailer, actor, text, text);
    return { ...quoteHeard(answer, spoken.t.heard(text)), language: spoken.language };
  }

  /**
   * A voice note fetched and transcribed (shops and vendors alike): what was heard, with the
   * turn in the language it was said in, or the answer to why nothing was heard.
   */
  private async listen(
    turn: Turn,
    mediaId: string,
    mimeType: string | null,
    who: 'shop' | 'vendor',
  ): Promise<{ kind: 'heard'; text: string; spoken: Turn } | { kind: 'answer'; answer: Answer }> {
    const { speechToText, media } = this.deps;
    // A shop is asked to type its order; a vendor what it can type (an update, a code, accept).
    const trouble = (t: ReplyTexts, why: VoiceTrouble): string =>
      who === 'vendor' ? t.vendorVoice(why) : shopVoice(t, why);
    const answer = (a: Answer) => ({ kind: 'answer' as const, answer: keep(turn, a) });
    const voice = (why: VoiceTrouble) => trouble(turn.t, why);
    if (!speechToText || !media) return answer(say(voice('not-configured'), 'voice-not-configured'));
    const fetched = await media.fetch(mediaId);
    if (fetched.kind === 'failed') {
      this.deps.logger.warn('conversation: voice note not fetched', {
        eventId: turn.message.eventId,
        reason: fetched.reason,
        detail: fetched.detail,
      });
      if (fetched.transient) {
        this.retryOrGiveUp(turn, `voice note not fetched (${fetched.reason}): ${fetched.detail}`);
        return answer(say(voice('unavailable'), `voice-media-${fetched.reason}`));
      }
      const text = voice(fetched.reason === 'TOO_LARGE' ? 'too-long' : 'gone');
      return answer(say(text, `voice-media-${fetched.reason}`));
    }
    const heard = await speechToText.transcribe({ audio: fetched.bytes, mimeType: mimeType ?? fetched.mimeType });
    if (heard.kind !== 'transcript') {
      switch (heard.reason) {
        case 'UNAVAILABLE':
          this.retryOrGiveUp(turn, 'speech-to-text unavailable');
          return answer(say(voice('unavailable'), 'voice-UNAVAILABLE'));
        case 'NOT_CONFIGURED':
          return answer(say(voice('not-configured'), 'voice-NOT_CONFIGURED'));
        default:
          return answer(say(voice('not-understood'), `voice-${heard.reason}`));
      }
    }
    // The reply is in the language of what was said.
    const language = detectLanguage(heard.text);
    const spoken: Turn = { ...turn, language, t: REPLY_TEXTS[language] };
    if (heard.text.length > MAX_DRAFT_TEXT_LENGTH)
      return { kind: 'answer', answer: keep(spoken, say(trouble(spoken.t, 'too-long'), 'voice-too-long')) };
    return { kind: 'heard', text: heard.text, spoken };
  }

  /**
   * A transient failure of a voice note is thrown while the inbox has attempts left, so it
   * retries; on the last one it falls through to a reply, so the shop is never left unanswered.
   */
  private retryOrGiveUp(turn: Turn, why: string): void {
    if (!turn.finalAttempt) throw new UnavailableError(why, { eventId: turn.message.eventId });
  }

  private async shopText(
    turn: Turn,
    retailer: Retailer,
    actor: Actor,
    text: string,
    heard: string | null,
  ): Promise<Answer> {
    const { t, state } = turn;
    // WhatsApp lets a text run to 4096 characters, past what a draft reads: answered here, since
    // the use cases refuse it by throwing, and a throw is retried until the inbox event is dead.
    const length = text.trim().length;
    if (length > MAX_DRAFT_TEXT_LENGTH) return keep(turn, say(t.textTooLong(), 'text-too-long'));
    // Blank (spaces, new lines): the use cases would refuse it by throwing too.
    if (length === 0) return keep(turn, say(t.help(), 'blank-text'));
    if (state.step.kind === 'awaiting-draft-edit') {
      // The corrected order replaces the draft being edited: a fresh draft of this text.
      // Keyed by the message: answered again after a crash, it finds the draft it made.
      // The shop as this turn read it: not read again.
      const answered = await this.deps.drafts.answerShopMessage.execute(
        { retailerId: retailer.id, text, requestKey: turn.message.eventId, actor },
        { retailer },
      );
      if (!answered.ok) return this.draftFailure(turn, answered.error);
      const a = answered.value;
      if (a.kind === 'DRAFT') return this.draftReply(turn, a.draft, heard, null, 'draft-edited');
      // Not an order: "cancel" drops the draft being edited (not a placed order); a question
      // ("baki", "help", "status") is answered, and the draft still waits for its correction.
      if (
        a.kind === 'CANCEL_TO_CONFIRM' ||
        a.kind === 'NOT_CANCELLABLE' ||
        (a.kind === 'ORDER_NOT_FOUND' && a.intent === 'cancel')
      )
        return say(t.draftDropped(), 'draft-dropped');
      return keep(turn, await this.shopAnswer(turn, retailer, a, heard));
    }
    if (NOT_RECEIVED.test(text)) {
      const notReceived = await this.notReceivedText(turn, retailer, actor, text);
      if (notReceived !== null) return notReceived;
    }
    const answered = await this.deps.drafts.answerShopMessage.execute(
      { retailerId: retailer.id, text, requestKey: turn.message.eventId, actor },
      { retailer },
    );
    if (!answered.ok) return this.draftFailure(turn, answered.error);
    const a = answered.value;
    // "cancel" with a draft on screen means that draft (as while editing one): the last placed
    // order is asked about only when named ("cancel KH-000041"); a Yes tapped for the draft
    // would cancel a real order.
    if (
      (state.step.kind === 'awaiting-draft-confirm' || state.step.kind === 'awaiting-choice') &&
      (a.kind === 'CANCEL_TO_CONFIRM' ||
        a.kind === 'NOT_CANCELLABLE' ||
        (a.kind === 'ORDER_NOT_FOUND' && a.intent === 'cancel')) &&
      orderNumberIn(text) === null
    )
      return say(t.draftDropped(), 'draft-dropped');
    return this.shopAnswer(turn, retailer, a, heard);
  }

  private async shopAnswer(
    turn: Turn,
    retailer: Retailer,
    a: ShopMessageAnswer,
    heard: string | null,
  ): Promise<Answer> {
    const { t } = turn;
    switch (a.kind) {
      case 'DRAFT':
        return this.draftReply(turn, a.draft, heard, null, a.repeatOf ? 'draft-repeat' : 'draft');
      case 'CANCEL_TO_CONFIRM':
        return {
          replies: [
            {
              kind: 'buttons',
              body: t.askCancel(a.order.number, t.status[a.order.status]),
              buttons: [
                { id: `order:cancel-yes:${a.order.id}`, title: t.buttons.yes },
                { id: `order:cancel-no:${a.order.id}`, title: t.buttons.no },
              ],
            },
          ],
          step: { kind: 'awaiting-cancel-confirm', orderId: a.order.id },
          reason: 'cancel-ask',
        };
      // Questions answered from the domain change nothing: a draft waiting for Confirm still
      // waits (as after "baki" or "help").
      case 'NOT_CANCELLABLE':
        return keep(turn, say(t.notCancellable(a.order.number, t.status[a.order.status]), 'not-cancellable'));
      case 'ORDER_STATUS':
        return keep(
          turn,
          say(t.orderStatus(a.order.number, t.status[a.order.status], a.order.total.format()), 'order-status'),
        );
      case 'ORDER_NOT_FOUND':
        return keep(turn, say(t.orderNotFound(a.reference), 'order-not-found'));
      case 'OTHER':
        switch (a.intent) {
          case 'balance':
            return this.balance(turn, retailer);
          case 'help':
            return keep(turn, say(t.help(), 'help'));
          case 'greeting':
            return keep(turn, say(t.greeting(), 'greeting'));
          default:
            return keep(turn, say(t.notUnderstood(), 'not-understood'));
        }
    }
  }

  private async balance(turn: Turn, retailer: Retailer): Promise<Answer> {
    const { t } = turn;
    const balance = await this.deps.useCases.getCreditBalance.execute({ retailerId: retailer.id });
    if (!balance.ok) return keep(turn, say(t.somethingWrong(), 'balance-missing'));
    const b = balance.value;
    return keep(
      turn,
      say(
        t.balance(
          b.available.format(),
          b.creditLimit.format(),
          b.outstanding.format(),
          b.overdue.isPositive() ? b.overdue.format() : null,
        ),
        'balance',
      ),
    );
  }

  private async shopButton(turn: Turn, retailer: Retailer, actor: Actor, id: string): Promise<Answer> {
    const { t, state } = turn;
    const parts = id.split(':');
    const [scope, verb] = parts;
    if (scope === 'draft' && parts.length === 3 && isUuid(parts[2] ?? '')) {
      const draftId = parts[2] as DraftId;
      switch (verb) {
        case 'confirm':
          return this.confirm(turn, actor, draftId);
        case 'edit':
          if (!isCurrentDraft(state.step, draftId)) return say(t.draftNotOpen(), 'draft-not-open');
          return {
            replies: [{ kind: 'text', text: t.askCorrection() }],
            step: { kind: 'awaiting-draft-edit', draftId },
            reason: 'draft-edit',
          };
        case 'cancel':
          if (!isCurrentDraft(state.step, draftId)) return say(t.draftNotOpen(), 'draft-not-open');
          return say(t.draftDropped(), 'draft-dropped');
      }
    }
    if (scope === 'choice' && parts.length === 4 && isUuid(parts[1] ?? '') && isUuid(parts[3] ?? '')) {
      const draftId = parts[1] as DraftId;
      const question = Number(parts[2]);
      if (!Number.isSafeInteger(question) || question < 0) return keep(turn, say(t.somethingWrong(), 'bad-choice'));
      // Only the draft the conversation is on is revised (as only it is confirmed): a pick from an
      // older list would bring that draft back over the newer one. A pick tapped twice is fine:
      // its draft was replaced by the current one, and ReviseDraft answers that one again.
      if (!isCurrentDraft(state.step, draftId)) {
        const picked = await this.deps.repos.orderDrafts.get(draftId);
        if (picked?.supersededBy == null || !isCurrentDraft(state.step, picked.supersededBy))
          return keep(turn, say(t.draftNotOpen(), 'draft-not-open'));
      }
      const revised = await this.deps.drafts.reviseDraft.execute({
        draftId,
        question,
        productId: parts[3] as ProductId,
        actor,
      });
      if (!revised.ok) return this.draftFailure(turn, revised.error);
      return this.draftReply(turn, revised.value, null, null, 'draft-revised');
    }
    if (scope === 'order' && parts.length === 3 && isUuid(parts[2] ?? '')) {
      const orderId = parts[2] as OrderId;
      if (verb === 'cancel-yes') {
        const cancelled = await this.deps.useCases.cancelOrder.execute({
          orderId,
          reason: 'cancelled by the shop on WhatsApp',
          actor,
        });
        if (cancelled.ok) return say(t.cancelled(cancelled.value.number), 'order-cancelled');
        // Cancelled already (the same tap redelivered after a crash, or tapped twice).
        const order = await this.shopOrder(retailer, orderId);
        if (!order) return say(t.orderNotFound(null), 'order-not-found');
        if (order.status === 'CANCELLED') return say(t.cancelled(order.number), 'order-cancelled');
        return say(t.notCancellable(order.number, t.status[order.status]), 'not-cancellable');
      }
      if (verb === 'cancel-no') {
        const order = await this.shopOrder(retailer, orderId);
        return order ? say(t.cancelKept(order.number), 'cancel-kept') : say(t.orderNotFound(null), 'order-not-found');
      }
    }
    if (scope === 'held' && verb === 'ask-approval' && parts.length === 3 && isUuid(parts[2] ?? '')) {
      return this.askApproval(turn, retailer, parts[2] as OrderId);
    }
    if (scope === 'delivery' && verb === 'not-received' && parts.length === 3 && isUuid(parts[2] ?? '')) {
      return this.notReceived(turn, retailer, actor, parts[2] as OrderId);
    }
    return keep(turn, say(t.notUnderstood(), 'unknown-button'));
  }

  /**
   * "Not received" typed: the same as the [Not received] button of the order it names
   * ("KH-000041 aayena"), else of its one order on the way; with several on the way, a list of
   * them to pick from (each row is that order's button), never a guess. Null when nothing is
   * on the way and none is named: the text is read as any other.
   */
  private async notReceivedText(turn: Turn, retailer: Retailer, actor: Actor, text: string): Promise<Answer | null> {
    const { t } = turn;
    const number = orderNumberIn(text);
    if (number !== null) {
      const named = await this.deps.repos.orders.getByNumber(number);
      if (!named || named.retailerId !== retailer.id) return say(t.orderNotFound(number), 'order-not-found');
      return this.notReceived(turn, retailer, actor, named.id);
    }
    const onItsWay = (
      await this.deps.repos.orders.list({ retailerId: retailer.id, statuses: ['DISPATCHED'] }, { limit: MAX_LIST_ROWS })
    ).items;
    const [first] = onItsWay;
    if (first === undefined) return null;
    if (onItsWay.length === 1) return this.notReceived(turn, retailer, actor, first.id);
    return {
      replies: [
        {
          kind: 'list',
          body: clip(t.whichNotReceived(onItsWay.length), MAX_INTERACTIVE_BODY),
          button: clip(t.buttons.choose, MAX_TITLE),
          rows: onItsWay.map((o) => ({
            id: `delivery:not-received:${o.id}`,
            title: clip(o.number, MAX_TITLE),
            description: clip(o.total.format(), MAX_ROW_DESCRIPTION),
          })),
        },
      ],
      // A draft the shop has open stays the one its Confirm places.
      step: turn.state.step,
      reason: 'not-received-which',
    };
  }

  /** The shop says the order has not arrived: the delivery goes to an operator (the same again: the same answer). */
  private async notReceived(turn: Turn, retailer: Retailer, actor: Actor, orderId: OrderId): Promise<Answer> {
    const { t } = turn;
    const reported = await this.deps.useCases.reportDeliveryNotReceived.execute({ orderId, actor });
    const order = await this.shopOrder(retailer, orderId);
    if (!order) return say(t.orderNotFound(null), 'order-not-found');
    if (reported.ok) return say(t.notReceivedNoted(order.number), 'delivery-not-received');
    // Not (or no longer) on its way: what it is now.
    return say(t.orderStatus(order.number, t.status[order.status], order.total.format()), 'order-status');
  }

  private async confirm(turn: Turn, actor: Actor, draftId: DraftId): Promise<Answer> {
    const { t, state } = turn;
    if (!isCurrentDraft(state.step, draftId)) {
      // Only the draft the conversation is on may be placed; an older one answers what it
      // became (a confirmed one: its order, so a second tap is the same answer).
      const draft = await this.deps.repos.orderDrafts.get(draftId);
      if (draft?.status !== 'CONFIRMED') return keep(turn, say(t.draftNotOpen(), 'draft-not-open'));
    }
    const confirmed = await this.deps.drafts.confirmDraft.execute({ draftId, actor });
    if (!confirmed.ok) return this.draftFailure(turn, confirmed.error);
    const r = confirmed.value;
    if (r.kind === 'PRICES_CHANGED') return this.draftReply(turn, r.draft, null, t.pricesChanged(), 'prices-changed');
    const { order } = r;
    if (order.status === 'ON_HOLD' && order.holdReason === 'CREDIT_LIMIT')
      return this.heldOverLimit(turn, order, r.orderWhatFits);
    if (order.status === 'ON_HOLD') return say(t.placedForReview(order.number), 'order-placed-review');
    return say(t.placed(order.number, order.total.format()), 'order-placed');
  }

  /**
   * An order over the credit limit is placed ON_HOLD: the shop is offered both ways on,
   * [Ask approval] (an operator decides; approvals queue) or [Cancel order], and, when part of it
   * fits, the smaller draft, whose confirmation replaces the held order.
   */
  private heldOverLimit(turn: Turn, order: Order, whatFits: OrderDraft | null): Answer {
    const { t } = turn;
    const held: Reply = {
      kind: 'buttons',
      body: clip(t.heldOverLimit(order.number, whatFits !== null), MAX_INTERACTIVE_BODY),
      buttons: [
        { id: `held:ask-approval:${order.id}`, title: t.buttons.askApproval },
        { id: `order:cancel-yes:${order.id}`, title: t.buttons.cancelOrder },
      ],
    };
    if (whatFits === null) return { replies: [held], step: { kind: 'idle' }, reason: 'order-held-credit' };
    const fits = this.draftReply(turn, whatFits, null, null, 'order-held-credit');
    return { ...fits, replies: [held, ...fits.replies] };
  }

  /**
   * [Ask approval] on a held order: it stays held for an operator (it is in the approvals queue
   * from the moment it was held); the smaller draft is closed, so only one of the two ways is
   * taken. The operator's decision reaches the shop as a step notice.
   */
  private async askApproval(turn: Turn, retailer: Retailer, orderId: OrderId): Promise<Answer> {
    const { t } = turn;
    const order = await this.shopOrder(retailer, orderId);
    if (!order) return say(t.orderNotFound(null), 'order-not-found');
    if (order.status !== 'ON_HOLD' || order.holdReason !== 'CREDIT_LIMIT')
      return say(t.orderStatus(order.number, t.status[order.status], order.total.format()), 'order-status');
    return say(t.approvalAsked(order.number), 'approval-asked');
  }

  /** The draft as a reply: lines, totals, credit, [Confirm][Edit][Cancel], then a list for the first unclear line. */
  private draftReply(turn: Turn, draft: OrderDraft, heard: string | null, lead: string | null, reason: string): Answer {
    const { t } = turn;
    const head = [lead, heard === null ? null : t.heard(heard), t.draftTitle()].filter((x): x is string => x !== null);
    const lines = draft.lines.map((l, i) => {
      const { line } = l;
      return `${i + 1}. ${line.name}${t.resolved[l.resolvedBy]}: ${line.quantity} × ${line.unitPrice.format()} = ${line.lineTotal.format()}`;
    });
    const questions = draft.questions.map((q) => t.question(q.raw, q.choices.length > 0, q.reason));
    const tail = [
      t.total(draft.total.format()),
      t.credit(draft.availableBefore.format(), draft.availableAfter.format()),
    ];
    if (draft.availableAfter.isNegative()) tail.push(t.overLimit());
    const body = fitBody(head, [...lines, ...questions], tail, t);
    const firstChoice = draft.questions.findIndex((q) => q.choices.length > 0);
    const replies: Reply[] = [];
    if (draft.lines.length > 0) {
      replies.push({
        kind: 'buttons',
        body,
        buttons: [
          { id: `draft:confirm:${draft.id}`, title: t.buttons.confirm },
          { id: `draft:edit:${draft.id}`, title: t.buttons.edit },
          { id: `draft:cancel:${draft.id}`, title: t.buttons.cancel },
        ],
      });
    } else if (firstChoice < 0) {
      // Understood but not sellable (not in the shop's area, out of stock…) or the quantity is the
      // question: say why, line by line.
      if (draft.questions.some((q) => saysWhy(q.reason))) return say(body, 'nothing-sellable');
      return say(t.nothingUnderstood(), 'nothing-understood');
    } else {
      replies.push({ kind: 'text', text: body });
    }
    if (firstChoice >= 0) {
      const q = draft.questions[firstChoice] as OrderDraft['questions'][number];
      replies.push({
        kind: 'list',
        body: clip(t.chooseFor(q.raw), MAX_INTERACTIVE_BODY),
        button: clip(t.buttons.choose, MAX_TITLE),
        rows: q.choices.slice(0, MAX_LIST_ROWS).map((c) => ({
          id: `choice:${draft.id}:${firstChoice}:${c.productId}`,
          title: clip(c.name, MAX_TITLE),
          description: clip(c.sku, MAX_ROW_DESCRIPTION),
        })),
      });
      return { replies, step: { kind: 'awaiting-choice', draftId: draft.id, lineIndex: firstChoice }, reason };
    }
    return { replies, step: { kind: 'awaiting-draft-confirm', draftId: draft.id }, reason };
  }

  private draftFailure(turn: Turn, error: Failure): Answer {
    const { t } = turn;
    switch (error.code) {
      case ErrorCodes.DRAFT_EXPIRED:
        return say(t.draftExpired(), 'draft-expired');
      case ErrorCodes.DRAFT_NOTHING_TO_ORDER:
        return say(t.nothingUnderstood(), 'nothing-understood');
      case ErrorCodes.DRAFT_STALE:
      case ErrorCodes.NOT_FOUND:
      case ErrorCodes.FORBIDDEN:
        return say(t.draftNotOpen(), 'draft-not-open');
      case ErrorCodes.PARTY_INACTIVE:
        return say(t.suspended(), 'retailer-inactive');
      default:
        return keep(turn, say(t.somethingWrong(), `failed-${error.code}`));
    }
  }

  private async shopOrder(retailer: Retailer, orderId: OrderId): Promise<Order | null> {
    const order = await this.deps.repos.orders.get(orderId);
    return order && order.retailerId === retailer.id ? order : null;
  }

  // ---- vendor ------------------------------------------------------------------------------

  private async vendor(turn: Turn, vendor: Vendor): Promise<Answer> {
    const { t } = turn;
    if (vendor.status !== 'ACTIVE') return say(t.vendorInactive(), 'vendor-inactive');
    const content = turn.message.content;
    const id =
      content.type === 'button_reply' || content.type === 'list_reply'
        ? content.id
        : content.type === 'template_button'
          ? content.payload
          : null;
    if (id === null) {
      if (content.type === 'media' && content.media === 'audio') {
        return this.vendorVoiceNote(turn, vendor, content.mediaId, content.mimeType);
      }
      const written = writtenText(turn.message);
      if (written === null) return say(t.vendorHelp(), 'vendor-help');
      return this.vendorText(turn, vendor, written);
    }
    if (id === PRICE_UPDATE_BUTTON || id === PRICE_KEEP_BUTTON) return this.priceAnswer(turn, vendor, id);
    const parts = id.split(':');
    const orderId = parts[2];
    if (parts.length !== 3 || orderId === undefined || !isUuid(orderId)) return say(t.vendorHelp(), 'vendor-help');
    return this.vendorAction(turn, vendor, `${parts[0]}:${parts[1]}`, orderId as OrderId);
  }

  /** What a vendor's button (or its typed answer to an offer) asks of one order. */
  private async vendorAction(turn: Turn, vendor: Vendor, action: string, orderId: OrderId): Promise<Answer> {
    const { t } = turn;
    const command = { orderId, vendorId: vendor.id, actor: { type: 'vendor', id: vendor.id } as Actor };
    switch (action) {
      case 'offer:accept': {
        const accepted = await this.deps.useCases.acceptVendorOffer.execute(command);
        if (!accepted.ok) return this.vendorFailure(turn, vendor, command.orderId, accepted.error);
        return {
          replies: [
            {
              kind: 'buttons',
              body: t.vendorAccepted(accepted.value.number),
              buttons: [{ id: `order:dispatched:${orderId}`, title: t.buttons.dispatched }],
            },
          ],
          step: { kind: 'idle' },
          reason: 'offer-accepted',
        };
      }
      case 'offer:reject': {
        const rejected = await this.deps.useCases.rejectVendorOffer.execute({
          ...command,
          reason: 'rejected on WhatsApp',
        });
        if (!rejected.ok) return this.vendorFailure(turn, vendor, command.orderId, rejected.error, true);
        return say(t.vendorRejected(rejected.value.number), 'offer-rejected');
      }
      case 'order:dispatched': {
        const dispatched = await this.deps.useCases.dispatchOrder.execute(command);
        if (!dispatched.ok) {
          // Tapped before Accept: the offer is still open to this vendor.
          const order = await this.deps.repos.orders.get(command.orderId);
          if (order && isPendingOfferTo(order, vendor.id)) return acceptFirst(t, order);
          return this.vendorFailure(turn, vendor, command.orderId, dispatched.error);
        }
        return {
          replies: [
            {
              kind: 'buttons',
              body: t.vendorDispatched(dispatched.value.number),
              buttons: [{ id: `order:delivered:${orderId}`, title: t.buttons.delivered }],
            },
          ],
          step: { kind: 'idle' },
          reason: 'order-dispatched',
        };
      }
      case 'order:delivered': {
        // The vendor's word alone would open a dispute: the shop's code proves the delivery.
        const order = await this.deps.repos.orders.get(command.orderId);
        if (order && isPendingOfferTo(order, vendor.id)) return acceptFirst(t, order);
        if (!order || order.vendorId !== vendor.id) return say(t.vendorNotFound(), 'vendor-order-not-found');
        if (order.status === 'DELIVERED' || order.status === 'COMPLETED')
          return say(t.vendorDelivered(order.number), 'order-delivered');
        if (order.status !== 'DISPATCHED')
          return say(t.vendorNotDispatched(order.number, t.status[order.status]), 'not-dispatched');
        // In dispute already (the shop said not received, or the codes ran out): no code settles it.
        if ((await this.deps.repos.deliveries.get(order.id))?.status === 'DISPUTED')
          return say(t.deliveryDisputed(order.number), 'delivery-disputed');
        return {
          replies: [{ kind: 'text', text: t.askDeliveryCode(order.number) }],
          step: { kind: 'awaiting-delivery-code', orderId: order.id },
          reason: 'delivery-code-asked',
        };
      }
      default:
        return say(t.vendorHelp(), 'vendor-help');
    }
  }

  /** What a vendor wrote or said: the delivery code it was asked for, else a price or stock update. */
  private async vendorText(turn: Turn, vendor: Vendor, text: string): Promise<Answer> {
    const step = turn.state.step;
    if (step.kind === 'awaiting-delivery-code') {
      const code = deliveryCodeIn(text);
      if (code !== null) return this.deliver(turn, vendor, step.orderId, code);
      // Only digits, of another length: a mistyped code (not a price, and not an attempt spent).
      if (codeDigitsIn(text) !== null) {
        const order = await this.deps.repos.orders.get(step.orderId);
        if (order) return keep(turn, say(turn.t.deliveryCodeDigits(order.number), 'delivery-code-digits'));
      }
    }
    const said = offerAnswerIn(text);
    if (said !== null) return this.offerAnswer(turn, vendor, said);
    return this.offerUpdate(turn, vendor, text);
  }

  /**
   * "accept", "sweekar", "स्वीकार" / "reject", "sakdina"… typed or said: the same as the button
   * on the one offer waiting for this vendor's answer (or the one it named); with several, a
   * list of them to pick from (each row is that offer's button); with none, it is told so.
   */
  private async offerAnswer(turn: Turn, vendor: Vendor, said: OfferAnswer): Promise<Answer> {
    const { t } = turn;
    const action = said.answer === 'accept' ? 'offer:accept' : 'offer:reject';
    const { open, answered } = await this.offersOf(vendor, turn.message.sentAt);
    const waiting = said.number === null ? open : open.filter((o) => o.number === said.number);
    const [first] = waiting;
    if (first !== undefined && waiting.length === 1) return this.vendorAction(turn, vendor, action, first.id);
    if (first === undefined) {
      // Answered already by this message (a redelivery after a crash between the use case and
      // the reply) or a tap at the same moment: the button's answer again, not "none waiting".
      const mine = answered.filter(
        (a) =>
          a.outcome === (said.answer === 'accept' ? 'ACCEPTED' : 'REJECTED') &&
          (said.number === null || a.number === said.number),
      );
      const [only] = mine;
      if (only !== undefined && mine.length === 1) return this.vendorAction(turn, vendor, action, only.orderId);
      return keep(turn, say(t.vendorNoOpenOffer(said.number), 'offer-answer-none'));
    }
    return {
      replies: [
        {
          kind: 'list',
          body: clip(t.vendorWhichOffer(said.answer, waiting.length), MAX_INTERACTIVE_BODY),
          button: clip(t.buttons.choose, MAX_TITLE),
          rows: waiting.slice(0, MAX_LIST_ROWS).map((o) => ({
            id: `${action}:${o.id}`,
            title: clip(o.number, MAX_TITLE),
            description: clip(o.total.format(), MAX_ROW_DESCRIPTION),
          })),
        },
      ],
      step: turn.state.step,
      reason: 'offer-answer-which',
    };
  }

  /**
   * The offers waiting for this vendor's answer (deadline soonest first), and the ones it
   * answered at or after `since`. Read through the routing attempts by vendor (the port's
   * performance read, indexed by vendor and time): pending offers are at most
   * OPEN_OFFER_LOOKBACK_MS old, as the recovery sweep expires them at their deadline.
   */
  private async offersOf(
    vendor: Vendor,
    since: Date,
  ): Promise<{ open: Order[]; answered: { orderId: OrderId; number: string; outcome: string }[] }> {
    const now = this.deps.clock.now();
    const { offers } = await this.deps.repos.orders.vendorPerformanceEvents(
      [vendor.id],
      new Date(now.getTime() - OPEN_OFFER_LOOKBACK_MS),
    );
    const relevant = offers.filter(
      (o) =>
        o.outcome === 'PENDING' ||
        (o.respondedAt !== null && o.respondedAt.getTime() >= since.getTime() && o.outcome !== 'EXPIRED'),
    );
    const ids = [...new Set(relevant.map((o) => o.orderId))];
    const orders = (await Promise.all(ids.map((id) => this.deps.repos.orders.get(id)))).filter(
      (o): o is Order => o !== null,
    );
    const open = orders
      .filter(
        (o) => isPendingOfferTo(o, vendor.id) && (o.routingAttempts.at(-1)?.deadline.getTime() ?? 0) > now.getTime(),
      )
      .sort(
        (a, b) =>
          (a.routingAttempts.at(-1)?.deadline.getTime() ?? 0) - (b.routingAttempts.at(-1)?.deadline.getTime() ?? 0),
      );
    const byId = new Map(orders.map((o) => [o.id, o]));
    const answered = relevant.flatMap((r) => {
      const order = byId.get(r.orderId);
      return r.outcome !== 'PENDING' && order ? [{ orderId: r.orderId, number: order.number, outcome: r.outcome }] : [];
    });
    return { open, answered };
  }

  /**
   * A vendor's voice note ("stock sugar 50 bora", a delivery code): heard as a shop's is, then
   * answered as the same words typed, quoting what was heard so a mishearing shows.
   */
  private async vendorVoiceNote(turn: Turn, vendor: Vendor, mediaId: string, mimeType: string | null): Promise<Answer> {
    const heard = await this.listen(turn, mediaId, mimeType, 'vendor');
    if (heard.kind === 'answer') return heard.answer;
    const { spoken, text } = heard;
    const answer = await this.vendorText(spoken, vendor, text);
    return { ...quoteHeard(answer, spoken.t.heard(text)), language: spoken.language };
  }

  /** The code the vendor sent for the order it tapped [Delivered] on. */
  private async deliver(turn: Turn, vendor: Vendor, orderId: OrderId, code: string): Promise<Answer> {
    const { t } = turn;
    const actor: Actor = { type: 'vendor', id: vendor.id };
    const delivered = await this.deps.useCases.deliverOrder.execute({ orderId, actor, code });
    if (delivered.ok) return say(t.vendorDelivered(delivered.value.number), 'order-delivered');
    const order = await this.deps.repos.orders.get(orderId);
    const number = order?.number ?? '';
    switch (delivered.error.code) {
      case ErrorCodes.DELIVERY_WRONG_CODE: {
        const left = Number(delivered.error.details.attemptsLeft ?? 0);
        // Still waiting for the right code.
        return keep(turn, say(t.deliveryCodeWrong(number, left), 'delivery-code-wrong'));
      }
      case ErrorCodes.DELIVERY_DISPUTED:
        return say(t.deliveryDisputed(number), 'delivery-disputed');
      default:
        return this.vendorFailure(turn, vendor, orderId, delivered.error);
    }
  }

  /** A vendor's free text: a price or stock update of one of its offers, or why it is not one. */
  private async offerUpdate(turn: Turn, vendor: Vendor, text: string, confirmed = false): Promise<Answer> {
    const { t } = turn;
    const updated = await this.deps.useCases.updateOfferFromMessage.execute({
      vendorId: vendor.id,
      text,
      actor: { type: 'vendor', id: vendor.id },
      confirmed,
    });
    if (updated.ok && updated.value.needsConfirmation) {
      // The text waits in the conversation: [Update] applies it as written (prices then current
      // are checked again by the use case), [Keep] or any other message drops it.
      return {
        replies: [
          {
            kind: 'buttons',
            body: clip(t.offerPriceCheck(updated.value), MAX_INTERACTIVE_BODY),
            buttons: [
              { id: PRICE_UPDATE_BUTTON, title: t.buttons.updatePrice },
              { id: PRICE_KEEP_BUTTON, title: t.buttons.keepPrice },
            ],
          },
        ],
        step: { kind: 'awaiting-price-confirm', text },
        reason: 'offer-price-check',
      };
    }
    if (updated.ok) return keep(turn, say(t.offerUpdated(updated.value), 'offer-updated'));
    if (updated.error.code !== ErrorCodes.OFFER_UPDATE_UNREADABLE)
      return keep(turn, say(t.somethingWrong(), `failed-${updated.error.code}`));
    const rejection = updated.error.details as unknown as OfferMessageRejection;
    // Neither a number nor a product: not an update at all ("hello"), so what the vendor can do.
    if (rejection.reason === 'NO_NUMBER' && !/\d/.test(text)) return keep(turn, say(t.vendorHelp(), 'vendor-help'));
    return keep(turn, say(t.offerRejected(rejection), `offer-${rejection.reason.toLowerCase()}`));
  }

  /** [Update] or [Keep] on a price change that waited for the vendor's word. */
  private async priceAnswer(turn: Turn, vendor: Vendor, id: string): Promise<Answer> {
    const { t, state } = turn;
    if (state.step.kind !== 'awaiting-price-confirm') return say(t.vendorHelp(), 'price-answer-stale');
    if (id === PRICE_KEEP_BUTTON) return say(t.offerPriceKept(), 'offer-price-kept');
    return this.offerUpdate(turn, vendor, state.step.text, true);
  }

  /** Another vendor's order is "not found": its number is never shown to this vendor. */
  private async vendorFailure(
    turn: Turn,
    vendor: Vendor,
    orderId: OrderId,
    error: Failure,
    rejecting = false,
  ): Promise<Answer> {
    const { t } = turn;
    const order = await this.deps.repos.orders.get(orderId);
    const offeredTo = order?.routingAttempts.some((a) => a.vendorId === vendor.id) ?? false;
    if (!order || (order.vendorId !== vendor.id && !offeredTo))
      return say(t.vendorNotFound(), 'vendor-order-not-found');
    // Reject on an offer it accepted (the old message's button): the order is still this
    // vendor's to deliver, and the shop waits for it; its next button comes with the answer.
    if (rejecting && order.vendorId === vendor.id && (order.status === 'CONFIRMED' || order.status === 'DISPATCHED')) {
      const next =
        order.status === 'CONFIRMED'
          ? { id: `order:dispatched:${order.id}`, title: t.buttons.dispatched }
          : { id: `order:delivered:${order.id}`, title: t.buttons.delivered };
      return {
        replies: [{ kind: 'buttons', body: t.vendorKeepsOrder(order.number), buttons: [next] }],
        step: turn.state.step,
        reason: 'offer-accepted-already',
      };
    }
    if (error.code === ErrorCodes.ORDER_NO_PENDING_OFFER || error.code === ErrorCodes.ORDER_OFFER_MISMATCH) {
      // Rejected already (a second tap, or the same tap redelivered after a crash): the same answer.
      const last = order.routingAttempts.filter((a) => a.vendorId === vendor.id).at(-1);
      if (rejecting && last?.outcome === 'REJECTED') return say(t.vendorRejected(order.number), 'offer-rejected');
      return say(t.vendorOfferClosed(order.number), 'offer-closed');
    }
    return say(t.somethingWrong(), `failed-${error.code}`);
  }
}

export const CONVERSATION_SERVICE: Token<ConversationService> = token('ConversationService');

/** A shop's voice note not heard: why, and to type its order. */
function shopVoice(t: ReplyTexts, why: VoiceTrouble): string {
  switch (why) {
    case 'not-configured':
      return t.typeYourOrder();
    case 'unavailable':
      return t.voiceUnavailable();
    case 'gone':
      return t.voiceGone();
    case 'too-long':
      return t.voiceTooLong();
    case 'not-understood':
      return t.voiceNotUnderstood();
  }
}

function say(text: string, reason: string): Answer {
  return { replies: [{ kind: 'text', text }], step: { kind: 'idle' }, reason };
}

/** A long transcript is cut in the quote, so the answer after it still fits the message. */
const MAX_HEARD_QUOTE = 300;

/**
 * A voice note's answer starts with what was heard, so the shop can tell a mishearing from
 * a wrong order: the draft quotes it itself; any other answer gets it as its first line.
 */
function quoteHeard(answer: Answer, heardLine: string): Answer {
  const [first, ...rest] = answer.replies;
  if (first === undefined) return answer;
  const body = first.kind === 'text' ? first.text : first.body;
  if (body.includes(heardLine)) return answer;
  const quote = heardLine.length > MAX_HEARD_QUOTE ? `${heardLine.slice(0, MAX_HEARD_QUOTE - 1)}…` : heardLine;
  const limit = first.kind === 'text' ? MAX_TEXT_BODY : MAX_INTERACTIVE_BODY;
  const joined = `${quote}\n${body}`;
  if (joined.length > limit) return answer;
  const quoted: Reply = first.kind === 'text' ? { ...first, text: joined } : { ...first, body: joined };
  return { ...answer, replies: [quoted, ...rest] };
}

/**
 * The same answer, without leaving the step the conversation is on (help, a greeting, a typo).
 * A price change waiting for [Update] is the exception: any other message drops it, so that a
 * later tap never applies a text the vendor has since written past.
 */
function keep(turn: Turn, answer: Answer): Answer {
  const { step } = turn.state;
  return { ...answer, step: step.kind === 'awaiting-price-confirm' ? { kind: 'idle' } : step };
}

/** "not received", "aayena", "आएन": the shop says the goods have not come. */
const NOT_RECEIVED = /\bnot\s+(received|arrived|come)\b|\baa?yena\b|\baaena\b|आएन|आएको\s*छैन/i;

/**
 * The delivery code when the message is just that: 4 digits, Latin or Devanagari, spaces or a
 * dash between allowed, perhaps called a code ("code 4821", "the code is 4821", "कोड ४८२१ हो").
 * A text with any other word ("mansuli 2150") is not a code: a wrong code costs the vendor an
 * attempt, and it may be a price update.
 */
export function deliveryCodeIn(text: string): string | null {
  const digits = codeDigitsIn(text);
  return digits !== null && digits.length === 4 ? digits : null;
}

/** The digits of a text that is only a code, of any length ("code 12 345" → "12345"), else null. */
function codeDigitsIn(text: string): string | null {
  const digits = text
    .replace(/[\u0966-\u096F]/g, (d) => String((d.codePointAt(0) ?? 0) - 0x0966))
    // The words a vendor puts around it ("code 4821", "कोड ४८२१ हो"); any other word is no code.
    .replace(/(^|\s)(the|delivery|code|kod|koad|is|ho|डेलिभरी|कोड|हो)(?=\s|:|#|$)/giu, ' ')
    .replace(/[\s\-.:#]/g, '');
  return /^\d+$/.test(digits) ? digits : null;
}

/** The order waits for this vendor's answer to its offer (not accepted by anyone yet). */
function isPendingOfferTo(order: Order, vendorId: Vendor['id']): boolean {
  return (
    order.vendorId === null &&
    order.routingAttempts.at(-1)?.vendorId === vendorId &&
    order.routingAttempts.at(-1)?.outcome === 'PENDING'
  );
}

/** The offer's own buttons again, as the worker sent them. */
function acceptFirst(t: ReplyTexts, order: Order): Answer {
  return {
    replies: [
      {
        kind: 'buttons',
        body: t.vendorAcceptFirst(order.number),
        buttons: [
          { id: `offer:accept:${order.id}`, title: 'Accept' },
          { id: `offer:reject:${order.id}`, title: 'Reject' },
        ],
      },
    ],
    step: { kind: 'idle' },
    reason: 'offer-accept-first',
  };
}

function isCurrentDraft(step: ConversationStep, draftId: DraftId): boolean {
  return (
    (step.kind === 'awaiting-draft-confirm' ||
      step.kind === 'awaiting-choice' ||
      step.kind === 'awaiting-draft-edit') &&
    step.draftId === draftId
  );
}

/** What the party wrote, when it wrote something: the language is read from it. */
function writtenText(message: InboundMessage): string | null {
  const c = message.content;
  if (c.type === 'text') return c.text;
  if (c.type === 'media' && c.caption) return c.caption;
  return null;
}

/** The id of a tapped button or list row, else null. */
function buttonId(message: InboundMessage): string | null {
  const c = message.content;
  if (c.type === 'button_reply' || c.type === 'list_reply') return c.id;
  if (c.type === 'template_button') return c.payload;
  return null;
}

/** The provider gives digits without "+"; anything else is not a number we can answer. */
function senderPhone(from: string): PhoneNumber | null {
  try {
    return PhoneNumber.parse(/^\d+$/.test(from) ? `+${from}` : from);
  } catch {
    return null;
  }
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Head, as many middle lines as fit, "… and N more", tail: never over the interactive body limit. */
function fitBody(head: readonly string[], middle: readonly string[], tail: readonly string[], t: ReplyTexts): string {
  const join = (m: readonly string[]) => [...head, ...m, ...tail].join('\n');
  if (join(middle).length <= MAX_INTERACTIVE_BODY) return join(middle);
  for (let keepLines = middle.length - 1; keepLines >= 0; keepLines--) {
    const body = join([...middle.slice(0, keepLines), t.moreLines(middle.length - keepLines)]);
    if (body.length <= MAX_INTERACTIVE_BODY) return body;
  }
  return clip(join([]), MAX_INTERACTIVE_BODY);
}

function toOutbound(reply: Reply, to: PhoneNumber): OutboundMessage {
  switch (reply.kind) {
    case 'text':
      return { kind: 'text', to, text: reply.text };
    case 'buttons':
      return { kind: 'buttons', to, body: reply.body, buttons: reply.buttons };
    case 'list':
      return { kind: 'list', to, body: reply.body, button: reply.button, sections: [{ rows: reply.rows }] };
  }
}
