// @khaacho/core/testing/arbitraries — fast-check generators shared by core's property
// tests and the adapters' differential tests. fast-check is an optional peer dependency:
// only this entry imports it.

export { anyAmount, badAmount, clockStep, creditLimit, ledgerAmount } from './amounts.js';
export {
  type ConcurrentPair,
  MODEL_PRODUCTS,
  UNKNOWN_FROM,
  type ModelCommand,
  type ModelLine,
  type ModelStep,
  modelCommand,
  modelStep,
  modelSteps,
} from './commands.js';
export { type CreditOperation, creditOperation } from './credit-operations.js';
