/** Spelled-out numbers: English, romanized Nepali and Devanagari. */
const WORDS: Readonly<Record<string, number>> = {
  // English
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  fifty: 50,
  hundred: 100,
  half: 0.5,
  // romanized Nepali ("chha" is left out: it also means "is")
  ek: 1,
  euta: 1,
  eauta: 1,
  dui: 2,
  duita: 2,
  tin: 3,
  teen: 3,
  char: 4,
  chaar: 4,
  panch: 5,
  paanch: 5,
  saat: 7,
  sat: 7,
  aath: 8,
  ath: 8,
  nau: 9,
  das: 10,
  dus: 10,
  eghara: 11,
  barha: 12,
  bara: 12,
  pandhra: 15,
  bis: 20,
  bees: 20,
  pachis: 25,
  tis: 30,
  chalis: 40,
  pachas: 50,
  saya: 100,
  sae: 100,
  aadha: 0.5,
  adha: 0.5,
  dedh: 1.5,
  derh: 1.5,
  adhai: 2.5,
  dhai: 2.5,
  // Devanagari ("छ" left out for the same reason as "chha")
  एक: 1,
  एउटा: 1,
  दुई: 2,
  तीन: 3,
  तिन: 3,
  चार: 4,
  पाँच: 5,
  पांच: 5,
  सात: 7,
  आठ: 8,
  नौ: 9,
  दश: 10,
  दस: 10,
  बाह्र: 12,
  पन्ध्र: 15,
  बीस: 20,
  पच्चीस: 25,
  तीस: 30,
  पचास: 50,
  सय: 100,
  आधा: 0.5,
  डेढ: 1.5,
  अढाई: 2.5,
};

export function numberWord(word: string): number | undefined {
  return Object.hasOwn(WORDS, word) ? WORDS[word] : undefined;
}

/** "10", "2.5", "1/2" → a positive number; anything else → undefined. */
export function numeral(token: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(token)) return Number(token);
  const fraction = /^(\d+)\/(\d+)$/.exec(token);
  if (fraction) {
    const den = Number(fraction[2]);
    return den === 0 ? undefined : Number(fraction[1]) / den;
  }
  return undefined;
}

const MAGNITUDES: Readonly<Record<string, number>> = {
  hundred: 100,
  hundreds: 100,
  saya: 100,
  sae: 100,
  सय: 100,
  thousand: 1_000,
  thousands: 1_000,
  hajar: 1_000,
  hazar: 1_000,
  hazaar: 1_000,
  हजार: 1_000,
  lakh: 100_000,
  lakhs: 100_000,
  lac: 100_000,
  लाख: 100_000,
  crore: 10_000_000,
  karod: 10_000_000,
  करोड: 10_000_000,
};

/** "hundred", "hajar", "लाख": the factor a number before it is multiplied by. */
export function magnitudeWord(word: string): number | undefined {
  return Object.hasOwn(MAGNITUDES, word) ? MAGNITUDES[word] : undefined;
}
