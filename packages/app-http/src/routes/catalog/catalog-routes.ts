import {
  NotFoundError,
  type Product,
  type ProductId,
  UNITS,
  USE_CASE_TOKENS,
  unwrap,
  type VendorId,
  type VendorOffer,
} from '@khaacho/core';
import { errorSchema, moneySchema, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('invalid'),
};
const ALL_ROLES = ['ADMIN', 'OPERATOR', 'RETAILER', 'VENDOR'] as const;

export const productSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'sku', 'name', 'category', 'baseUnit', 'conversions', 'aliases', 'active', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    sku: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    baseUnit: { type: 'string', enum: UNITS },
    conversions: {
      type: 'array',
      description: '1 unit = toBase × baseUnit',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['unit', 'toBase'],
        properties: { unit: { type: 'string', enum: UNITS }, toBase: { type: 'number' } },
      },
    },
    aliases: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['text', 'language'],
        properties: { text: { type: 'string' }, language: { type: 'string', enum: ['en', 'ne', 'ne-Latn'] } },
      },
    },
    active: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const satisfies JsonSchema;

export const offerSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'vendorId',
    'productId',
    'unit',
    'unitPrice',
    'stockOnHand',
    'minOrderQty',
    'leadTimeHours',
    'active',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    vendorId: { type: 'string', format: 'uuid' },
    productId: { type: 'string', format: 'uuid' },
    unit: { type: 'string', enum: UNITS },
    unitPrice: moneySchema,
    stockOnHand: { type: 'number' },
    minOrderQty: { type: 'number' },
    leadTimeHours: { type: 'number' },
    active: { type: 'boolean' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const satisfies JsonSchema;

export function productJson(p: Product) {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    category: p.category,
    baseUnit: p.baseUnit,
    conversions: p.conversions.map((c) => ({ unit: c.unit, toBase: c.toBase })),
    aliases: p.aliases.map((a) => ({ text: a.text, language: a.language })),
    active: p.active,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function offerJson(o: VendorOffer) {
  return {
    id: o.id,
    vendorId: o.vendorId,
    productId: o.productId,
    unit: o.unit,
    unitPrice: o.unitPrice.toJSON(),
    stockOnHand: o.stockOnHand,
    minOrderQty: o.minOrderQty,
    leadTimeHours: o.leadTimeHours,
    active: o.active,
    updatedAt: o.updatedAt.toISOString(),
  };
}

interface ListProductsQuery {
  readonly search?: string;
  readonly category?: string;
  readonly cursor?: string;
  readonly limit: number;
}

export const listProductsRoute = defineRoute<Record<string, never>, ListProductsQuery>({
  method: 'get',
  path: '/products',
  operationId: 'listProducts',
  summary: 'The catalog by sku, one page at a time; search matches sku, name and aliases (Nepali too).',
  tag: 'catalog',
  access: ALL_ROLES,
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      search: { type: 'string', minLength: 1, maxLength: 100 },
      category: { type: 'string', minLength: 1, maxLength: 100 },
      cursor: { type: 'string', maxLength: 64, description: "the previous page's nextCursor" },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    },
  },
  responses: {
    200: {
      description: 'one page',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: productSchema }, nextCursor: { type: ['string', 'null'] } },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ query, get }) {
    const page = unwrap(
      await get(USE_CASE_TOKENS.listProducts).execute({
        filter: {
          ...(query.search ? { search: query.search } : {}),
          ...(query.category ? { category: query.category } : {}),
        },
        page: { limit: query.limit, cursor: query.cursor ?? null },
      }),
    );
    return { status: 200, body: { items: page.items.map(productJson), nextCursor: page.nextCursor } };
  },
});

const productIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['productId'],
  properties: { productId: uuid },
} as const;

export const getProductRoute = defineRoute<{ productId: ProductId }>({
  method: 'get',
  path: '/products/:productId',
  operationId: 'getProduct',
  summary: 'One product with its units and aliases.',
  tag: 'catalog',
  access: ALL_ROLES,
  params: productIdParams,
  responses: {
    200: { description: 'the product', schema: productSchema },
    ...COMMON_ERRORS,
    404: error('no such product'),
  },
  async handle({ params, get }) {
    return { status: 200, body: productJson(unwrap(await get(USE_CASE_TOKENS.getProduct).execute(params))) };
  },
});

const offersSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: { items: { type: 'array', items: offerSchema } },
} as const satisfies JsonSchema;

export const listProductOffersRoute = defineRoute<{ productId: ProductId }>({
  method: 'get',
  path: '/products/:productId/offers',
  operationId: 'listProductOffers',
  summary: "A product's active vendor offers, cheapest first.",
  tag: 'catalog',
  access: ALL_ROLES,
  params: productIdParams,
  responses: {
    200: { description: 'the offers', schema: offersSchema },
    ...COMMON_ERRORS,
    404: error('no such product'),
  },
  async handle({ params, get }) {
    const offers = unwrap(await get(USE_CASE_TOKENS.listVendorOffers).execute({ productId: params.productId }));
    return { status: 200, body: { items: offers.map(offerJson) } };
  },
});

export const listVendorOffersRoute = defineRoute<{ vendorId: VendorId }>({
  method: 'get',
  path: '/vendors/:vendorId/offers',
  operationId: 'listVendorOffers',
  summary: "Every offer of a vendor, inactive ones too: a vendor's own catalog. Another vendor's answers 404.",
  tag: 'catalog',
  access: ['ADMIN', 'OPERATOR', 'VENDOR'],
  params: { type: 'object', additionalProperties: false, required: ['vendorId'], properties: { vendorId: uuid } },
  responses: {
    200: { description: 'the offers', schema: offersSchema },
    ...COMMON_ERRORS,
    404: error('no such vendor'),
  },
  async handle({ params, principal, get }) {
    if (principal.role === 'VENDOR' && principal.vendorId !== params.vendorId) {
      throw new NotFoundError('vendor', params.vendorId);
    }
    const offers = unwrap(await get(USE_CASE_TOKENS.listVendorOffers).execute({ vendorId: params.vendorId }));
    return { status: 200, body: { items: offers.map(offerJson) } };
  },
});

export const CATALOG_ROUTES: readonly AnyRoute[] = [
  listProductsRoute,
  getProductRoute,
  listProductOffersRoute,
  listVendorOffersRoute,
] as AnyRoute[];
