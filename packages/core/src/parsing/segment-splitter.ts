import { numberWord } from './number-words.js';

const DIGIT = '[\\d\\u0966-\\u096F]';
const LIST_NUMBER = new RegExp(`^\\(?${DIGIT}{1,2}(?:[.)]\\s+|\\)\\s*|\\.(?=\\p{L})|-\\s+(?=\\p{L}))`, 'u');
const LEADING_SYMBOLS = /^[^\p{L}\p{N}]+/u;
const TRAILING_SYMBOLS = /[^\p{L}\p{N}\p{M}.]+$/u;
const THOUSANDS = new RegExp(`(${DIGIT}),(${DIGIT}{3})(?!${DIGIT})`, 'g');
const ITEM_SEPARATORS = /[,;|]|\s\+\s|\s&\s|\s\/\s/;
const CONJUNCTION = /(\s(?:and|ra|र|n|plus|aani|ani)\s)/i;
const HAS_DIGIT = new RegExp(DIGIT);

function mentionsNumber(text: string): boolean {
  return HAS_DIGIT.test(text) || text.split(/\s+/).some((w) => numberWord(w.toLowerCase()) !== undefined);
}

/**
 * "2 kg sugar and 5 kg salt" and "chamal 2 bora ra dal" are two items, "salt and pepper
 * 5 packet" is one: split only where the part before the conjunction has its quantity.
 */
function splitConjunctions(piece: string): string[] {
  const [first = '', ...rest] = piece.split(CONJUNCTION);
  const out: string[] = [];
  let current = first;
  for (let k = 0; k + 1 < rest.length; k += 2) {
    const [conjunction = '', next = ''] = [rest[k], rest[k + 1]];
    if (mentionsNumber(current)) {
      out.push(current);
      current = next;
    } else {
      current += conjunction + next;
    }
  }
  out.push(current);
  return out;
}

function stripListMarker(line: string): string {
  return line.trim().replace(LIST_NUMBER, '').replace(LEADING_SYMBOLS, '').replace(TRAILING_SYMBOLS, '').trim();
}

/**
 * A message → the pieces that may each be one item: one per line, with list numbers
 * ("1. ", "2) ") and bullets ("- ", "•") removed, and lines split on commas,
 * semicolons and "and" between two quantities. Pieces keep the sender's own spelling.
 */
export function splitSegments(text: string): string[] {
  const out: string[] = [];
  for (const line of text
    .normalize('NFC')
    .replace(THOUSANDS, '$1$2')
    .split(/\r?\n|।|॥/)) {
    for (const piece of line.split(ITEM_SEPARATORS)) {
      for (const part of splitConjunctions(piece)) {
        const cleaned = stripListMarker(part);
        if (cleaned.length > 0) out.push(cleaned);
      }
    }
  }
  return out;
}
