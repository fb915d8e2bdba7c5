import {
  DomainError,
  ErrorCodes,
  isUnit,
  Money,
  NotFoundError,
  type Token,
  type Unit,
  USE_CASE_TOKENS,
  unwrap,
  ValidationError,
  type VendorId,
} from '@khaacho/core';
import { actorOf, type Principal } from '../../http/principal.js';
import { errorSchema, uuid } from '../common-schemas.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';
import { CsvError, parseCsv, rowObject } from './csv.js';

/** Bounds of one import: a larger catalog is sent in several. */
export const MAX_IMPORT_CHARS = 262_144;
export const MAX_IMPORT_ROWS = 1_000;

const PRODUCT_COLUMNS = ['sku', 'name', 'category', 'base_unit'] as const;
const PRODUCT_OPTIONAL = ['conversions', 'aliases', 'active'] as const;
const OFFER_COLUMNS = ['sku', 'unit', 'unit_price', 'stock_on_hand'] as const;
const OFFER_OPTIONAL = ['min_order_qty', 'lead_time_hours', 'active'] as const;
const LANGUAGES = ['en', 'ne', 'ne-Latn'] as const;

interface ImportBody {
  readonly kind: 'products' | 'offers';
  readonly vendorId?: VendorId;
  readonly csv: string;
}

type RowReport =
  | { line: number; sku: string | null; outcome: 'created' | 'updated' | 'unchanged'; id: string }
  | { line: number; sku: string | null; outcome: 'failed'; error: { code: string; message: string } };

const reportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'created', 'updated', 'unchanged', 'failed', 'rows'],
  properties: {
    kind: { type: 'string', enum: ['products', 'offers'] },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    failed: { type: 'integer' },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['line', 'sku', 'outcome'],
        properties: {
          line: { type: 'integer', description: 'the line of the CSV text (the header is line 1)' },
          sku: { type: ['string', 'null'] },
          outcome: { type: 'string', enum: ['created', 'updated', 'unchanged', 'failed'] },
          id: { type: 'string', description: 'the product or offer written' },
          error: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

const flag = (v: string | undefined): boolean | undefined => {
  if (v === undefined || v === '') return undefined;
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  throw new ValidationError(`active must be true or false, not "${v}"`);
};

const decimal = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new ValidationError(`${name} must be a number ≥ 0, not "${v}"`);
  return Number(v);
};

const unit = (v: string, name: string): Unit => {
  if (!isUnit(v)) throw new ValidationError(`${name} "${v}" is not a unit`);
  return v;
};

/** `carton=30;dozen=12` */
function conversions(v: string | undefined) {
  if (!v) return [];
  return v.split(';').map((part) => {
    const [u = '', n = ''] = part.split('=').map((s) => s.trim());
    const toBase = decimal(n, 'a conversion');
    if (!toBase) throw new ValidationError(`conversion "${part}" must look like carton=30`);
    return { unit: unit(u, 'conversion unit'), toBase };
  });
}

/** `chamal@ne-Latn;चामल@ne;rice` (no language: en) */
function aliases(v: string | undefined) {
  if (!v) return [];
  return v.split(';').map((part) => {
    const at = part.lastIndexOf('@');
    const language = at < 0 ? 'en' : part.slice(at + 1).trim();
    if (!(LANGUAGES as readonly string[]).includes(language)) {
      throw new ValidationError(`alias language "${language}" is not one of ${LANGUAGES.join(', ')}`);
    }
    return { text: (at < 0 ? part : part.slice(0, at)).trim(), language: language as (typeof LANGUAGES)[number] };
  });
}

function checkHeader(header: readonly string[], required: readonly string[], optional: readonly string[]): void {
  const missing = required.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !required.includes(c) && !optional.includes(c));
  const twice = header.filter((c, i) => header.indexOf(c) !== i);
  if (missing.length || unknown.length || twice.length) {
    throw new ValidationError('the CSV header does not fit', {
      missing,
      unknown,
      twice,
      expected: [...required, ...optional.map((c) => `${c}?`)],
    });
  }
}

/** A row's failure as the report says it: a domain error keeps its code; anything else is not caught here. */
function failure(error: unknown): { code: string; message: string } {
  if (error instanceof CsvError) return { code: 'CSV.MALFORMED_ROW', message: error.message };
  if (DomainError.is(error)) return { code: error.code, message: error.message };
  throw error;
}

