import {
  AGING_BUCKETS,
  CLOCK,
  type LedgerEntry,
  LEDGER_ENTRY_TYPES,
  MAX_LEDGER_AMOUNT,
  Money,
  NOTE_MAX_LENGTH,
  NotFoundError,
  REASON_MAX_LENGTH,
  type RetailerId,
  USE_CASE_TOKENS,
  unwrap,
  ValidationError,
} from '@khaacho/core';
import { actorOf, isStaff, type Principal } from '../../http/principal.js';
import { actorSchema, dateTime, errorSchema, moneySchema, uuid } from '../common-schemas.js';
import { orderSchema } from '../orders/order-schemas.js';
import { orderJson } from '../orders/order-json.js';
import { type AnyRoute, defineRoute, type JsonSchema } from '../route.js';

const error = (description: string) => ({ description, schema: errorSchema });
const COMMON_ERRORS = {
  401: error('not authenticated'),
  403: error('the role may not do this'),
  404: error('no such retailer (or not yours)'),
  422: error('the request is invalid'),
};
const STAFF = ['ADMIN', 'OPERATOR'] as const;
/** Net terms a retailer may be given (core refuses more). */
const MAX_NET_TERMS_DAYS = 180;
/** A statement covers at most this many days. */
const MAX_STATEMENT_DAYS = 400;
const DAY_MS = 86_400_000;

/** A retailer reads its own credit; staff name the retailer. Anyone else's answers 404. */
export function creditRetailer(principal: Principal, named: RetailerId | undefined): RetailerId {
  if (isStaff(principal)) {
    if (!named) throw new ValidationError('staff must name the retailerId');
    return named;
  }
  if (named && named !== principal.retailerId) throw new NotFoundError('retailer', named);
  return principal.retailerId as RetailerId;
}

const amountSchema = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_LEDGER_AMOUNT,
  description: 'integer minor units (paisa)',
} as const;
const currencySchema = { type: 'string', enum: ['NPR'], default: 'NPR' } as const;
const referenceSchema = { type: 'string', minLength: 1, maxLength: 100 } as const;

const entrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'sequence', 'type', 'amount', 'orderId', 'reference', 'dueAt', 'note', 'actor', 'createdAt'],
  properties: {
    id: { type: 'string' },
    sequence: { type: 'integer' },
    type: { type: 'string', enum: LEDGER_ENTRY_TYPES },
    amount: moneySchema,
    orderId: { type: ['string', 'null'] },
    reference: { type: ['string', 'null'] },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    note: { type: ['string', 'null'] },
    actor: actorSchema,
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const satisfies JsonSchema;

function entryJson(e: LedgerEntry) {
  return {
    id: e.id,
    sequence: e.sequence,
    type: e.type,
    amount: e.amount.toJSON(),
    orderId: e.orderId,
    reference: e.reference,
    dueAt: e.dueAt?.toISOString() ?? null,
    note: e.note,
    actor: { type: e.actor.type, id: e.actor.id },
    createdAt: e.createdAt.toISOString(),
  };
}

const agingSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...AGING_BUCKETS, 'total'],
  properties: Object.fromEntries([...AGING_BUCKETS, 'total'].map((b) => [b, moneySchema])),
} as const satisfies JsonSchema;

const statementSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'retailerId',
    'asOf',
    'from',
    'to',
    'creditLimit',
    'outstanding',
    'held',
    'pendingExposure',
    'available',
    'daysPastDue',
    'overdue',
    'aging',
    'openingBalance',
    'closingBalance',
    'entries',
  ],
  properties: {
    retailerId: { type: 'string', format: 'uuid' },
    asOf: { type: 'string', format: 'date-time' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    creditLimit: moneySchema,
    outstanding: moneySchema,
    held: moneySchema,
    pendingExposure: moneySchema,
    available: moneySchema,
    daysPastDue: { type: 'integer' },
    overdue: moneySchema,
    aging: { ...agingSchema, description: 'open invoices by days past due' },
    openingBalance: moneySchema,
    closingBalance: moneySchema,
    entries: { type: 'array', items: entrySchema },
  },
} as const satisfies JsonSchema;

interface StatementQuery {
  readonly retailerId?: RetailerId;
  readonly from?: string;
  readonly to?: string;
}

