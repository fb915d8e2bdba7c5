import { defineEntity, p } from '@mikro-orm/core';
import { CONVERSATION_LANGUAGES, ONBOARDING_ROLES, ONBOARDING_STATUSES } from '@khaacho/core';

/**
 * Onboarding requests of unknown numbers (core's OnboardingRequestStore). `pending_phone` is the
 * phone while the request is PENDING and null after the decision: its unique constraint is
 * "one pending request per number" without a partial index. No foreign key to the retailer or
 * vendor an approval created: the request is the record of a decision, kept as it was.
 */
export const OnboardingRequestEntity = defineEntity({
  name: 'OnboardingRequest',
  tableName: 'onboarding_requests',
  properties: {
    id: p.uuid().primary(),
    /** E.164. */
    phone: p.text().index('onboarding_requests_phone_idx'),
    pendingPhone: p.text().nullable().unique('onboarding_requests_pending_phone_key'),
    shopName: p.text().nullable(),
    area: p.text().nullable(),
    /** RETAILER / VENDOR, what the person said it is (Migration20261206090100_onboarding_role). */
    requestedRole: p.enum(ONBOARDING_ROLES).nullable(),
    language: p.enum(CONVERSATION_LANGUAGES),
    status: p.enum(ONBOARDING_STATUSES),
    messages: p.integer(),
    createdAt: p.datetime(),
    lastMessageAt: p.datetime(),
    decidedAt: p.datetime().nullable(),
    decidedBy: p.json<unknown>().nullable(),
    reason: p.text().nullable(),
    retailerId: p.uuid().nullable(),
    vendorId: p.uuid().nullable(),
    version: p.integer(),
  },
  indexes: [{ name: 'onboarding_requests_status_created_idx', properties: ['status', 'createdAt', 'id'] }],
});
