/*
 * The bodies and answers of the /auth routes as JSON schemas: ajv validates requests with
 * them here, and app-http puts the same objects in its OpenAPI document. Strict (every
 * schema has a type), closed (no unknown fields) and bounded (every string and list).
 */

const email = { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' } as const;
const phone = { type: 'string', minLength: 7, maxLength: 20 } as const;
const newPassword = { type: 'string', minLength: 10, maxLength: 256 } as const;
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const location = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['lat', 'lng'],
  properties: {
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lng: { type: 'number', minimum: -180, maximum: 180 },
  },
} as const;
const refreshToken = { type: 'string', minLength: 1, maxLength: 200 } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const totpCode = { type: 'string', minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$' } as const;

export const PRINCIPAL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'role', 'retailerId', 'vendorId'],
  properties: {
    userId: uuid,
    role: { type: 'string', enum: ['ADMIN', 'OPERATOR', 'VENDOR', 'RETAILER'] },
    retailerId: { type: ['string', 'null'] },
    vendorId: { type: ['string', 'null'] },
  },
} as const;

const session = {
  type: 'object',
  additionalProperties: false,
  required: ['tokenType', 'accessToken', 'accessTokenExpiresAt', 'refreshToken', 'refreshTokenExpiresAt', 'principal'],
  properties: {
    tokenType: { type: 'string', const: 'Bearer' },
    accessToken: { type: 'string' },
    accessTokenExpiresAt: { type: 'string', format: 'date-time' },
    refreshToken: { type: 'string' },
    refreshTokenExpiresAt: { type: 'string', format: 'date-time' },
    principal: PRINCIPAL_SCHEMA,
  },
} as const;

export const ACCOUNT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'phone', 'role', 'status', 'retailerId', 'vendorId', 'createdAt'],
  properties: {
    id: uuid,
    email: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    role: { type: 'string', enum: ['ADMIN', 'OPERATOR', 'VENDOR', 'RETAILER'] },
    status: { type: 'string', enum: ['PENDING_APPROVAL', 'ACTIVE', 'REJECTED', 'DISABLED'] },
    retailerId: { type: ['string', 'null'] },
    vendorId: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const registerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'phone', 'password'],
  properties: {
    role: { type: 'string', enum: ['RETAILER', 'VENDOR'] },
    email,
    phone,
    password: newPassword,
    retailer: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'area', 'district'],
      properties: { name: text(200), area: text(100), district: text(100), location },
    },
    vendor: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'serviceAreas', 'dailyCapacity'],
      properties: {
        name: text(200),
        serviceAreas: { type: 'array', minItems: 1, maxItems: 50, items: text(100) },
        dailyCapacity: { type: 'integer', minimum: 0, maximum: 100_000 },
        location,
      },
    },
  },
  // The party's details match the role, and only they.
  oneOf: [
    {
      type: 'object',
      required: ['retailer'],
      properties: { role: { type: 'string', const: 'RETAILER' }, retailer: { type: 'object' }, vendor: false },
    },
    {
      type: 'object',
      required: ['vendor'],
      properties: { role: { type: 'string', const: 'VENDOR' }, vendor: { type: 'object' }, retailer: false },
    },
  ],
} as const;

/** Route key (`METHOD path` under /api/v1) → its body and 2xx answer. */
export const AUTH_ROUTE_SCHEMAS = {
  'POST /auth/register': { body: registerBody, response: ACCOUNT_SCHEMA },
  'POST /auth/login': {
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['identifier', 'password'],
      properties: {
        identifier: text(320),
        password: { type: 'string', minLength: 1, maxLength: 1024 },
        totpCode,
      },
    },
    response: session,
  },
  'POST /auth/totp/enrol': {
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['identifier', 'password'],
      properties: { identifier: text(320), password: { type: 'string', minLength: 1, maxLength: 1024 } },
    },
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['secret', 'uri'],
      properties: { secret: { type: 'string' }, uri: { type: 'string' } },
    },
  },
  'POST /auth/totp/confirm': {
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['identifier', 'password', 'code'],
      properties: {
        identifier: text(320),
        password: { type: 'string', minLength: 1, maxLength: 1024 },
        code: totpCode,
      },
    },
  },
  'POST /auth/refresh': {
    body: { type: 'object', additionalProperties: false, required: ['refreshToken'], properties: { refreshToken } },
    response: session,
  },
  'POST /auth/logout': {
    body: { type: 'object', additionalProperties: false, required: ['refreshToken'], properties: { refreshToken } },
  },
} as const satisfies Record<string, { body?: object; response?: object }>;
