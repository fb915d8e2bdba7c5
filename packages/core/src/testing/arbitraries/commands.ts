import fc from 'fast-check';
import { anyAmount, clockStep, creditLimit } from './amounts.js';

/**
 * A use-case command in model form: parties and orders are named by an index into what
 * the run created so far, in creation order (wrapping around), so one sequence replays on
 * any world; an index of `UNKNOWN_FROM` or more, or any index while nothing exists yet,
 * names an id nobody created (an unknown id). Products are indices into the fixed
 * catalog of `MODEL_PRODUCTS` (past it: unknown).
 */
export type ModelCommand =
  | { readonly kind: 'registerRetailer'; readonly limit: number; readonly netTermsDays: number }
  | { readonly kind: 'approveRetailer'; readonly retailer: number }
  | { readonly kind: 'registerVendor'; readonly dailyCapacity: number }
  | {
      readonly kind: 'upsertOffer';
      readonly vendor: number;
      readonly product: number;
      readonly unitPrice: number;
      readonly stock: number;
    }
  | { readonly kind: 'place'; readonly retailer: number; readonly lines: readonly ModelLine[] }
  | { readonly kind: 'route' | 'dispatch' | 'deliver' | 'cancel'; readonly order: number }
  /** `vendor: -1` is the vendor the order is offered to right now (the likely-valid case). Orders may be negative: −1 is the newest. */
  | { readonly kind: 'offer' | 'accept' | 'reject'; readonly order: number; readonly vendor: number }
  | { readonly kind: 'expire' }
  | {
      readonly kind: 'pay' | 'creditNote';
      readonly retailer: number;
      readonly amount: number;
      readonly reference: number;
    }
  | { readonly kind: 'setLimit'; readonly retailer: number; readonly limit: number | 'scoring' }
  | { readonly kind: 'rescore'; readonly retailer: number }
  | { readonly kind: 'advance'; readonly ms: number };

export interface ModelLine {
  readonly product: number;
  readonly quantity: number;
}

/** Two commands issued at once (Promise.all) against the same world. */
export interface ConcurrentPair {
  readonly kind: 'concurrent';
  readonly first: ModelCommand;
  readonly second: ModelCommand;
}

export type ModelStep = ModelCommand | ConcurrentPair;

/** How many products every run's catalog holds (registered before the first step). */
export const MODEL_PRODUCTS = 3;
/** Indices from here on name nothing: the unknown-id case. */
export const UNKNOWN_FROM = 100;

const known = (max: number) => fc.nat({ max });
const unknown = () => fc.integer({ min: UNKNOWN_FROM, max: UNKNOWN_FROM + 9 });
const party = () => fc.oneof({ weight: 15, arbitrary: known(3) }, { weight: 1, arbitrary: unknown() });
// Orders lean to the newest ones (index −1 → the last created, see the interpreter) so lifecycles progress.
const order = () =>
  fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: -3, max: -1 }) },
    { weight: 5, arbitrary: known(7) },
    { weight: 1, arbitrary: unknown() },
  );
const vendorOrPending = () => fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: party() });
const reference = () => fc.nat({ max: 6 }); // small: a repeated reference is an idempotent replay
const line = (): fc.Arbitrary<ModelLine> =>
  fc.record({
    product: fc.oneof(
      { weight: 12, arbitrary: fc.nat({ max: 1 }) },
      { weight: 1, arbitrary: fc.nat({ max: MODEL_PRODUCTS }) },
    ),
    quantity: fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 1, max: 40 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -2, 1.5) },
    ),
  });

const lines = () =>
  fc.oneof(
    { weight: 15, arbitrary: fc.uniqueArray(line(), { minLength: 1, maxLength: 2, selector: (l) => l.product }) },
    { weight: 1, arbitrary: fc.array(line(), { maxLength: 3 }) }, // empty, or a product twice
  );

const kinds = <K extends string>(...k: K[]) => fc.constantFrom(...k);

/** One command, valid or not, with weights that keep orders moving through their lifecycle. */
export const modelCommand = (): fc.Arbitrary<ModelCommand> =>
  fc.oneof(
    {
      weight: 1,
      arbitrary: fc.record({
        kind: kinds('registerRetailer'),
        limit: creditLimit(),
        netTermsDays: fc.constantFrom(0, 7, 15, 30),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: kinds('approveRetailer'), retailer: party() }) },
    { weight: 1, arbitrary: fc.record({ kind: kinds('registerVendor'), dailyCapacity: fc.constantFrom(1, 3, 100) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: kinds('upsertOffer'),
        vendor: party(),
        product: fc.nat({ max: MODEL_PRODUCTS }),
        unitPrice: anyAmount(),
        stock: fc.constantFrom(0, 5, 100, 10_000),
      }),
    },
    { weight: 10, arbitrary: fc.record({ kind: kinds('place'), retailer: party(), lines: lines() }) },
    { weight: 6, arbitrary: fc.record({ kind: kinds('route'), order: order() }) },
    { weight: 6, arbitrary: fc.record({ kind: kinds('accept'), order: order(), vendor: vendorOrPending() }) },
    { weight: 5, arbitrary: fc.record({ kind: kinds('dispatch', 'deliver'), order: order() }) },
    { weight: 2, arbitrary: fc.record({ kind: kinds('cancel'), order: order() }) },
    { weight: 2, arbitrary: fc.record({ kind: kinds('offer', 'reject'), order: order(), vendor: vendorOrPending() }) },
    { weight: 1, arbitrary: fc.record({ kind: kinds('expire') }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: kinds('pay', 'creditNote'),
        retailer: party(),
        amount: anyAmount(),
        reference: reference(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: kinds('setLimit'),
        retailer: party(),
        limit: fc.oneof(creditLimit(), fc.constant('scoring' as const), fc.constant(-100)),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: kinds('rescore'), retailer: party() }) },
    { weight: 2, arbitrary: fc.record({ kind: kinds('advance'), ms: clockStep() }) },
  ) as fc.Arbitrary<ModelCommand>;

/** A command of a concurrent pair: any but a clock advance, which would move the time the other one reads mid-flight. */
const racing = () => modelCommand().filter((c) => c.kind !== 'advance');

/** A step: mostly one command, sometimes two at once. */
export const modelStep = (): fc.Arbitrary<ModelStep> =>
  fc.oneof(
    { weight: 12, arbitrary: modelCommand() },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('concurrent' as const), first: racing(), second: racing() }),
    },
  );

/** A run: it always starts by registering two retailers and a vendor, then anything goes. */
export const modelSteps = (maxLength = 40): fc.Arbitrary<ModelStep[]> =>
  fc.array(modelStep(), { minLength: 1, maxLength, size: 'max' }).map((steps) => [...OPENING, ...steps]);

const OPENING: readonly ModelStep[] = [
  { kind: 'registerRetailer', limit: 500_000, netTermsDays: 15 },
  { kind: 'approveRetailer', retailer: 0 },
  { kind: 'registerRetailer', limit: 100_000, netTermsDays: 0 },
  { kind: 'approveRetailer', retailer: 1 },
  { kind: 'registerVendor', dailyCapacity: 100 },
  { kind: 'upsertOffer', vendor: 0, product: 0, unitPrice: 1_500, stock: 10_000 },
  { kind: 'upsertOffer', vendor: 0, product: 1, unitPrice: 4_000, stock: 100 },
];