export const importCatalogRoute = defineRoute<Record<string, never>, Record<string, never>, ImportBody>({
  method: 'post',
  path: '/catalog/import',
  operationId: 'importCatalog',
  auditTarget: {
    type: 'vendor',
    body: 'vendorId',
    otherwise: 'a product import writes many products of the catalog, not one record',
  },
  summary:
    'Bulk CSV import of products (staff) or of one vendor’s offers (that vendor, or staff naming `vendorId`), at most ' +
    `${MAX_IMPORT_ROWS} rows. Every row is written in its own transaction: a row that fails is reported (line, ` +
    'code, message) and does not stop the others — not all-or-nothing. Re-importing the same file changes nothing ' +
    '(rows report `unchanged`/`updated`). Products: `sku,name,category,base_unit[,conversions][,aliases][,active]` ' +
    '(conversions `carton=30;dozen=12`, aliases `chamal@ne-Latn;चामल@ne`). Offers: ' +
    '`sku,unit,unit_price,stock_on_hand[,min_order_qty][,lead_time_hours][,active]` (unit_price in rupees, e.g. ' +
    '`20.50`). A header that does not fit, or a malformed CSV text, is a 422 and nothing is written. ' +
    '`Idempotency-Key` honoured.',
  tag: 'catalog',
  access: ['ADMIN', 'OPERATOR', 'VENDOR'],
  idempotent: true,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'csv'],
    properties: {
      kind: { type: 'string', enum: ['products', 'offers'] },
      vendorId: { ...uuid, description: 'offers: whose (a vendor may leave it out)' },
      csv: { type: 'string', minLength: 1, maxLength: MAX_IMPORT_CHARS, description: 'the CSV text, header first' },
    },
  },
  responses: {
    200: { description: 'what happened to every row', schema: reportSchema },
    401: { description: 'not authenticated', schema: errorSchema },
    403: { description: 'the role may not do this', schema: errorSchema },
    404: { description: 'no such vendor (or not yours)', schema: errorSchema },
    422: { description: 'the body, the CSV text or its header is invalid', schema: errorSchema },
  },
  async handle({ body, principal, get }) {
    const vendorId = body.kind === 'offers' ? importingVendor(principal, body.vendorId) : null;
    if (body.kind === 'products' && principal.role === 'VENDOR') {
      throw new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'only staff may import products');
    }
    if (body.kind === 'products' && body.vendorId) throw new ValidationError('vendorId is for offers');
    let table: ReturnType<typeof parseCsv>;
    try {
      table = parseCsv(body.csv);
    } catch (error) {
      if (error instanceof CsvError) throw new ValidationError(error.message, { line: error.line });
      throw error;
    }
    if (table.rows.length > MAX_IMPORT_ROWS) {
      throw new ValidationError(`at most ${MAX_IMPORT_ROWS} rows per import`, { rows: table.rows.length });
    }
    if (body.kind === 'products') checkHeader(table.header, PRODUCT_COLUMNS, PRODUCT_OPTIONAL);
    else {
      checkHeader(table.header, OFFER_COLUMNS, OFFER_OPTIONAL);
      unwrap(await get(USE_CASE_TOKENS.listVendorOffers).execute({ vendorId: vendorId as VendorId }));
    }
    const rows: RowReport[] = [];
    for (const row of table.rows) {
      let sku: string | null = null;
      try {
        const r = rowObject(table.header, row);
        sku = r.sku || null;
        const written =
          body.kind === 'products'
            ? await importProduct(get, principal, r)
            : await importOffer(get, principal, vendorId as VendorId, r);
        rows.push({ line: row.line, sku, ...written });
      } catch (error) {
        rows.push({ line: row.line, sku, outcome: 'failed', error: failure(error) });
      }
    }
    const count = (o: RowReport['outcome']) => rows.filter((r) => r.outcome === o).length;
    return {
      status: 200,
      body: {
        kind: body.kind,
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        failed: count('failed'),
        rows,
      },
    };
  },
});

function importingVendor(principal: Principal, named: VendorId | undefined): VendorId {
  if (principal.role === 'VENDOR') {
    if (named && named !== principal.vendorId) throw new NotFoundError('vendor', named);
    return principal.vendorId as VendorId;
  }
  if (!named) throw new ValidationError('staff must name the vendorId whose offers these are');
  return named;
}

type Get = <T>(service: Token<T>) => T;

async function importProduct(get: Get, principal: Principal, r: Record<string, string>) {
  const active = flag(r.active);
  const input = {
    sku: r.sku ?? '',
    name: r.name ?? '',
    category: r.category ?? '',
    baseUnit: unit(r.base_unit ?? '', 'base_unit'),
    conversions: conversions(r.conversions),
    aliases: aliases(r.aliases),
    ...(active === undefined ? {} : { active }),
  };
  const { product, created, changed } = unwrap(
    await get(USE_CASE_TOKENS.upsertProduct).execute({ ...input, actor: actorOf(principal) }),
  );
  return { outcome: created ? 'created' : changed ? 'updated' : 'unchanged', id: product.id } as const;
}

async function importOffer(get: Get, principal: Principal, vendorId: VendorId, r: Record<string, string>) {
  const product = unwrap(await get(USE_CASE_TOKENS.getProductBySku).execute({ sku: r.sku ?? '' }));
  const minOrderQty = decimal(r.min_order_qty, 'min_order_qty');
  const leadTimeHours = decimal(r.lead_time_hours, 'lead_time_hours');
  const active = flag(r.active);
  const stockOnHand = decimal(r.stock_on_hand, 'stock_on_hand');
  if (stockOnHand === undefined) throw new ValidationError('stock_on_hand is required');
  const { offer, created, changed } = unwrap(
    await get(USE_CASE_TOKENS.upsertVendorOffer).execute({
      vendorId,
      productId: product.id,
      unit: unit(r.unit ?? '', 'unit'),
      unitPrice: Money.parse(r.unit_price ?? ''),
      stockOnHand,
      ...(minOrderQty === undefined ? {} : { minOrderQty }),
      ...(leadTimeHours === undefined ? {} : { leadTimeHours }),
      ...(active === undefined ? {} : { active }),
      actor: actorOf(principal),
    }),
  );
  return { outcome: created ? 'created' : changed ? 'updated' : 'unchanged', id: offer.id } as const;
}

export const CATALOG_IMPORT_ROUTES: readonly AnyRoute[] = [importCatalogRoute] as AnyRoute[];
