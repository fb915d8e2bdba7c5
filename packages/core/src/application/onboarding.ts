import { messageSendRequested } from '../messaging/request-message.js';
import {
  type OnboardingDetails,
  type OnboardingRequest,
  type OnboardingRequestId,
  type OnboardingStatus,
  ONBOARDING_STATUSES,
  withMessage,
} from '../onboarding/onboarding-request.js';
import type { Retailer } from '../parties/retailer.js';
import type { ConversationLanguage } from '../ports/conversation-store.js';
import type { Page, PageRequest } from '../ports/pagination.js';
import type { TransactionScope } from '../ports/unit-of-work.js';
import { type Actor, actorToJson, requireStaff } from '../shared/domain-event.js';
import { ErrorCodes, IllegalStateError, ValidationError } from '../shared/errors.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Money } from '../shared/money.js';
import type { PhoneNumber } from '../shared/phone-number.js';
import { reasonText, requireText } from '../shared/text.js';
import { checkActor, checkCommand, checkId, requiredReason } from './command-checks.js';
import type { UseCaseContext } from './context.js';
import { required } from './errors.js';
import { type FailureCode, type Outcome, runUseCase } from './outcome.js';
import { registerRetailerIn } from './register-parties.js';

/**
 * An unknown number's message, recorded in the caller's transaction (the conversation's turn):
 * its pending request counted and completed with what the message gave, or a new request when
 * it has none. A number whose last request was rejected gets no new one: the operator said no,
 * and asking again would put it back in the queue at every message. Returns the request as
 * stored (null when none was recorded).
 */
export async function recordOnboardingMessage(
  tx: Pick<TransactionScope, 'onboardingRequests'>,
  ids: IdGenerator,
  message: {
    readonly phone: PhoneNumber;
    readonly details: OnboardingDetails;
    readonly language: ConversationLanguage;
    readonly at: Date;
  },
): Promise<OnboardingRequest | null> {
  const latest = await tx.onboardingRequests.latestByPhone(message.phone);
  if (latest?.status === 'PENDING') {
    return tx.onboardingRequests.save(withMessage(latest, message.details, message.language, message.at));
  }
  if (latest?.status === 'REJECTED') return null;
  return tx.onboardingRequests.save({
    id: ids.next() as OnboardingRequestId,
    phone: message.phone,
    shopName: message.details.shopName,
    area: message.details.area,
    language: message.language,
    status: 'PENDING',
    messages: 1,
    createdAt: message.at,
    lastMessageAt: message.at,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    retailerId: null,
    version: 0,
  });
}

export interface ListOnboardingRequestsQuery {
  readonly status?: OnboardingStatus;
  readonly page: PageRequest;
  readonly actor: Actor;
}

/** The operators' onboarding queue: requests newest first, by status (PENDING: the queue). */
export class ListOnboardingRequests {
  static readonly failures = [ErrorCodes.FORBIDDEN] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    query: ListOnboardingRequestsQuery,
  ): Promise<Outcome<Page<OnboardingRequest>, FailureCode<typeof ListOnboardingRequests>>> {
    checkCommand(query);
    const actor = checkActor(query.actor);
    if (query.status !== undefined && !ONBOARDING_STATUSES.includes(query.status)) {
      throw new ValidationError('unknown onboarding status', { field: 'status' }, ErrorCodes.INVALID_COMMAND);
    }
    return runUseCase(ListOnboardingRequests.failures, async () => {
      requireStaff(actor, 'see onboarding requests');
      return this.ctx.repos.onboardingRequests.list(
        query.status === undefined ? {} : { status: query.status },
        query.page,
      );
    });
  }
}

export interface ApproveOnboardingCommand {
  readonly requestId: OnboardingRequestId;
  /** The shop's name and area: what the person wrote unless given here (one of the two must have them). */
  readonly shopName?: string | null;
  readonly area?: string | null;
  readonly district: string;
  /** KYC checked already: the retailer starts ACTIVE. Otherwise PENDING_KYC, as every new retailer. */
  readonly kycVerified?: boolean;
  readonly creditLimit?: Money;
  readonly note?: string | null;
  readonly actor: Actor;
}

