/**
 * Domain errors carry a stable `code` (part of the public contract: app-http maps
 * codes/kinds to HTTP statuses, clients branch on them) and one brand per class, checked
 * by each class's static `is()`. Brands come from the global symbol registry, so a class
 * is recognised across package copies where `instanceof` fails.
 */
const BRAND: unique symbol = Symbol.for('@khaacho/core/DomainError');

const brandOf = (className: string): symbol => Symbol.for(`@khaacho/core/${className}`);
const VALIDATION = brandOf('ValidationError');
const NOT_FOUND = brandOf('NotFoundError');
const CONFLICT = brandOf('ConflictError');
const CONCURRENCY = brandOf('ConcurrencyError');
const ILLEGAL_STATE = brandOf('IllegalStateError');
const UNAVAILABLE = brandOf('UnavailableError');
const INVARIANT = brandOf('InvariantError');
const AUTHENTICATION = brandOf('AuthenticationError');

/* A class's brand is set by its constructor, so subclasses (even ones defined outside core)
 * carry the brands of all their ancestors and each `is` accepts exactly its own subtree. */
function stamp(error: DomainError, brand: symbol): void {
  Object.defineProperty(error, brand, { value: true });
}

/** The brand tells the classes apart (ConflictError and ConcurrencyError share a kind); the kind must agree too. */
function carries(value: unknown, brand: symbol, kind: ErrorKind): boolean {
  return DomainError.is(value) && value.kind === kind && (value as unknown as Record<symbol, unknown>)[brand] === true;
}

/** How an error should be treated by callers, independent of its exact code. */
export type ErrorKind =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'illegal_state'
  | 'forbidden'
  /** The caller is not (or no longer) authenticated: no, bad, expired or revoked credentials (HTTP 401). */
  | 'unauthenticated'
  | 'unavailable'
  | 'invariant';

