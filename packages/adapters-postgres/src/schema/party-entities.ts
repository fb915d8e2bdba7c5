import { defineEntity, p } from '@mikro-orm/core';
import { RETAILER_STATUSES, ROLES, VENDOR_STATUSES } from '@khaacho/core';

/** The check of Migration20261128033000_value_checks; float literals so PostgreSQL prints it back without casts to diff. */
const LOCATION_IN_RANGE = `(("lat" is null) = ("lng" is null)) and (("lat" is null) or (("lat" >= '-90'::double precision) and ("lat" <= '90'::double precision) and ("lng" >= '-180'::double precision) and ("lng" <= '180'::double precision)))`;

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
    active: p.boolean(),
    createdAt: p.datetime(),
  },
});

/** Rotating refresh tokens: a reused (already replaced) token revokes its whole family. */
export const RefreshTokenEntity = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(UserEntity).deleteRule('cascade').index('refresh_tokens_user_id_idx'),
    familyId: p.uuid().index('refresh_tokens_family_id_idx'),
    tokenHash: p.text().unique('refresh_tokens_token_hash_key'),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    replacedBy: p.uuid().nullable(),
    createdAt: p.datetime(),
  },
});