export const creditStatementRoute = defineRoute<Record<string, never>, StatementQuery>({
  method: 'get',
  path: '/credit/statement',
  operationId: 'getCreditStatement',
  summary:
    "A retailer's statement for a period (default: the last 30 days up to now, at most 400 days): balances, aging " +
    'and every ledger entry in it. A retailer sees its own; staff name the retailerId.',
  tag: 'credit',
  access: ['ADMIN', 'OPERATOR', 'RETAILER'],
  query: {
    type: 'object',
    additionalProperties: false,
    properties: { retailerId: uuid, from: dateTime, to: dateTime },
  },
  responses: { 200: { description: 'the statement', schema: statementSchema }, ...COMMON_ERRORS },
  async handle({ query, principal, get }) {
    const retailerId = creditRetailer(principal, query.retailerId);
    // A moment past now (the composition's clock, as the ledger's), so an entry written in this
    // very millisecond is in the default period.
    const to = query.to ? new Date(query.to) : new Date(get(CLOCK).now().getTime() + 1);
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (!(from.getTime() < to.getTime()) || to.getTime() - from.getTime() > MAX_STATEMENT_DAYS * DAY_MS) {
      throw new ValidationError(`from must be before to, at most ${MAX_STATEMENT_DAYS} days apart`);
    }
    const s = unwrap(await get(USE_CASE_TOKENS.getCreditStatement).execute({ retailerId, from, to }));
    return {
      status: 200,
      body: {
        retailerId: s.retailerId,
        asOf: s.asOf.toISOString(),
        from: s.from.toISOString(),
        to: s.to.toISOString(),
        creditLimit: s.creditLimit.toJSON(),
        outstanding: s.outstanding.toJSON(),
        held: s.held.toJSON(),
        pendingExposure: s.pendingExposure.toJSON(),
        available: s.available.toJSON(),
        daysPastDue: s.daysPastDue,
        overdue: s.overdue.toJSON(),
        aging: Object.fromEntries(Object.entries(s.aging).map(([k, m]) => [k, m.toJSON()])),
        openingBalance: s.openingBalance.toJSON(),
        closingBalance: s.closingBalance.toJSON(),
        entries: s.entries.map(entryJson),
      },
    };
  },
});

interface PaymentBody {
  readonly retailerId: RetailerId;
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
  readonly note?: string;
}

const recordedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entry', 'duplicate', 'completedOrders'],
  properties: {
    entry: entrySchema,
    duplicate: { type: 'boolean', description: 'this reference was already recorded: nothing new was written' },
    completedOrders: { type: 'array', items: orderSchema, description: 'delivered orders this payment settled' },
  },
} as const satisfies JsonSchema;

export const recordPaymentRoute = defineRoute<Record<string, never>, Record<string, never>, PaymentBody>({
  method: 'post',
  path: '/credit/payments',
  operationId: 'recordPayment',
  auditTarget: { type: 'retailer', body: 'retailerId' },
  summary:
    "Record a retailer's payment: applied to the oldest debts first; delivered orders it pays off are COMPLETED in " +
    'the same transaction. The `reference` (bank or receipt number) makes it idempotent: the same reference ' +
    'again records nothing (`duplicate`); with another amount it is a 422. `Idempotency-Key` honoured too.',
  tag: 'credit',
  access: STAFF,
  idempotent: true,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['retailerId', 'amount', 'reference'],
    properties: {
      retailerId: uuid,
      amount: amountSchema,
      currency: currencySchema,
      reference: referenceSchema,
      note: { type: 'string', minLength: 1, maxLength: NOTE_MAX_LENGTH },
    },
  },
  responses: {
    201: {
      description: 'the payment as recorded (or as first recorded, for a repeated reference)',
      schema: recordedSchema,
    },
    ...COMMON_ERRORS,
  },
  async handle({ body, principal, get }) {
    const recorded = unwrap(
      await get(USE_CASE_TOKENS.recordPayment).execute({
        retailerId: body.retailerId,
        amount: Money.of(body.amount, body.currency),
        reference: body.reference,
        note: body.note ?? null,
        actor: actorOf(principal),
      }),
    );
    return {
      status: 201,
      body: {
        entry: entryJson(recorded.entry),
        duplicate: recorded.duplicate,
        completedOrders: recorded.completedOrders.map(orderJson),
      },
    };
  },
});

interface NoteBody {
  readonly retailerId: RetailerId;
  readonly kind: 'CREDIT_NOTE' | 'DEBIT_NOTE';
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
  readonly note: string;
}