export const ErrorCodes = {
  VALIDATION: 'VALIDATION.INVALID',
  MONEY_CURRENCY_MISMATCH: 'MONEY.CURRENCY_MISMATCH',
  MONEY_OVERFLOW: 'MONEY.OVERFLOW',
  QUANTITY_UNIT_MISMATCH: 'QUANTITY.UNIT_MISMATCH',
  NOT_FOUND: 'ENTITY.NOT_FOUND',
  CONFLICT: 'ENTITY.CONFLICT',
  CONCURRENT_MODIFICATION: 'ENTITY.CONCURRENT_MODIFICATION',
  // One code per storage condition, raised alike by the in-memory and the real adapters.
  /** A unique key already holds this value (pg 23505). */
  DUPLICATE: 'ENTITY.DUPLICATE',
  /** A referenced row does not exist (pg 23503). */
  REFERENCE_MISSING: 'ENTITY.REFERENCE_MISSING',
  /** A required value is missing (pg 23502). */
  REQUIRED_VALUE_MISSING: 'VALIDATION.REQUIRED_VALUE_MISSING',
  /** A value breaks a rule the store enforces (pg 23514, 22xxx data exceptions). */
  CONSTRAINT_VIOLATED: 'VALIDATION.CONSTRAINT_VIOLATED',
  /** A lock was not granted within the lock timeout (pg 55P03). */
  LOCK_TIMEOUT: 'STORAGE.LOCK_TIMEOUT',
  /** A statement was cancelled: statement timeout or an operator's cancel (pg 57014). */
  QUERY_CANCELLED: 'STORAGE.QUERY_CANCELLED',
  /** Serialization failure that outlived its retries (pg 40001). */
  SERIALIZATION_FAILURE: 'STORAGE.SERIALIZATION_FAILURE',
  /** Deadlock that outlived its retries (pg 40P01). */
  DEADLOCK: 'STORAGE.DEADLOCK',
  /** The connection to the store was lost or could not be made (pg 08xxx, 57P0x, network). */
  CONNECTION_LOST: 'STORAGE.CONNECTION_LOST',
  /** No pooled connection became free within the acquire timeout. */
  POOL_EXHAUSTED: 'STORAGE.POOL_EXHAUSTED',
  /** The database named in the connection settings does not exist (pg 3D000). */
  DATABASE_MISSING: 'STORAGE.DATABASE_MISSING',
  /**
   * The store failed with a condition no adapter maps (e.g. pg 54000 program limit, 42xxx,
   * XX000): a fault on our side, kind `invariant` because retrying the same call cannot help.
   * details carry only the store's own code (`sqlState`), never its text.
   */
  STORAGE_UNEXPECTED: 'STORAGE.UNEXPECTED',
  /** The schema is behind the code: run the pending migrations. */
  MIGRATIONS_PENDING: 'STORAGE.MIGRATIONS_PENDING',
  // Command and value validation: one code per case, so callers can branch without parsing messages.
  /** An id that is not a UUID (never sent to the store). */
  INVALID_ID: 'VALIDATION.INVALID_ID',
  /** A command whose shape is wrong: a field missing or of the wrong type. */
  INVALID_COMMAND: 'VALIDATION.INVALID_COMMAND',
  UNKNOWN_UNIT: 'VALIDATION.UNKNOWN_UNIT',
  UNKNOWN_ORDER_SOURCE: 'VALIDATION.UNKNOWN_ORDER_SOURCE',
  UNKNOWN_ACTOR_TYPE: 'VALIDATION.UNKNOWN_ACTOR_TYPE',
  NO_LINES: 'VALIDATION.NO_LINES',
  TOO_MANY_LINES: 'VALIDATION.TOO_MANY_LINES',
  INVALID_QUANTITY: 'VALIDATION.INVALID_QUANTITY',
  /** More decimals than the store holds (it would round them away silently). */
  TOO_MANY_DECIMALS: 'VALIDATION.TOO_MANY_DECIMALS',
  /** A number beyond what the store holds. */
  OUT_OF_RANGE: 'VALIDATION.OUT_OF_RANGE',
  INVALID_COORDINATES: 'VALIDATION.INVALID_COORDINATES',
  TEXT_REQUIRED: 'VALIDATION.TEXT_REQUIRED',
  TEXT_TOO_LONG: 'VALIDATION.TEXT_TOO_LONG',
  /** Control characters or lone UTF-16 surrogates (which the store would turn into U+FFFD). */
  INVALID_CHARACTERS: 'VALIDATION.INVALID_CHARACTERS',
  INVALID_SKU: 'VALIDATION.INVALID_SKU',
  /** A phone number that does not parse as E.164 (or a valid Nepal number), or is far too long. */
  INVALID_PHONE: 'VALIDATION.INVALID_PHONE',
  ORDER_ILLEGAL_TRANSITION: 'ORDER.ILLEGAL_TRANSITION',
  ORDER_ROUTING_EXHAUSTED: 'ORDER.ROUTING_EXHAUSTED',
  ORDER_NO_PENDING_OFFER: 'ORDER.NO_PENDING_OFFER',
  ORDER_OFFER_MISMATCH: 'ORDER.OFFER_VENDOR_MISMATCH',
  ORDER_OFFER_PENDING: 'ORDER.OFFER_ALREADY_PENDING',
  ORDER_VENDOR_ALREADY_TRIED: 'ORDER.VENDOR_ALREADY_TRIED',
  /** Lines that cannot be ordered as asked (unknown product, unit not sold, not offered in the area); details.problems. */
  ORDER_INVALID_LINES: 'ORDER.INVALID_LINES',
  /** Only a delivered (or completed) order can be rated. */
  ORDER_NOT_DELIVERED: 'ORDER.NOT_DELIVERED',
  /** The vendor's delivery code is not the shop's; details.attemptsLeft before a dispute. */
  DELIVERY_WRONG_CODE: 'DELIVERY.WRONG_CODE',
  /** The delivery waits for an operator (no code, too many wrong codes, or the shop says not received). */
  DELIVERY_DISPUTED: 'DELIVERY.DISPUTED',
  /** Resolving a delivery that is not in dispute. */
  DELIVERY_NOT_DISPUTED: 'DELIVERY.NOT_DISPUTED',
  /** The delivery is already settled (confirmed or resolved): nothing more can be said about it. */
  DELIVERY_SETTLED: 'DELIVERY.SETTLED',
  /** A vendor's message is not a price or stock update of one of its offers (details.reason). */
  OFFER_UPDATE_UNREADABLE: 'OFFER.UPDATE_UNREADABLE',
  CREDIT_LIMIT_EXCEEDED: 'CREDIT.LIMIT_EXCEEDED',
  CREDIT_DUPLICATE_ENTRY: 'CREDIT.DUPLICATE_ENTRY',
  CREDIT_NO_HOLD: 'CREDIT.NO_HOLD',
  PARTY_INACTIVE: 'PARTY.INACTIVE',
  /** A draft past its expiry: draft the message again. */
  DRAFT_EXPIRED: 'DRAFT.EXPIRED',
  /** The message holds no line that can be priced and ordered (details.intent, details.questions). */
  DRAFT_NOTHING_TO_ORDER: 'DRAFT.NOTHING_TO_ORDER',
  /** A reduced draft whose held order is no longer held (an operator decided meanwhile). */
  DRAFT_STALE: 'DRAFT.STALE',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY.KEY_REUSED',
  IDEMPOTENCY_IN_PROGRESS: 'IDEMPOTENCY.IN_PROGRESS',
  UNAVAILABLE: 'DEPENDENCY.UNAVAILABLE',
  /** The job queue cannot take or give work: its server is unreachable, or the queue was closed. */
  QUEUE_UNAVAILABLE: 'QUEUE.UNAVAILABLE',
  FORBIDDEN: 'ACCESS.FORBIDDEN',
  /** Unknown identifier or wrong password: the two are never told apart. */
  AUTH_INVALID_CREDENTIALS: 'AUTH.INVALID_CREDENTIALS',
  /** Too many failed logins for this identifier or address: details.retryAfterMs. */
  AUTH_LOCKED: 'AUTH.LOCKED',
  /** Right password, but the account is pending approval, rejected or disabled (details.status). */
  AUTH_ACCOUNT_NOT_ACTIVE: 'AUTH.ACCOUNT_NOT_ACTIVE',
  /** A refresh or access token that is unknown, revoked, reused, forged, or names an account no longer ACTIVE (refresh tokens: also expired; details.reason). */
  AUTH_TOKEN_INVALID: 'AUTH.TOKEN_INVALID',
  /** An access token past its `exp`: the client refreshes. */
  AUTH_TOKEN_EXPIRED: 'AUTH.TOKEN_EXPIRED',
  /** A request without credentials where they are required. */
  AUTH_UNAUTHENTICATED: 'AUTH.UNAUTHENTICATED',
  /** This account logs in with a TOTP code too (staff always): send `totpCode`. */
  AUTH_TOTP_REQUIRED: 'AUTH.TOTP_REQUIRED',
  /** Staff must enrol a TOTP app before their first login: /auth/totp/enrol, then /auth/totp/confirm. */
  AUTH_TOTP_ENROLMENT_REQUIRED: 'AUTH.TOTP_ENROLMENT_REQUIRED',
  /** A TOTP code that is wrong, out of its time window, or already used. */
  AUTH_TOTP_INVALID: 'AUTH.TOTP_INVALID',
  /** Enrolling again, or confirming with nothing to confirm (details.state). */
  AUTH_TOTP_STATE: 'AUTH.TOTP_STATE',
  /** Approving or rejecting an account that is not pending approval (details.status). */
  AUTH_ACCOUNT_NOT_PENDING: 'AUTH.ACCOUNT_NOT_PENDING',
  /** Approving or rejecting an onboarding request already decided the other way (details.status). */
  ONBOARDING_DECIDED: 'ONBOARDING.DECIDED',
  /**
   * The phone belongs to a party of the other kind (a retailer's number for a vendor, or back):
   * a chat cannot tell which of two parties speaks, so a number is one party's (details.takenBy).
   */
  PARTY_PHONE_TAKEN: 'PARTY.PHONE_TAKEN',
  /** A password outside the policy (length); details.minLength / maxLength. */
  AUTH_WEAK_PASSWORD: 'AUTH.WEAK_PASSWORD',
  INVARIANT: 'INTERNAL.INVARIANT_VIOLATED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export type ErrorDetails = Readonly<Record<string, unknown>>;

export class DomainError extends Error {
  readonly [BRAND] = true as const;
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails;

  constructor(kind: ErrorKind, code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }

  /** True for every domain error. Subclasses' `is` accept only their own class (and its subclasses). */
  static is(value: unknown): value is DomainError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  static hasCode(value: unknown, code: ErrorCode): value is DomainError {
    return DomainError.is(value) && value.code === code;
  }

  toJSON(): { code: ErrorCode; kind: ErrorKind; message: string; details: ErrorDetails } {
    return { code: this.code, kind: this.kind, message: this.message, details: this.details };
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code: ErrorCode = ErrorCodes.VALIDATION) {
    super('validation', code, message, details);
    this.name = 'ValidationError';
    stamp(this, VALIDATION);
  }

  static override is(value: unknown): value is ValidationError {
    return carries(value, VALIDATION, 'validation');
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('not_found', ErrorCodes.NOT_FOUND, `${entity} ${id} not found`, { entity, id });
    this.name = 'NotFoundError';
    stamp(this, NOT_FOUND);
  }

  static override is(value: unknown): value is NotFoundError {
    return carries(value, NOT_FOUND, 'not_found');
  }
}

/** A uniqueness or idempotency conflict (adapters translate e.g. pg 23505 into this). */
export class ConflictError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code: ErrorCode = ErrorCodes.CONFLICT) {
    super('conflict', code, message, details);
    this.name = 'ConflictError';
    stamp(this, CONFLICT);
  }

  static override is(value: unknown): value is ConflictError {
    return carries(value, CONFLICT, 'conflict');
  }
}

