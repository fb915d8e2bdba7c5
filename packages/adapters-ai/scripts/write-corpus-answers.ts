// Writes src/testing/corpus-answers.json: one Chat Completions answer for each corpus message
// the AI parser sends to the provider (a line the local parser could not settle, or an intent
// it could not tell), for the corpus test to replay through nock.
//
// These answers are AUTHORED, not captured from the live API (the build machines have no
// network access to it). They are shaped like the documented `chat.completion` object and
// mimic what a chat model does with this prompt, including its usual faults, so the test
// measures what the adapter lets through:
//   - intents: the message's evident intent, with two plausible mistakes ("kal bhetaula" as a
//     greeting, a bare "1234" as an order number to look up);
//   - open lines, in turn: a candidate marked uncertain; an over-eager sure pick quoting the
//     line itself; a sure pick of a product that does not exist; no product at all. A line
//     the corpus expects ordered gets its product, quoting the line.
// Re-run after the local parser changes which messages it settles alone:
//   npx tsx scripts/write-corpus-answers.ts
import { writeFileSync } from 'node:fs';
import { LocalOrderTextParser, type MessageIntent } from '@khaacho/core';
import { contextFor, loadCorpus, nepaliCatalog } from '@khaacho/core/corpus';
import { openLines } from '../src/grounding.js';
import type { AnswerLine, OrderAnswer } from '../src/order-answer.js';
import { chatCompletion } from '../src/testing/openai-fixtures.js';

const INTENT: Readonly<Record<string, { intent: MessageIntent; orderNumber: string | null }>> = {
  m295: { intent: 'greeting', orderNumber: null },
  m389: { intent: 'help', orderNumber: null },
  m533: { intent: 'status', orderNumber: null },
  m535: { intent: 'status', orderNumber: null },
  m540: { intent: 'status', orderNumber: '1234' },
};

const catalog = nepaliCatalog();
const skuOf = new Map(catalog.map((p) => [p.id as string, p.sku]));
const local = new LocalOrderTextParser(catalog);
const answers: { id: string; text: string; completion: unknown }[] = [];
let k = 0;
for (const message of await loadCorpus()) {
  const parsed = local.parseSync(message.text, contextFor(message, catalog));
  const open = openLines(parsed);
  if (open.length === 0 && parsed.intent !== 'unknown') continue;
  const settled = new Set(
    parsed.lines.flatMap((l) => (l.needsClarification || !l.productId ? [] : [skuOf.get(l.productId)])),
  );
  const wanted = message.lines.filter((l) => !settled.has(l.sku));
  const lines = open.map((i): AnswerLine => {
    const line = parsed.lines[i];
    if (!line) throw new Error(`${message.id}: no line ${i}`);
    const base = { line: i, quantity: line.quantity, unit: line.unit };
    const expected = wanted.find((w) => line.suggestions.some((s) => s.sku === w.sku) && w.quantity === line.quantity);
    if (expected) return { ...base, sku: expected.sku, certain: true, evidence: line.raw };
    const first = line.suggestions[0]?.sku ?? null;
    switch (k++ % 4) {
      case 0:
        return { ...base, sku: first, certain: false, evidence: line.mention };
      case 1:
        return { ...base, sku: first, certain: true, evidence: line.raw };
      case 2:
        return {
          ...base,
          sku: `${line.mention.toUpperCase().replace(/\s+/g, '-')}-PREMIUM`,
          certain: true,
          evidence: line.raw,
        };
      default:
        return { ...base, sku: null, certain: false, evidence: '' };
    }
  });
  const answer: OrderAnswer = {
    ...(INTENT[message.id] ?? { intent: parsed.intent === 'unknown' ? message.intent : 'order', orderNumber: null }),
    lines,
  };
  answers.push({ id: message.id, text: message.text, completion: chatCompletion(answer) });
}
const out = new URL('../src/testing/corpus-answers.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(answers, null, 1)}\n`);
console.log(`${answers.length} answers written to ${out.pathname}`);
