import type { CorpusReport, CorpusScore } from './evaluation.js';
import type { ExpectedLine } from './messages.js';

const pct = (n: number): string => n.toFixed(3);
const line = (l: ExpectedLine): string => `${l.sku} ${l.quantity} ${l.unit ?? '(base)'}`;

function row(name: string, s: CorpusScore): string {
  return [
    name.padEnd(18),
    String(s.messages).padStart(4),
    String(s.truePositives).padStart(4),
    String(s.falsePositives).padStart(4),
    String(s.falseNegatives).padStart(4),
    pct(s.precision).padStart(6),
    pct(s.recall).padStart(6),
    pct(s.f1).padStart(6),
    pct(s.intentAccuracy).padStart(7),
    pct(s.clarificationAccuracy).padStart(7),
  ].join(' ');
}

/** A plain-text report: totals, one row per category, then every message that missed. */
export function formatCorpusReport(report: CorpusReport): string {
  const o = report.overall;
  const out = [
    `messages ${o.messages}`,
    `line precision ${pct(o.precision)}  recall ${pct(o.recall)}  F1 ${pct(o.f1)}  (tp ${o.truePositives}, fp ${o.falsePositives}, fn ${o.falseNegatives})`,
    `intent accuracy ${pct(o.intentAccuracy)}  clarification accuracy ${pct(o.clarificationAccuracy)}`,
    '',
    `${'category'.padEnd(18)} msgs   tp   fp   fn   prec    rec     f1  intent clarify`,
    ...[...report.byCategory].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => row(name, s)),
    '',
    ...[...report.byBatch].sort(([a], [b]) => a - b).map(([n, s]) => row(`batch ${n}`, s)),
    '',
    `misses (${report.misses.length})`,
  ];
  for (const m of report.misses) {
    out.push(`- ${m.message.id} [${m.message.category}] ${JSON.stringify(m.message.text)}`);
    if (m.intent !== m.message.intent) out.push(`    intent: expected ${m.message.intent}, got ${m.intent}`);
    for (const l of m.missing) out.push(`    missing:  ${line(l)}`);
    for (const l of m.spurious) out.push(`    spurious: ${line(l)}`);
    if (m.clarify !== m.message.clarify) out.push(`    clarify: expected ${m.message.clarify}, got ${m.clarify}`);
  }
  return out.join('\n');
}
