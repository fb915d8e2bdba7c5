// Test data for this package's own integration tests: core's builders, re-exported in one place.
import type { DomainEvent } from '@khaacho/core';

export { aCreditAccount, anOrder, aProduct, aRetailer, aVendor, caseTools } from '@khaacho/core/testing';
export type DomainEventLike = DomainEvent;
