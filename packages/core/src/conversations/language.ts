import type { ConversationLanguage } from '../ports/conversation-store.js';

const DEVANAGARI = /[\u0900-\u097F]/;

/**
 * Romanised Nepali words a shop's message is recognised by: function words, verbs and the
 * wholesale units and staples that no English message uses. One is enough.
 */
const ROMAN_NEPALI_CUES = new Set([
  'cha',
  'chha',
  'chaina',
  'ho',
  'hoina',
  'ko',
  'lai',
  'le',
  'ma',
  'ra',
  'ni',
  'ta',
  'pani',
  'mero',
  'hamro',
  'kati',
  'kaha',
  'kasari',
  'kina',
  'ke',
  'baki',
  'udharo',
  'tirnu',
  'parcha',
  'parchha',
  'bhayo',
  'garnu',
  'garne',
  'garnus',
  'garnuhos',
  'dinus',
  'dinuhos',
  'pathaunu',
  'pathaunus',
  'chahiyo',
  'chaiyo',
  'chahincha',
  'hajur',
  'namaste',
  'namaskar',
  'dhanyabad',
  'madat',
  'sahayog',
  'bora',
  'peti',
  'dharni',
  'chamal',
  'chini',
  'cheeni',
  'nun',
  'tel',
  'pitho',
  'masala',
  'wala',
  'jasto',
  'pahile',
  'hijo',
  'aaja',
  'bholi',
  'radda',
  'aayena',
  'aaena',
  'saman',
  'arko',
  'ekdam',
]);

/** The language a message is written in: Devanagari → 'ne', romanised Nepali → 'ne-Latn', else 'en'. */
export function detectLanguage(text: string): ConversationLanguage {
  if (DEVANAGARI.test(text)) return 'ne';
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  return words.some((w) => ROMAN_NEPALI_CUES.has(w)) ? 'ne-Latn' : 'en';
}
