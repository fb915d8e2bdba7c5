/**
 * Words that carry no product meaning: greetings, politeness, verbs of asking, Nepali
 * particles ("ko", "lai") and price words. They are dropped from mentions, and a line
 * made only of them ("Hi, please send:", "namaste dai") is not an item at all.
 */
const ENGLISH = `hi hii hiii hello helo hey dear sir madam please pls plz plzz kindly send need needed want wanted
  i we us me my our the of a an and also some order orders thanks thank thx you ok okay today tomorrow asap urgent
  following items item for shop bro brother good morning evening afternoon regards to this is am are required require
  give deliver delivery with by list new more again same as usual quickly fast can could would like get have be will x
  price rate mrp`;

const ROMANIZED = `namaste namaskar dai daju bhai didi bahini sathi hajur ji malai mero hamro lai ko ka ki ma ra pani
  chahiyo chaiyo chainchha chaincha chahincha chaiyeko pathaunu pathaidinu pathaidinus pathaunuhos pathau pathaideu
  pathaidiu dinu dinus dinuhos deu hai ta la ni ho aaja aja bholi ahile jaldi chito wala vala wali thik dhanyabad
  dhanyawad dhanybad saman samaan yo tyo sabai kripaya pasal lagi hola garnu gardinu gardinus ramro k cha chha bhau`;

const DEVANAGARI = `नमस्ते नमस्कार दाइ दाजु भाइ दिदी हजुर जी मलाई मेरो हाम्रो लाई को का की मा र पनि चाहियो चाहिन्छ पठाउनु
  पठाइदिनु पठाइदिनुस् पठाउनुहोस् पठाउनुस् दिनु दिनुहोस् धन्यवाद सामान आज भोलि कृपया वाला अर्डर छ है पसल लागि भाउ दाम मूल्य`;

const FILLER: ReadonlySet<string> = new Set(`${ENGLISH} ${ROMANIZED} ${DEVANAGARI}`.split(/\s+/).filter(Boolean));

export function isFiller(word: string): boolean {
  return FILLER.has(word);
}
