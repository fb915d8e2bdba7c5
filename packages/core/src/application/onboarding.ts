import { messageSendRequested } from '../messaging/request-message.js';
import {
  type OnboardingDetails,
  type OnboardingRequest,
  type OnboardingRequestId,
  type OnboardingStatus,
  ONBOARDING_ROLES,
  ONBOARDING_STATUSES,
  type OnboardingRole,
  withMessage,
} from '../onboarding/onboarding-request.js';
import type { Retailer } from '../parties/retailer.js';
import type { Vendor } from '../parties/vendor.js';
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
import { registerRetailerIn, registerVendorIn } from './register-parties.js';

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
    requestedRole: message.details.role,
    language: message.language,
    status: 'PENDING',
    messages: 1,
    createdAt: message.at,
    lastMessageAt: message.at,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    retailerId: null,
    vendorId: null,
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
  /**
   * What the approval creates: a RETAILER (a shop) or a VENDOR (a supplier). Default: what the
   * person asked for, else RETAILER.
   */
  readonly role?: OnboardingRole;
  /** The shop's (or supplier's) name and area: what the person wrote unless given here (one of the two must have them). */
  readonly shopName?: string | null;
  readonly area?: string | null;
  /** RETAILER: required. */
  readonly district?: string | null;
  /** RETAILER: KYC checked already, the retailer starts ACTIVE. Otherwise PENDING_KYC, as every new retailer. */
  readonly kycVerified?: boolean;
  /** RETAILER: the starting credit limit. */
  readonly creditLimit?: Money;
  /** VENDOR: the areas it serves (default: its area). */
  readonly serviceAreas?: readonly string[];
  /** VENDOR: required; orders a day it can take. */
  readonly dailyCapacity?: number;
  readonly note?: string | null;
  readonly actor: Actor;
}

export interface OnboardingDecision {
  readonly request: OnboardingRequest;
  /** The retailer an approval as RETAILER created (null otherwise). */
  readonly retailer: Retailer | null;
  /** The vendor an approval as VENDOR created (null otherwise). */
  readonly vendor: Vendor | null;
  /** False when the same decision had been taken before (a retried request). */
  readonly changed: boolean;
}

/** A field the chosen role needs, missing: VALIDATION.INVALID naming it and the role. */
function requiredFor(role: OnboardingRole, field: string): ValidationError {
  return new ValidationError(`${field} is required to approve as ${role}`, { field, role });
}

/**
 * An operator approves an onboarding request as the person asked, or as the operator decides:
 * - RETAILER: the retailer and its credit account (`registerRetailerIn`: PENDING_KYC unless
 *   the operator verified KYC; `district` required);
 * - VENDOR: the vendor (`registerVendorIn`: ACTIVE, the operator's approval being its check;
 *   `dailyCapacity` required, `serviceAreas` default to its area).
 * The request is closed and the person told in the language they wrote in, all in one
 * transaction. Approved again: the same party, nothing more. A number that has become a party
 * meanwhile (registered by the field team) is ENTITY.DUPLICATE (the same kind) or
 * PARTY.PHONE_TAKEN (the other kind: one number is one party), and the request stays pending
 * for a rejection.
 */
