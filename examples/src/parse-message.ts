// A shop's WhatsApp message, understood against a catalog, turned into order lines.
// A line the parser is unsure of is never ordered: it asks the shop instead.
import { LocalOrderTextParser, type OrderLineRequest } from '@khaacho/core';
import { nepaliCatalog } from '@khaacho/core/corpus';

const parser = new LocalOrderTextParser(nepaliCatalog());
const message = 'namaste dai\n2 carton wai wai\n5 kg chini\nek packet biscuit';
const parsed = await parser.parse(message);

const lines: OrderLineRequest[] = [];
for (const line of parsed.lines) {
  if (line.needsClarification) {
    const options = line.suggestions.map((s) => s.name).join(' / ');
    console.log(`ask: "${line.raw}" (${line.clarification})${options ? `: ${options}?` : ''}`);
    continue;
  }
  // An understood line is an OrderLineRequest as it stands.
  lines.push({ productId: line.productId, quantity: line.quantity, unit: line.unit });
  console.log(`order: ${line.quantity} ${line.unit ?? '(base unit)'} of ${line.mention}`);
}
console.log(`intent ${parsed.intent}; ${lines.length} line(s) ready for PlaceOrder`);