export const creditNoteRoute = defineRoute<Record<string, never>, Record<string, never>, NoteBody>({
  method: 'post',
  path: '/credit/notes',
  operationId: 'issueCreditNote',
  auditTarget: { type: 'retailer', body: 'retailerId' },
  summary:
    'Issue a credit note (settles debts like a payment: a return, a discount) or a debit note (a charge, due at ' +
    'once). Idempotent by its `reference` (the note number), and by `Idempotency-Key`. Staff only.',
  tag: 'credit',
  access: STAFF,
  idempotent: true,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['retailerId', 'kind', 'amount', 'reference', 'note'],
    properties: {
      retailerId: uuid,
      kind: { type: 'string', enum: ['CREDIT_NOTE', 'DEBIT_NOTE'] },
      amount: { ...amountSchema, description: 'integer minor units, positive for either kind' },
      currency: currencySchema,
      reference: referenceSchema,
      note: { type: 'string', minLength: 1, maxLength: NOTE_MAX_LENGTH },
    },
  },
  responses: {
    201: {
      description: 'the adjustment as recorded',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['entry', 'duplicate'],
        properties: { entry: entrySchema, duplicate: { type: 'boolean' } },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ body, principal, get }) {
    const signed = body.kind === 'CREDIT_NOTE' ? -body.amount : body.amount;
    const recorded = unwrap(
      await get(USE_CASE_TOKENS.adjustCredit).execute({
        retailerId: body.retailerId,
        amount: Money.of(signed, body.currency),
        note: body.note,
        reference: body.reference,
        actor: actorOf(principal),
      }),
    );
    return { status: 201, body: { entry: entryJson(recorded.entry), duplicate: recorded.duplicate } };
  },
});

interface LimitBody {
  readonly retailerId: RetailerId;
  /** Minor units, or null to hand the limit back to scoring. */
  readonly limit: number | null;
  readonly currency: string;
  readonly reason?: string;
}

export const setCreditLimitRoute = defineRoute<Record<string, never>, Record<string, never>, LimitBody>({
  method: 'put',
  path: '/credit/limit',
  operationId: 'setCreditLimit',
  auditTarget: { type: 'retailer', body: 'retailerId' },
  summary:
    "Set a retailer's credit limit by hand (scoring then only recommends), with a reason; `limit: null` hands it " +
    'back to scoring. The account is locked: a concurrent order sees the old or the new limit. Staff only.',
  tag: 'credit',
  access: STAFF,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['retailerId', 'limit'],
    properties: {
      retailerId: uuid,
      limit: {
        type: ['integer', 'null'],
        minimum: 0,
        maximum: MAX_LEDGER_AMOUNT,
        description: 'integer minor units; null = scoring decides',
      },
      currency: currencySchema,
      reason: { type: 'string', minLength: 1, maxLength: REASON_MAX_LENGTH },
    },
  },
  responses: {
    200: {
      description: 'the limit now',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['retailerId', 'creditLimit', 'limitSetManually'],
        properties: { retailerId: uuid, creditLimit: moneySchema, limitSetManually: { type: 'boolean' } },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ body, principal, get }) {
    if (body.limit !== null && !body.reason) throw new ValidationError('a limit set by hand needs a reason');
    const set = unwrap(
      await get(USE_CASE_TOKENS.setCreditLimit).execute({
        retailerId: body.retailerId,
        limit: body.limit === null ? 'scoring' : Money.of(body.limit, body.currency),
        reason: body.reason ?? 'handed back to scoring',
        actor: actorOf(principal),
      }),
    );
    return {
      status: 200,
      body: {
        retailerId: body.retailerId,
        creditLimit: set.creditLimit.toJSON(),
        limitSetManually: set.limitSetManually,
      },
    };
  },
});

export const setNetTermsRoute = defineRoute<
  Record<string, never>,
  Record<string, never>,
  { retailerId: RetailerId; netTermsDays: number }
>({
  method: 'put',
  path: '/credit/terms',
  operationId: 'setNetTerms',
  auditTarget: { type: 'retailer', body: 'retailerId' },
  summary:
    "Set a retailer's net terms (days from delivery to an invoice's due date). New invoices use them; existing due " +
    'dates stay. Staff only.',
  tag: 'credit',
  access: STAFF,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['retailerId', 'netTermsDays'],
    properties: { retailerId: uuid, netTermsDays: { type: 'integer', minimum: 0, maximum: MAX_NET_TERMS_DAYS } },
  },
  responses: {
    200: {
      description: 'the terms now and before',
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['retailerId', 'netTermsDays', 'previous'],
        properties: { retailerId: uuid, netTermsDays: { type: 'integer' }, previous: { type: 'integer' } },
      },
    },
    ...COMMON_ERRORS,
  },
  async handle({ body, principal, get }) {
    const set = unwrap(
      await get(USE_CASE_TOKENS.setNetTerms).execute({
        retailerId: body.retailerId,
        days: body.netTermsDays,
        actor: actorOf(principal),
      }),
    );
    return { status: 200, body: { retailerId: body.retailerId, ...set } };
  },
});

export const CREDIT_WRITE_ROUTES: readonly AnyRoute[] = [
  creditStatementRoute,
  recordPaymentRoute,
  creditNoteRoute,
  setCreditLimitRoute,
  setNetTermsRoute,
] as AnyRoute[];