export class ApproveOnboardingRequest {
  static readonly failures = [
    ErrorCodes.NOT_FOUND,
    ErrorCodes.FORBIDDEN,
    ErrorCodes.DUPLICATE,
    ErrorCodes.PARTY_PHONE_TAKEN,
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
    if (cmd.role !== undefined && !ONBOARDING_ROLES.includes(cmd.role)) {
      throw new ValidationError('role must be RETAILER or VENDOR', { field: 'role' }, ErrorCodes.INVALID_COMMAND);
    }
    const result = await runUseCase(ApproveOnboardingRequest.failures, () =>
      this.ctx.uow.run(
        async (tx): Promise<OnboardingDecision> => {
          requireStaff(actor, 'approve an onboarding request');
          const request = required(await tx.onboardingRequests.get(requestId), 'onboarding request', requestId);
          if (request.status === 'APPROVED') {
            const retailer = request.retailerId === null ? null : await tx.retailers.get(request.retailerId);
            const vendor = request.vendorId === null ? null : await tx.vendors.get(request.vendorId);
            return { request, retailer, vendor, changed: false };
          }
          if (request.status !== 'PENDING') throw decided(request);
          const role = cmd.role ?? request.requestedRole ?? 'RETAILER';
          const shopName = requireText(cmd.shopName ?? request.shopName ?? '', 'shopName');
          const area = requireText(cmd.area ?? request.area ?? '', 'area');
          const district = role === 'RETAILER' ? (cmd.district ?? null) : null;
          if (role === 'RETAILER' && (district === null || district.trim() === '')) {
            throw requiredFor(role, 'district');
          }
          if (role === 'VENDOR' && cmd.dailyCapacity === undefined) throw requiredFor(role, 'dailyCapacity');
          const now = this.ctx.clock.now();
          // The request is claimed first: a concurrent approval's version check then fails and its
          // retry reads APPROVED (the same answer) instead of meeting this party's phone as a
          // duplicate. The party's id is filled in by the second save below.
          const claimed = await tx.onboardingRequests.save({
            ...request,
            shopName,
            area,
            requestedRole: request.requestedRole ?? role,
            status: 'APPROVED',
            decidedAt: now,
            decidedBy: actorToJson(actor),
            reason: note,
          });
          const texts = ONBOARDING_DECISION_TEXTS[request.language];
          let decision: OnboardingDecision;
          let text: string;
          if (role === 'VENDOR') {
            const vendor = await registerVendorIn(tx, this.ctx, {
              name: shopName,
              phone: request.phone,
              serviceAreas: cmd.serviceAreas ?? [area],
              dailyCapacity: cmd.dailyCapacity as number,
              status: 'ACTIVE',
              actor,
            });
            const approved = await tx.onboardingRequests.save({ ...claimed, vendorId: vendor.id });
            decision = { request: approved, retailer: null, vendor, changed: true };
            text = texts.approvedVendor(vendor.name);
          } else {
            const retailer = await registerRetailerIn(tx, this.ctx, {
              name: shopName,
              phone: request.phone,
              area,
              district: requireText(district ?? '', 'district'),
              status: cmd.kycVerified === true ? 'ACTIVE' : 'PENDING_KYC',
              ...(cmd.creditLimit === undefined ? {} : { creditLimit: cmd.creditLimit }),
              actor,
            });
            const approved = await tx.onboardingRequests.save({ ...claimed, retailerId: retailer.id });
            decision = { request: approved, retailer, vendor: null, changed: true };
            text = texts.approved(retailer.name, retailer.status === 'ACTIVE');
          }
          await tx.outbox.append([
            messageSendRequested({ kind: 'text', to: request.phone, text }, 'onboarding.approved', now),
          ]);
          return decision;
        },
        { label: 'onboarding-approve' },
      ),
    );
    if (result.ok && result.value.changed)
      this.ctx.logger.info('onboarding request approved', {
        requestId,
        role: result.value.vendor === null ? 'RETAILER' : 'VENDOR',
        retailerId: result.value.retailer?.id,
        vendorId: result.value.vendor?.id,
        status: result.value.retailer?.status ?? result.value.vendor?.status,
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
          if (request.status === 'REJECTED') return { request, retailer: null, vendor: null, changed: false };
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
          return { request: rejected, retailer: null, vendor: null, changed: true };
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
    {
      readonly approved: (shop: string, active: boolean) => string;
      /** Approved as a supplier: offers come by chat from now on. */
      readonly approvedVendor: (name: string) => string;
      readonly rejected: (reason: string) => string;
    }
  >
> = {
  en: {
    approved: (shop, active) =>
      active
        ? `Welcome to Khaacho! ${shop} is registered. Send your order as a message, e.g. "chamal 2 bora, tel 1 peti".`
        : `Welcome to Khaacho! ${shop} is registered. Our team will verify your documents (KYC) and message you when you can order.`,
    approvedVendor: (name) =>
      `Welcome to Khaacho! ${name} is registered as a supplier. Orders will come here with Accept and Reject buttons; send price or stock changes as a message, e.g. "rice mansuli 25kg 2150" or "stock sugar 50 bora".`,
    rejected: (reason) => `Sorry, we could not register you: ${reason}. Please contact Khaacho support.`,
  },
  'ne-Latn': {
    approved: (shop, active) =>
      active
        ? `Khaacho ma swagat cha! ${shop} darta bhayo. Order message ma pathaunus, jastai "chamal 2 bora, tel 1 peti".`
        : `Khaacho ma swagat cha! ${shop} darta bhayo. Hamro team le kagajat (KYC) janchepachi order garna milcha; message garchhau.`,
    approvedVendor: (name) =>
      `Khaacho ma swagat cha! ${name} supplier ko rup ma darta bhayo. Order haru yahi Accept ra Reject button sanga aaunchhan; mulya wa stock message ma pathaunus, jastai "rice mansuli 25kg 2150" wa "stock sugar 50 bora".`,
    rejected: (reason) => `Maaf garnus, tapailai darta garna sakiyena: ${reason}. Khaacho support lai samparka garnus.`,
  },
  ne: {
    approved: (shop, active) =>
      active
        ? `खाचोमा स्वागत छ! ${shop} दर्ता भयो। अर्डर म्यासेजमा पठाउनुहोस्, जस्तै "चामल २ बोरा, तेल १ पेटी"।`
        : `खाचोमा स्वागत छ! ${shop} दर्ता भयो। हाम्रो टोलीले कागजात (KYC) जाँचेपछि अर्डर गर्न मिल्छ; म्यासेज गर्नेछौं।`,
    approvedVendor: (name) =>
      `खाचोमा स्वागत छ! ${name} सप्लायरको रूपमा दर्ता भयो। अर्डरहरू यहीँ Accept र Reject बटनसहित आउनेछन्; मूल्य वा स्टक म्यासेजमा पठाउनुहोस्, जस्तै "rice mansuli 25kg 2150" वा "stock sugar 50 bora"।`,
    rejected: (reason) => `माफ गर्नुहोस्, तपाईंलाई दर्ता गर्न सकिएन: ${reason}। खाचो सपोर्टलाई सम्पर्क गर्नुहोस्।`,
  },
};
