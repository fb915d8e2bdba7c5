import {
  MAX_LEDGER_AMOUNT,
  Money,
  NotFoundError,
  type ProductId,
  UNITS,
  type Unit,
  USE_CASE_TOKENS,
  type Token,
  unwrap,
  type VendorId,
} from '@khaacho/core';
import { actorOf, type Principal } from '../../http/principal.js';
import { errorSchema, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';
import { offerJson, offerSchema, productJson, productSchema } from './catalog-routes.js';

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  422: error('the request is invalid'),
};
const CURATORS = ['ADMIN', 'OPERATOR'] as const;

interface ProductBody {
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly baseUnit: Unit;
  readonly conversions?: readonly { unit: Unit; toBase: number }[];
  readonly aliases?: readonly { text: string; language: 'en' | 'ne' | 'ne-Latn' }[];
  readonly active?: boolean;
}

const productFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  category: { type: 'string', minLength: 1, maxLength: 80 },
  baseUnit: { type: 'string', enum: UNITS },
  conversions: {
    type: 'array',
    maxItems: 10,
    description: '1 unit = toBase × baseUnit',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['unit', 'toBase'],
      properties: {
        unit: { type: 'string', enum: UNITS },
        toBase: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
      },
    },
  },
  aliases: {
    type: 'array',
    maxItems: 20,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['text', 'language'],
      properties: {
        text: { type: 'string', minLength: 1, maxLength: 100 },
        language: { type: 'string', enum: ['en', 'ne', 'ne-Latn'] },
      },
    },
  },
  active: { type: 'boolean' },
} as const;

const skuSchema = {
  type: 'string',
  minLength: 2,
  maxLength: 40,
  description: 'A-Z, 0-9, . _ - (upper-cased)',
} as const;

export const createProductRoute = defineRoute<Record<string, never>, Record<string, never>, ProductBody>({
  method: 'post',
  path: '/products',
  operationId: 'createProduct',
  auditTarget: { type: 'product', result: ['id'] },
  summary:
    'Add a product, or update the one with the same SKU (201 when created, 200 when it existed). Staff curate the ' +
    'catalog. `Idempotency-Key` honoured.',
  tag: 'catalog',
  access: CURATORS,
  idempotent: true,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['sku', 'name', 'category', 'baseUnit'],
    properties: { sku: skuSchema, ...productFields },
  },
  responses: {
    201: { description: 'the product, created', schema: productSchema, headers: { Location: 'the product' } },
    200: { description: 'the product with this SKU, updated', schema: productSchema },
    ...COMMON_ERRORS,
  },
  async handle({ body, principal, get }) {
    const { product, created } = unwrap(
      await get(USE_CASE_TOKENS.upsertProduct).execute({ ...body, actor: actorOf(principal) }),
    );
    return created
      ? { status: 201, body: productJson(product), headers: { Location: `/api/v1/products/${product.id}` } }
      : { status: 200, body: productJson(product) };
  },
});

export const updateProductRoute = defineRoute<
  { productId: ProductId },
  Record<string, never>,
  Omit<ProductBody, 'sku'>
>({
  method: 'put',
  path: '/products/:productId',
  operationId: 'updateProduct',
  summary: 'Replace a product’s name, category, units, aliases or active flag (its SKU stays). Staff only.',
  tag: 'catalog',
  access: CURATORS,
  params: { type: 'object', additionalProperties: false, required: ['productId'], properties: { productId: uuid } },
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'category', 'baseUnit'],
    properties: productFields,
  },
  responses: {
    200: { description: 'the product', schema: productSchema },
    ...COMMON_ERRORS,
    404: error('no such product'),
  },
  async handle({ params, body, principal, get }) {
    const existing = unwrap(await get(USE_CASE_TOKENS.getProduct).execute({ productId: params.productId }));
    const { product } = unwrap(
      await get(USE_CASE_TOKENS.upsertProduct).execute({ ...body, sku: existing.sku, actor: actorOf(principal) }),
    );
    return { status: 200, body: productJson(product) };
  },
});

interface OfferBody {
  readonly productId: ProductId;
  readonly unit: Unit;
  readonly unitPrice: number;
  readonly currency: string;
  readonly stockOnHand: number;
  readonly minOrderQty?: number;
  readonly leadTimeHours?: number;
  readonly active?: boolean;
}

