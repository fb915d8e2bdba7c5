import type { Product } from '../catalog/product.js';
import type { CatalogIndex } from './catalog-index.js';
import { isFiller } from './filler-words.js';
import { magnitudeWord, numberWord, numeral } from './number-words.js';
import { hasOcrDigit, normalizeText, ocrVariants } from './text-normalize.js';
import { type UnitWord, unitWord } from './unit-words.js';

export type Token =
  | {
      readonly kind: 'num';
      readonly text: string;
      readonly value: number;
      /** The number was written so that its value is in doubt ("-5", "5/6", "1.000", "2 or 3"). */
      readonly doubtful?: boolean;
    }
  | { readonly kind: 'unit'; readonly text: string; readonly unit: UnitWord }
  | { readonly kind: 'x'; readonly text: string }
  | { readonly kind: 'sku'; readonly text: string; readonly product: Product }
  | { readonly kind: 'word'; readonly text: string; readonly filler: boolean };

const SEPARATORS = /[\s,;:()[\]{}"'!?|=<>#@~`]+/;
const EDGE_PUNCT = /^[-_./*+]+|[-_./*+]+$/g;

/**
 * "5/6", "1.000" (one or a thousand?): a numeral a wholesaler does not sell in without a
 * question. "0.500" and "1.5" are plain decimals.
 */
const DOUBTFUL_NUMERAL = /^(?:\d+\/\d+|[1-9]\d{0,2}\.\d{3})$/;

function numToken(text: string, value: number, doubtful = DOUBTFUL_NUMERAL.test(text)): Token {
  return doubtful ? { kind: 'num', text, value, doubtful } : { kind: 'num', text, value };
}

/** Words between two numbers that offer a choice: "2 or 3 kg" is neither 2 nor 3 for sure. */
const ALTERNATIVE = new Set(['or', 'wa', 'athawa', 'athaba', 'वा', 'या', 'अथवा']);

function word(text: string): Token {
  const unit = unitWord(text);
  if (unit !== undefined) return { kind: 'unit', text, unit };
  if (text === 'x') return { kind: 'x', text };
  return { kind: 'word', text, filler: isFiller(text) };
}

/** Reads a digit-bearing word as OCR noise ("0il", "5ugar") when that spelling is a catalog word. */
function ocrWord(text: string, index: CatalogIndex): string | undefined {
  if (!hasOcrDigit(text)) return undefined;
  return ocrVariants(text).find((v) => index.knowsWord(v));
}

/** "10kg", "2bora", "x10", "r1ce", "5ugar": split a number off, or read it as a letter. */
function classifyMixed(piece: string, index: CatalogIndex): Token[] {
  const numFirst = /^(\d+(?:\.\d+)?)(\D+)$/.exec(piece);
  const numLast = /^(\D+?)(\d+(?:\.\d+)?)$/.exec(piece);
  const [num, letters] = numFirst ? [numFirst[1], numFirst[2]] : numLast ? [numLast[2], numLast[1]] : [];
  if (num !== undefined && letters !== undefined) {
    const rest = word(letters);
    // "5ugar": a lone look-alike digit glued to a non-word that becomes a catalog word when read as a letter.
    const lone = num.length === 1 && rest.kind === 'word' && !index.hasWord(letters);
    const asLetters = lone ? ocrWord(piece, index) : undefined;
    if (asLetters !== undefined) return [word(asLetters)];
    const n = numToken(num, Number(num));
    return numFirst ? [n, rest] : [rest, n];
  }
  return [word(ocrWord(piece, index) ?? ocrVariants(piece)[0] ?? piece)];
}

function classify(piece: string, index: CatalogIndex): Token[] {
  // A SKU that is a plain word ("SUGAR") is matched like any name; only code-like ones are taken as-is.
  const sku = /[^\p{L}]/u.test(piece) ? index.productBySku(piece) : undefined;
  if (sku) return [{ kind: 'sku', text: piece, product: sku }];
  const value = numeral(piece);
  if (value !== undefined) return [numToken(piece, value)];
  // "1O", "2o": the letter O typed or scanned for a zero.
  if (/^[\do]+$/.test(piece) && /\d/.test(piece)) return classify(piece.replace(/o/g, '0'), index);
  if (/[-_/]/.test(piece)) {
    return piece
      .split(/[-_/]+/)
      .filter((p) => p.length > 0)
      .flatMap((p) => classify(p, index));
  }
  if (/\d/.test(piece) && /\p{L}/u.test(piece)) return classifyMixed(piece, index);
  return [word(piece)];
}

/**
 * Number words ("dui", "ek", "पाँच") count only when the piece has no digits and the
 * word sits where a quantity sits: before a unit, or first or last.
 */
function readNumberWords(tokens: Token[]): Token[] {
  if (tokens.some((t) => t.kind === 'num')) return tokens;
  const meaningful = tokens.filter((t) => !(t.kind === 'word' && t.filler));
  const first = meaningful[0];
  const last = meaningful[meaningful.length - 1];
  return tokens.map((t, i) => {
    const next = tokens[i + 1];
    // "tin bora chiura": "tin" is three here, not a tin.
    if (t.kind === 'unit' && t.unit === 'other' && next?.kind === 'unit') {
      const value = numberWord(t.text);
      return value === undefined ? t : numToken(t.text, value, false);
    }
    if (t.kind !== 'word') return t;
    const value = numberWord(t.text);
    if (value === undefined) return t;
    if (next?.kind === 'unit' || t === first || (t === last && meaningful.length > 1)) {
      return numToken(t.text, value, false);
    }
    return t;
  });
}

/**
 * "5 hundred", "paanch saya", "2 hajar": the pair is one number. Left apart, the number was
 * taken alone and the magnitude dropped (or read as a product word), placing 5 for 500.
 */
function joinMagnitudes(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const factor = t.kind === 'num' || t.kind === 'x' ? undefined : magnitudeWord(t.text);
    const prev = out[out.length - 1];
    const base = prev === undefined ? undefined : prev.kind === 'num' ? prev.value : numberWordOf(prev);
    if (factor !== undefined && prev !== undefined && base !== undefined) {
      const doubtful = prev.kind === 'num' && prev.doubtful === true;
      out[out.length - 1] = numToken(`${prev.text} ${t.text}`, base * factor, doubtful);
    } else {
      out.push(t);
    }
  }
  return out;
}

function numberWordOf(t: Token): number | undefined {
  return t.kind === 'word' || (t.kind === 'unit' && t.unit === 'other') ? numberWord(t.text) : undefined;
}

/** "2 or 3": one number in doubt, so the line asks instead of placing the first. */
function joinAlternatives(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const mid = tokens[i + 1];
    const other = tokens[i + 2];
    if (t.kind === 'num' && mid?.kind === 'word' && ALTERNATIVE.has(mid.text) && other?.kind === 'num') {
      out.push(numToken(`${t.text} ${mid.text} ${other.text}`, t.value, true));
      i += 2;
    } else {
      out.push(t);
    }
  }
  return out;
}

/** A minus glued to a number ("-5 kg"): not a quantity anyone orders, so it is never read as 5. */
function signed(piece: string, tokens: Token[]): Token[] {
  if (!/^[-\u2212\u2013]+\d/u.test(piece)) return tokens;
  return tokens.map((t, i) => (i === 0 && t.kind === 'num' ? numToken(t.text, t.value, true) : t));
}

/** One item piece of a message → classified tokens. */
export function tokenize(segment: string, index: CatalogIndex): Token[] {
  const text = normalizeText(segment)
    // A price said along ("@ 2400", "rs 2400", "रु 2400") is not a quantity.
    .replace(/(?:@|\brs\.?|रु\.?)\s*\d[\d,.]*(?:\s*\/-)?/gu, ' ')
    .replace(/(\d)\s*\*\s*/g, '$1 x ')
    .replace(/\*\s*(\d)/g, ' x $1');
  const tokens = text.split(SEPARATORS).flatMap((raw) => {
    const p = raw.replace(EDGE_PUNCT, '');
    return p.length > 0 ? signed(raw, classify(p, index)) : [];
  });
  return joinAlternatives(readNumberWords(joinMagnitudes(tokens)));
}
