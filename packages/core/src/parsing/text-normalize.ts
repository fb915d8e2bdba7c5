/**
 * Text folding shared by the catalog index and the line reader. Both sides of every
 * comparison go through the same folds, so a fold only has to be consistent, not "correct".
 */

const DEVANAGARI_ZERO = 0x0966;

/** Devanagari digits (०–९) to ASCII, so one number grammar serves both scripts. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u0966-\u096F]/g, (d) => String(d.charCodeAt(0) - DEVANAGARI_ZERO));
}

/** NFC, lower case, ASCII digits, and the multiplication sign as a plain "x". */
export function normalizeText(text: string): string {
  return toAsciiDigits(text.normalize('NFC').toLowerCase())
    .replace(/×/g, ' x ')
    .replace(/\u200d|\u200c/g, '');
}

export function isDevanagari(word: string): boolean {
  return /[\u0900-\u097F]/.test(word);
}

/**
 * A spelling-tolerant key for one word. Romanized Nepali has no fixed spelling
 * ("chaamal", "chamal"; "cheeni", "chini"; "vai vai", "wai wai"), and Devanagari
 * typing mixes long/short vowels and similar letters (चीनी / चिनी), so those are folded.
 */
export function matchKey(word: string): string {
  if (isDevanagari(word)) {
    return word
      .replace(/ी/g, 'ि')
      .replace(/ू/g, 'ु')
      .replace(/ँ/g, 'ं')
      .replace(/व/g, 'ब')
      .replace(/[शष]/g, 'स')
      .replace(/ण/g, 'न')
      .replace(/[़्]/g, '');
  }
  return word
    .replace(/ph/g, 'f')
    .replace(/sh/g, 's')
    .replace(/ee/g, 'i')
    .replace(/oo/g, 'u')
    .replace(/w/g, 'v')
    .replace(/z/g, 'j')
    .replace(/q/g, 'k')
    .replace(/c(?!h)/g, 'k')
    .replace(/(.)\1+/g, '$1');
}

/** Digits that OCR and fast thumbs put in place of letters ("0il", "r1ce", "5ugar"). */
const OCR_DIGITS: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '8': 'b' };

/** The word with look-alike digits read as letters; "1" tries both "i" and "l". */
export function ocrVariants(word: string): string[] {
  const withI = word.replace(/[013458]/g, (d) => OCR_DIGITS[d] ?? d);
  const withL = word.replace(/1/g, 'l').replace(/[03458]/g, (d) => OCR_DIGITS[d] ?? d);
  return withI === withL ? [withI] : [withI, withL];
}

export function hasOcrDigit(word: string): boolean {
  return /[013458]/.test(word);
}