export interface OnboardingDecision {
  readonly request: OnboardingRequest;
  /** The retailer an approval created (null after a rejection). */
  readonly retailer: Retailer | null;
  /** False when the same decision had been taken before (a retried request). */
  readonly changed: boolean;
}

/**
 * An operator approves an onboarding request: the retailer and its credit account are created
 * (`registerRetailerIn`: PENDING_KYC unless the operator verified KYC), the request is closed,
 * and the person is told in the language they wrote in, all in one transaction. Approved again:
 * the same retailer, nothing more. A number that has become a retailer meanwhile (registered by
 * the field team) is ENTITY.DUPLICATE and the request stays pending for a rejection.
 */
export class ApproveOnboardingRequest {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.DUPLICATE,
    ErrorCodes.ONBOARDING_DECIDED,
  ] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    cmd: ApproveOnboardingCommand,
  ): Promise<Outcome<OnboardingDecision, FailureCode<typeof ApproveOnboardingRequest>>> {
    checkCommand(cmd);
    const requestId = checkId<OnboardingRequestId>(cmd.requestId, 'requestId');
    const actor = checkActor(cmd.actor);
    const note = reasonText(cmd.note, 'note');
    const district = requireText(cmd.district, 'district');
    const result = await runUseCase(ApproveOnboardingRequest.failures, () =>
      this.ctx.uow.run(
        async (tx): Promise<OnboardingDecision> => {
          requireStaff(actor, 'approve an onboarding request');
          const request = required(await tx.onboardingRequests.get(requestId), 'onboarding request', requestId);
          if (request.status === 'APPROVED') {
            const retailer = request.retailerId === null ? null : await tx.retailers.get(request.retailerId);
            return { request, retailer, changed: false };
          }
          if (request.status !== 'PENDING') throw decided(request);
          const shopName = requireText(cmd.shopName ?? request.shopName ?? '', 'shopName');
          const area = requireText(cmd.area ?? request.area ?? '', 'area');
          const now = this.ctx.clock.now();
          // The request is claimed first: a concurrent approval's version check then fails and its
          // retry reads APPROVED (the same answer) instead of meeting this retailer's phone as a
          // duplicate. The retailer's id is filled in by the second save below.
          const claimed = await tx.onboardingRequests.save({
            ...request,
            shopName,
            area,
            status: 'APPROVED',
            decidedAt: now,
            decidedBy: actorToJson(actor),
            reason: note,
          });
          const retailer = await registerRetailerIn(tx, this.ctx, {
            name: shopName,
            phone: request.phone,
            area,
            district,
            status: cmd.kycVerified === true ? 'ACTIVE' : 'PENDING_KYC',
            ...(cmd.creditLimit === undefined ? {} : { creditLimit: cmd.creditLimit }),
            actor,
          });
          const approved = await tx.onboardingRequests.save({ ...claimed, retailerId: retailer.id });
          const text = ONBOARDING_DECISION_TEXTS[request.language].approved(
            retailer.name,
            retailer.status === 'ACTIVE',
          );
          await tx.outbox.append([
            messageSendRequested({ kind: 'text', to: request.phone, text }, 'onboarding.approved', now),
          ]);
          return { request: approved, retailer, changed: true };
        },
        { label: 'onboarding-approve' },
      ),
    );
    if (result.ok && result.value.changed)
      this.ctx.logger.info('onboarding request approved', {
        requestId,
        retailerId: result.value.retailer?.id,
        status: result.value.retailer?.status,
      });
    return result;
  }
}

export interface RejectOnboardingCommand {
  readonly requestId: OnboardingRequestId;
  /** Told to the person. */
  readonly reason: string;
  readonly actor: Actor;
}

/** An operator rejects an onboarding request: closed, and the person told why. Rejected again: nothing more. */
export class RejectOnboardingRequest {
  static readonly failures = [ErrorCodes.NOT_FOUND, ErrorCodes.FORBIDDEN, ErrorCodes.ONBOARDING_DECIDED] as const;

