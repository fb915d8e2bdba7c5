import { defineEntity, p } from '@mikro-orm/core';
import { RETAILER_STATUSES, ROLES, USER_STATUSES, VENDOR_STATUSES } from '@khaacho/core';

/** The check of Migration20261128033000_value_checks; float literals so PostgreSQL prints it back without casts to diff. */
const LOCATION_IN_RANGE = `(("lat" is null) = ("lng" is null)) and (("lat" is null) or (("lat" >= '-90'::double precision) and ("lat" <= '90'::double precision) and ("lng" >= '-180'::double precision) and ("lng" <= '180'::double precision)))`;

/**
 * One phone, one party (Migration20261206091000_phone_one_party): each retailer's and vendor's
 * number is registered in `party_phones` by these row triggers, whose primary key then refuses
 * a number of the other kind (a chat could not tell which of the two speaks). A save that keeps
 * the number writes nothing more; a changed or deleted one frees its old number.
 */
const registerPhone = (kind: 'retailer' | 'vendor') =>
  `if tg_op = 'UPDATE' and old.phone = new.phone then return null; end if; if tg_op in ('UPDATE', 'DELETE') then delete from party_phones where phone = old.phone and party_id = old.id; end if; if tg_op in ('INSERT', 'UPDATE') then insert into party_phones (phone, party_kind, party_id) values (new.phone, '${kind}', new.id); end if; return null;`;

export const PARTY_KINDS = ['retailer', 'vendor'] as const;

export const PartyPhoneEntity = defineEntity({
  name: 'PartyPhone',
  tableName: 'party_phones',
  properties: {
    /** E.164; the key `party_phones_pkey` is what refuses a second party (PARTY.PHONE_TAKEN). */
    phone: p.text().primary(),
    partyKind: p.enum(PARTY_KINDS),
    partyId: p.uuid(),
  },
});

export const RetailerEntity = defineEntity({
  name: 'Retailer',
  tableName: 'retailers',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    /** E.164. */
    phone: p.text().unique('retailers_phone_key'),
    area: p.text().index('retailers_area_idx'),
    district: p.text(),
    lat: p.double().nullable(),
    lng: p.double().nullable(),
    status: p.enum(RETAILER_STATUSES),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  // Keyset pagination: newest first.
  indexes: [{ name: 'retailers_created_id_idx', properties: ['createdAt', 'id'] }],
  checks: [{ name: 'retailers_location_check', expression: LOCATION_IN_RANGE }],
  triggers: [
    {
      name: 'register_phone',
      timing: 'after',
      events: ['insert', 'update', 'delete'],
      forEach: 'row',
      body: registerPhone('retailer'),
    },
  ],
});

export const VendorEntity = defineEntity({
  name: 'Vendor',
  tableName: 'vendors',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    phone: p.text().unique('vendors_phone_key'),
    serviceAreas: p.array(),
    dailyCapacity: p.integer(),
    lat: p.double().nullable(),
    lng: p.double().nullable(),
    status: p.enum(VENDOR_STATUSES),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  indexes: [
    { name: 'vendors_service_areas_idx', properties: ['serviceAreas'], type: 'gin' },
    { name: 'vendors_created_id_idx', properties: ['createdAt', 'id'] },
  ],
  checks: [{ name: 'vendors_location_check', expression: LOCATION_IN_RANGE }],
  triggers: [
    {
      name: 'register_phone',
      timing: 'after',
      events: ['insert', 'update', 'delete'],
      forEach: 'row',
      body: registerPhone('vendor'),
    },
  ],
});

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    email: p.text().nullable().unique('users_email_key'),
    phone: p.text().nullable().unique('users_phone_key'),
    passwordHash: p.text(),
    role: p.enum(ROLES),
    retailer: () => p.manyToOne(RetailerEntity).nullable().index('users_retailer_id_idx'),
    vendor: () => p.manyToOne(VendorEntity).nullable().index('users_vendor_id_idx'),
    status: p.enum(USER_STATUSES),
    /** Sealed (encrypted) by app-http; null until the user starts enrolment. */
    totpSecret: p.text().nullable(),
    totpConfirmedAt: p.datetime().nullable(),
    totpLastStep: p.bigint('number').nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  // Staff list accounts waiting for approval, oldest first.
  indexes: [{ name: 'users_status_created_idx', properties: ['status', 'createdAt'] }],
});

/** Rotating refresh tokens: a reused (already replaced) token revokes its whole family. */
export const RefreshTokenEntity = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(UserEntity).deleteRule('cascade').index('refresh_tokens_user_id_idx'),
    familyId: p.uuid().index('refresh_tokens_family_id_idx'),
    /** SHA-256 of the token (base64url): the token itself is never stored. */
    tokenHash: p.text().unique('refresh_tokens_token_hash_key'),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    replacedBy: p.uuid().nullable(),
    createdAt: p.datetime(),
  },
});

/** Failed-login counters per identifier or address (core's LoginThrottle): backoff and lockout. */
export const LoginThrottleEntity = defineEntity({
  name: 'LoginThrottle',
  tableName: 'login_throttles',
  properties: {
    key: p.text().primary(),
    failures: p.integer(),
    windowStartedAt: p.datetime(),
    lastFailureAt: p.datetime(),
    lockedUntil: p.datetime().nullable(),
  },
  checks: [{ name: 'login_throttles_failures_check', expression: '"failures" >= 0' }],
});