/** Optimistic-lock failure or a serialization failure that outlived its retries. */
export class ConcurrencyError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code: ErrorCode = ErrorCodes.CONCURRENT_MODIFICATION) {
    super('conflict', code, message, details);
    this.name = 'ConcurrencyError';
    stamp(this, CONCURRENCY);
  }

  static override is(value: unknown): value is ConcurrencyError {
    return carries(value, CONCURRENCY, 'conflict');
  }
}

export class IllegalStateError extends DomainError {
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super('illegal_state', code, message, details);
    this.name = 'IllegalStateError';
    stamp(this, ILLEGAL_STATE);
  }

  static override is(value: unknown): value is IllegalStateError {
    return carries(value, ILLEGAL_STATE, 'illegal_state');
  }
}

/** A dependency (database, queue, provider) is down; callers may retry later. */
export class UnavailableError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code: ErrorCode = ErrorCodes.UNAVAILABLE) {
    super('unavailable', code, message, details);
    this.name = 'UnavailableError';
    stamp(this, UNAVAILABLE);
  }

  static override is(value: unknown): value is UnavailableError {
    return carries(value, UNAVAILABLE, 'unavailable');
  }
}

export class InvariantError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('invariant', ErrorCodes.INVARIANT, message, details);
    this.name = 'InvariantError';
    stamp(this, INVARIANT);
  }

  static override is(value: unknown): value is InvariantError {
    return carries(value, INVARIANT, 'invariant');
  }
}

/** Credentials missing, wrong, expired or revoked: app-http answers 401. */
export class AuthenticationError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}, code: ErrorCode = ErrorCodes.AUTH_UNAUTHENTICATED) {
    super('unauthenticated', code, message, details);
    this.name = 'AuthenticationError';
    stamp(this, AUTHENTICATION);
  }

  static override is(value: unknown): value is AuthenticationError {
    return carries(value, AUTHENTICATION, 'unauthenticated');
  }
}

export function invariant(condition: unknown, message: string, details: ErrorDetails = {}): asserts condition {
  if (!condition) throw new InvariantError(message, details);
}
