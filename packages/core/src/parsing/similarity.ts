/** Edit distance (insert, delete, substitute), two rows of memory. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let curr = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      curr[j] = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length] ?? 0;
}

/** 0..1 from the edit distance relative to the longer string. */
export function editSimilarity(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - levenshtein(a, b) / max;
}

/** Character trigrams of a word, padded so that short words ("tel", "nun") still have some. */
export function trigrams(word: string): string[] {
  const padded = `  ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

/**
 * How alike two words are, 0..1. Prefixes count ("bisk" for "biscuit") because
 * shop owners abbreviate; anything under 0.5 is noise and scores 0.
 */
export function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  let s = editSimilarity(a, b);
  const short = Math.min(a.length, b.length);
  const long = Math.max(a.length, b.length);
  if (short >= 3 && (a.startsWith(b) || b.startsWith(a))) s = Math.max(s, 0.6 + (0.4 * short) / long);
  // A shared start weighs more than a slip later on ("colget"), as in Jaro-Winkler; only for
  // longer, already close words, so "chana" never climbs towards "chamal".
  if (short >= 6 && s >= 0.7) {
    let prefix = 0;
    while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
    s += prefix * 0.1 * (1 - s);
  }
  return s < 0.5 ? 0 : s;
}
