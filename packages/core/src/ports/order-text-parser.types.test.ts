// Compile-time tests: `npm run lint` type-checks this file; each `@ts-expect-error` line
// must fail to compile, or the check itself fails ("unused @ts-expect-error").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { OrderLineRequest } from '../application/order-pricing.js';
import type { ProductId } from '../shared/ids.js';
import type { ParsedOrderLine } from './order-text-parser.js';

/** Issue 9: the obvious mapping from a parsed line to an order line compiles once the line is understood. */
function toRequests(lines: readonly ParsedOrderLine[]): OrderLineRequest[] {
  const requests: OrderLineRequest[] = [];
  for (const line of lines) {
    if (line.needsClarification) continue;
    requests.push({ productId: line.productId, quantity: line.quantity, unit: line.unit });
  }
  return requests;
}

function unclearMapping(line: ParsedOrderLine): OrderLineRequest {
  // @ts-expect-error a line that still needs clarification may have no product: never ordered on a guess
  return { productId: line.productId, quantity: line.quantity, unit: line.unit };
}
void unclearMapping;

test('a parsed line without a unit becomes a request for the base unit', () => {
  const line: ParsedOrderLine = {
    raw: '2 wai wai',
    mention: 'wai wai',
    quantity: 2,
    unit: null,
    productId: '01900000-0000-7000-8000-000000000001' as ProductId,
    confidence: 0.9,
    needsClarification: false,
    clarification: null,
    resolvedBy: 'match',
    suggestions: [],
  };
  assert.equal(toRequests([line]), [{ productId: line.productId, quantity: 2, unit: null }]);
});

test.run();