  constructor(private readonly ctx: UseCaseContext) {}

  async execute(
    cmd: RejectOnboardingCommand,
  ): Promise<Outcome<OnboardingDecision, FailureCode<typeof RejectOnboardingRequest>>> {
    checkCommand(cmd);
    const requestId = checkId<OnboardingRequestId>(cmd.requestId, 'requestId');
    const actor = checkActor(cmd.actor);
    const reason = requiredReason(cmd.reason);
    const result = await runUseCase(RejectOnboardingRequest.failures, () =>
      this.ctx.uow.run(
        async (tx): Promise<OnboardingDecision> => {
          requireStaff(actor, 'reject an onboarding request');
          const request = required(await tx.onboardingRequests.get(requestId), 'onboarding request', requestId);
          if (request.status === 'REJECTED') return { request, retailer: null, changed: false };
          if (request.status !== 'PENDING') throw decided(request);
          const now = this.ctx.clock.now();
          const rejected = await tx.onboardingRequests.save({
            ...request,
            status: 'REJECTED',
            decidedAt: now,
            decidedBy: actorToJson(actor),
            reason,
          });
          const text = ONBOARDING_DECISION_TEXTS[request.language].rejected(reason);
          await tx.outbox.append([
            messageSendRequested({ kind: 'text', to: request.phone, text }, 'onboarding.rejected', now),
          ]);
          return { request: rejected, retailer: null, changed: true };
        },
        { label: 'onboarding-reject' },
      ),
    );
    if (result.ok && result.value.changed) this.ctx.logger.info('onboarding request rejected', { requestId });
    return result;
  }
}

function decided(request: OnboardingRequest): IllegalStateError {
  return new IllegalStateError(ErrorCodes.ONBOARDING_DECIDED, `the onboarding request is ${request.status}`, {
    requestId: request.id,
    status: request.status,
  });
}

/** What the person is told of the decision, in the language they wrote in. */
export const ONBOARDING_DECISION_TEXTS: Readonly<
  Record<
    ConversationLanguage,
    { readonly approved: (shop: string, active: boolean) => string; readonly rejected: (reason: string) => string }
  >
> = {
  en: {
    approved: (shop, active) =>
      active
        ? `Welcome to Khaacho! ${shop} is registered. Send your order as a message, e.g. "chamal 2 bora, tel 1 peti".`
        : `Welcome to Khaacho! ${shop} is registered. Our team will verify your documents (KYC) and message you when you can order.`,
    rejected: (reason) => `Sorry, we could not register your shop: ${reason}. Please contact Khaacho support.`,
  },
  'ne-Latn': {
    approved: (shop, active) =>
      active
        ? `Khaacho ma swagat cha! ${shop} darta bhayo. Order message ma pathaunus, jastai "chamal 2 bora, tel 1 peti".`
        : `Khaacho ma swagat cha! ${shop} darta bhayo. Hamro team le kagajat (KYC) janchepachi order garna milcha; message garchhau.`,
    rejected: (reason) =>
      `Maaf garnus, tapaiko pasal darta garna sakiyena: ${reason}. Khaacho support lai samparka garnus.`,
  },
  ne: {
    approved: (shop, active) =>
      active
        ? `खाचोमा स्वागत छ! ${shop} दर्ता भयो। अर्डर म्यासेजमा पठाउनुहोस्, जस्तै "चामल २ बोरा, तेल १ पेटी"।`
        : `खाचोमा स्वागत छ! ${shop} दर्ता भयो। हाम्रो टोलीले कागजात (KYC) जाँचेपछि अर्डर गर्न मिल्छ; म्यासेज गर्नेछौं।`,
    rejected: (reason) => `माफ गर्नुहोस्, तपाईंको पसल दर्ता गर्न सकिएन: ${reason}। खाचो सपोर्टलाई सम्पर्क गर्नुहोस्।`,
  },
};