const offerFields = {
  unit: { type: 'string', enum: UNITS },
  unitPrice: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_LEDGER_AMOUNT,
    description: 'integer minor units (paisa) per unit',
  },
  currency: { type: 'string', enum: ['NPR'], default: 'NPR' },
  stockOnHand: { type: 'number', minimum: 0, maximum: 1_000_000_000 },
  minOrderQty: { type: 'number', minimum: 0, maximum: 1_000_000 },
  leadTimeHours: { type: 'number', minimum: 0, maximum: 10_000 },
  active: { type: 'boolean' },
} as const;

const vendorIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['vendorId'],
  properties: { vendorId: uuid },
} as const satisfies JsonSchema;

/** A vendor writes only its own offers; another vendor's catalog does not exist for it. */
function ownVendor(principal: Principal, vendorId: VendorId): void {
  if (principal.role === 'VENDOR' && principal.vendorId !== vendorId) throw new NotFoundError('vendor', vendorId);
}

async function upsertOffer(get: <T>(t: Token<T>) => T, principal: Principal, vendorId: VendorId, body: OfferBody) {
  const { currency, unitPrice, ...rest } = body;
  return unwrap(
    await get(USE_CASE_TOKENS.upsertVendorOffer).execute({
      ...rest,
      vendorId,
      unitPrice: Money.of(unitPrice, currency),
      actor: actorOf(principal),
    }),
  );
}

export const createVendorOfferRoute = defineRoute<{ vendorId: VendorId }, Record<string, never>, OfferBody>({
  method: 'post',
  path: '/vendors/:vendorId/offers',
  operationId: 'createVendorOffer',
  summary:
    "Offer a product (or change the vendor's offer for it: one offer per vendor and product); every price change is " +
    'kept as history. 201 when created, 200 when it existed. A vendor its own offers; staff any. ' +
    '`Idempotency-Key` honoured.',
  tag: 'catalog',
  access: ['ADMIN', 'OPERATOR', 'VENDOR'],
  idempotent: true,
  params: vendorIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['productId', 'unit', 'unitPrice', 'stockOnHand'],
    properties: { productId: uuid, ...offerFields },
  },
  responses: {
    201: { description: 'the offer, created', schema: offerSchema },
    200: { description: 'the offer, updated', schema: offerSchema },
    ...COMMON_ERRORS,
    404: error('no such vendor (or not yours) or product'),
  },
  async handle({ params, body, principal, get }) {
    ownVendor(principal, params.vendorId);
    const { offer, created } = await upsertOffer(get, principal, params.vendorId, body);
    return { status: created ? 201 : 200, body: offerJson(offer) };
  },
});

export const updateVendorOfferRoute = defineRoute<
  { vendorId: VendorId; productId: ProductId },
  Record<string, never>,
  Omit<OfferBody, 'productId'>
>({
  method: 'put',
  path: '/vendors/:vendorId/offers/:productId',
  operationId: 'updateVendorOffer',
  summary: "Change a vendor's existing offer for a product (price, stock, terms, active). 404 when there is none.",
  tag: 'catalog',
  access: ['ADMIN', 'OPERATOR', 'VENDOR'],
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['vendorId', 'productId'],
    properties: { vendorId: uuid, productId: uuid },
  },
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['unit', 'unitPrice', 'stockOnHand'],
    properties: offerFields,
  },
  responses: {
    200: { description: 'the offer', schema: offerSchema },
    ...COMMON_ERRORS,
    404: error('no such offer (or not yours)'),
  },
  async handle({ params, body, principal, get }) {
    ownVendor(principal, params.vendorId);
    const offers = unwrap(await get(USE_CASE_TOKENS.listVendorOffers).execute({ vendorId: params.vendorId }));
    if (!offers.some((o) => o.productId === params.productId)) {
      throw new NotFoundError('offer', `${params.vendorId}/${params.productId}`);
    }
    const { offer } = await upsertOffer(get, principal, params.vendorId, { ...body, productId: params.productId });
    return { status: 200, body: offerJson(offer) };
  },
});

export const CATALOG_WRITE_ROUTES: readonly AnyRoute[] = [
  createProductRoute,
  updateProductRoute,
  createVendorOfferRoute,
  updateVendorOfferRoute,
] as AnyRoute[];
