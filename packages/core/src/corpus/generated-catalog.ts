import { createProduct, type Product, type ProductAlias, type UnitConversion } from '../catalog/product.js';
import type { ProductId } from '../shared/ids.js';
import type { Unit } from '../shared/quantity.js';
import { ValidationError } from '../shared/errors.js';
import { SeededRandom } from '../shared/seeded-random.js';
import { type CatalogEntry, en, ne, rom } from './catalog-entry.js';
import { NEPALI_CATALOG } from './nepali-catalog.js';

/**
 * A wholesaler's full catalog, generated: brands × kinds × flavours × pack sizes over the
 * categories a Nepali wholesaler carries. The hand-written Nepali catalog comes first and
 * keeps the generic words ("chamal", "chini", "tea"); a generated product is only ever named
 * by its brand with its kind ("dhara tori tel", "धारा तोरी तेल"), so a shop's generic word
 * never fans out over hundreds of products. Pack variants of one product share their
 * aliases and differ by size, which the parser reads from "1L x 12" or "25kg ko 2 bora".
 */

interface Brand {
  readonly code: string;
  readonly en: string;
  /** Devanagari spelling, as a shop owner types it. */
  readonly ne: string;
}

interface Flavour {
  readonly code: string;
  readonly en: string;
  readonly ne?: string;
}

interface Kind {
  readonly code: string;
  readonly category: string;
  readonly en: string;
  /** Romanised Nepali names of the kind ("tori tel"); may be empty. */
  readonly rom: readonly string[];
  readonly ne: readonly string[];
  /** What one pack is sold as, below bag size. */
  readonly pack: Unit;
  readonly sizes: readonly string[];
  readonly brands: readonly Brand[];
  readonly flavours?: readonly Flavour[];
}

const b = (code: string, name: string, devanagari: string): Brand => ({ code, en: name, ne: devanagari });
const f = (code: string, name: string, devanagari?: string): Flavour =>
  devanagari === undefined ? { code, en: name } : { code, en: name, ne: devanagari };

const RICE_BRANDS = [
  b('KAN', 'Kanchan', 'कञ्चन'),
  b('GAN', 'Ganesh', 'गणेश'),
  b('GOR', 'Gorkha', 'गोरखा'),
  b('ANN', 'Annapurna', 'अन्नपूर्ण'),
  b('MAH', 'Mahalaxmi', 'महालक्ष्मी'),
  b('SAG', 'Sagar', 'सागर'),
  b('HIM', 'Himal', 'हिमाल'),
  b('KRI', 'Krishna', 'कृष्ण'),
  b('BHI', 'Bhim', 'भीम'),
  b('TRI', 'Trishul', 'त्रिशूल'),
  b('JAN', 'Janaki', 'जानकी'),
  b('SHR', 'Shree', 'श्री'),
  b('LAX', 'Laxmi', 'लक्ष्मी'),
  b('KOS', 'Koshi', 'कोशी'),
  b('BAR', 'Baraha', 'बराह'),
  b('MAD', 'Madhesh', 'मधेश'),
  b('TER', 'Terai Gold', 'तराई गोल्ड'),
  b('NAR', 'Narayani', 'नारायणी'),
];
const MILL_BRANDS = [
  b('GAN', 'Ganesh', 'गणेश'),
  b('ANN', 'Annapurna', 'अन्नपूर्ण'),
  b('SHR', 'Shree', 'श्री'),
  b('BHA', 'Bhagwati', 'भगवती'),
  b('GOL', 'Golden', 'गोल्डेन'),
  b('ARU', 'Arun', 'अरुण'),
  b('PAS', 'Pashupati', 'पशुपति'),
  b('SIT', 'Sita', 'सीता'),
  b('LAX', 'Laxmi', 'लक्ष्मी'),
  b('KOS', 'Koshi', 'कोशी'),
  b('NAR', 'Narayani', 'नारायणी'),
  b('BAR', 'Baraha', 'बराह'),
  b('MAN', 'Manakamana', 'मनकामना'),
  b('TRI', 'Trishul', 'त्रिशूल'),
];
const OIL_BRANDS = [
  b('DHA', 'Dhara', 'धारा'),
  b('FOR', 'Fortune', 'फर्च्युन'),
  b('SAR', 'Saras', 'सरस'),
  b('AMR', 'Amrit', 'अमृत'),
  b('GYA', 'Gyan', 'ज्ञान'),
  b('NIR', 'Nirmal', 'निर्मल'),
  b('SUR', 'Surya', 'सूर्य'),
  b('HIM', 'Himal', 'हिमाल'),
  b('PAS', 'Pashupati', 'पशुपति'),
  b('KAM', 'Kamdhenu', 'कामधेनु'),
  b('ROY', 'Royal', 'रोयल'),
  b('SHU', 'Shuddha', 'शुद्ध'),
  b('GOL', 'Golden Drop', 'गोल्डेन ड्रप'),
  b('PRA', 'Pragati', 'प्रगति'),
  b('SWA', 'Swastik', 'स्वस्तिक'),
];
const SPICE_BRANDS = [
  b('EVE', 'Everest', 'एभरेस्ट'),
  b('MDH', 'MDH', 'एमडीएच'),
  b('CAT', 'Catch', 'क्याच'),
  b('SHA', 'Shan', 'शान'),
  b('MAS', 'Masala King', 'मसला किङ'),
  b('NEP', 'Nepal Masala', 'नेपाल मसला'),
  b('BAG', 'Bagmati', 'बागमती'),
  b('SAK', 'Sakthi', 'शक्ति'),
  b('BAD', 'Badshah', 'बादशाह'),
  b('ASL', 'Asli', 'असली'),
  b('GOR', 'Gorkha', 'गोरखा'),
  b('RAJ', 'Rajdhani', 'राजधानी'),
];
const NOODLE_BRANDS = [
  b('PRE', 'Preeti', 'प्रीति'),
  b('RAM', 'Ramba', 'राम्बा'),
  b('2PM', '2PM', 'टु पिएम'),
  b('HUR', 'Hurray', 'हुर्रे'),
  b('JOJ', 'Jojo', 'जोजो'),
  b('YUM', 'Yumyum', 'यमयम'),
  b('GOL', 'Golmol', 'गोलमोल'),
  b('CHI', 'Chau Chau', 'चाउ चाउ'),
  b('MUS', 'Mustang', 'मुस्ताङ'),
  b('KOK', 'Koka', 'कोका'),
  b('YAM', 'Yami', 'यामी'),
  b('TOP', 'Top Ramen', 'टप रामेन'),
  b('NIS', 'Nissin', 'निसिन'),
];
const BISCUIT_BRANDS = [
  b('BRI', 'Britannia', 'ब्रिटानिया'),
  b('PAR', 'Parle', 'पार्ले'),
  b('SUN', 'Sunfeast', 'सनफिस्ट'),
  b('ANM', 'Anmol', 'अनमोल'),
  b('PRI', 'Priya', 'प्रिया'),
  b('YAK', 'Yak', 'याक'),
  b('KRA', 'Krackjack', 'क्र्याकज्याक'),
  b('OXF', 'Oxford', 'अक्सफोर्ड'),
  b('NEB', 'Nebico Gold', 'नेबिको गोल्ड'),
  b('BIS', 'Bisk Farm', 'बिस्क फार्म'),
  b('UNI', 'Unibic', 'युनिबिक'),
  b('DUK', 'Dukes', 'ड्युक्स'),
];
const SNACK_BRANDS = [
  b('KUR', 'Kurmure', 'कुरमुरे'),
  b('LAY', 'Lays', 'लेज'),
  b('BIN', 'Bingo', 'बिंगो'),
  b('CHE', 'Cheeseballs', 'चिजबल'),
  b('HAL', 'Haldiram', 'हल्दीराम'),
  b('BHU', 'Bhujiya House', 'भुजिया हाउस'),
  b('UNC', 'Uncle Chips', 'अंकल चिप्स'),
  b('TKA', 'Tika', 'टीका'),
  b('PRN', 'Pringles', 'प्रिङ्गल्स'),
  b('KHA', 'Khaja Ghar', 'खाजा घर'),
];
const DRINK_BRANDS = [
  b('PEP', 'Pepsi', 'पेप्सी'),
  b('FAN', 'Fanta', 'फान्टा'),
  b('SPR', 'Sprite', 'स्प्राइट'),
  b('MDW', 'Mountain Dew', 'माउन्टेन ड्यु'),
  b('MIR', 'Mirinda', 'मिरिन्डा'),
  b('7UP', '7Up', 'सेभेन अप'),
  b('SLI', 'Slice', 'स्लाइस'),
  b('THU', 'Thums Up', 'थम्स अप'),
  b('LIM', 'Limca', 'लिम्का'),
  b('DEW', 'Dew Fresh', 'ड्यु फ्रेस'),
];
const JUICE_BRANDS = [
  b('REA', 'Real', 'रियल'),
  b('FRO', 'Frooti', 'फ्रुटी'),
  b('MAZ', 'Maaza', 'माजा'),
  b('TRO', 'Tropicana', 'ट्रपिकाना'),
  b('GOL', 'Golden Valley', 'गोल्डेन भ्याली'),
];
const TEA_BRANDS = [
  b('ILA', 'Ilam', 'इलाम'),
  b('KAN', 'Kanchanjangha', 'कञ्चनजङ्घा'),
  b('HIM', 'Himalayan', 'हिमालयन'),
  b('RED', 'Red Label', 'रेड लेबल'),
  b('TAZ', 'Taza', 'ताजा'),
  b('GUR', 'Guranse', 'गुराँसे'),
  b('MAI', 'Mai Pokhari', 'माई पोखरी'),
  b('NAG', 'Nagarkot', 'नगरकोट'),
  b('SAN', 'Sandakphu', 'सन्दकपुर'),
  b('JUN', 'Jun Chiyabari', 'जुन चियाबारी'),
  b('TAT', 'Tata Tea', 'टाटा टी'),
];
const DAIRY_BRANDS = [
  b('DDC', 'DDC', 'डिडिसी'),
  b('SIT', 'Sitaram', 'सीताराम'),
  b('NAR', 'Nawa Durga', 'नवदुर्गा'),
  b('AMU', 'Amul', 'अमुल'),
  b('CHI', 'Chitwan', 'चितवन'),
  b('KAM', 'Kamdhenu', 'कामधेनु'),
  b('SUJ', 'Sujal', 'सुजल'),
  b('BAN', 'Banaskantha', 'बनासकाँठा'),
  b('PAS', 'Pashupati', 'पशुपति'),
];
const SOAP_BRANDS = [
  b('DET', 'Dettol', 'डेटल'),
  b('DOV', 'Dove', 'डभ'),
  b('LIR', 'Liril', 'लिरिल'),
  b('SAN', 'Santoor', 'सन्तुर'),
  b('PEA', 'Pears', 'पियर्स'),
  b('CIN', 'Cinthol', 'सिन्थोल'),
  b('HAM', 'Hamam', 'हमाम'),
  b('MED', 'Medimix', 'मेडिमिक्स'),
  b('LIF', 'Lifeguard', 'लाइफगार्ड'),
  b('PAT', 'Patanjali', 'पतञ्जली'),
  b('GOD', 'Godrej No 1', 'गोदरेज'),
];
const DETERGENT_BRANDS = [
  b('SRF', 'Surf Excel', 'सर्फ एक्सेल'),
  b('ARI', 'Ariel', 'एरियल'),
  b('TID', 'Tide', 'टाइड'),
  b('RIN', 'Rin', 'रिन'),
  b('GHA', 'Ghadi', 'घडी'),
  b('NIR', 'Nirma', 'निर्मा'),
  b('SAF', 'Safed', 'सफेद'),
  b('HEN', 'Henko', 'हेन्को'),
  b('FEN', 'Fena', 'फेना'),
];
const CARE_BRANDS = [
  b('SUN', 'Sunsilk', 'सनसिल्क'),
  b('CLI', 'Clinic Plus', 'क्लिनिक प्लस'),
  b('HNS', 'Head and Shoulders', 'हेड एन्ड सोल्डर'),
  b('PAN', 'Pantene', 'प्यान्टिन'),
  b('PAR', 'Parachute', 'प्यारासुट'),
  b('DAB', 'Dabur', 'डाबर'),
  b('HIM', 'Himalaya', 'हिमालय'),
  b('VAT', 'Vatika', 'वाटिका'),
  b('NIV', 'Nivea', 'निभिया'),
  b('PON', 'Ponds', 'पन्ड्स'),
  b('PEP', 'Pepsodent', 'पेप्सोडेन्ट'),
];
const HOME_BRANDS = [
  b('HAR', 'Harpic', 'हार्पिक'),
  b('LIZ', 'Lizol', 'लाइजोल'),
  b('VIM', 'Vim', 'भिम'),
  b('GOO', 'Good Knight', 'गुड नाइट'),
  b('ODO', 'Odonil', 'ओडोनिल'),
  b('EVR', 'Eveready', 'एभररेडी'),
  b('SUR', 'Surya', 'सूर्य'),
  b('MOR', 'Mortein', 'मोर्टिन'),
  b('EXO', 'Exo', 'एक्सो'),
  b('SCO', 'Scotch Brite', 'स्कच ब्राइट'),
  b('CYC', 'Cycle', 'साइकल'),
];

const FRUIT = [f('MNG', 'Mango', 'आँप'), f('ORG', 'Orange', 'सुन्तला'), f('APL', 'Apple', 'स्याउ'), f('LIT', 'Litchi', 'लिची')];
const NOODLE_FLAVOURS = [
  f('CHK', 'Chicken', 'चिकेन'),
  f('VEG', 'Veg', 'भेज'),
  f('MAS', 'Masala', 'मसला'),
  f('CUR', 'Curry', 'करी'),
  f('HOT', 'Hot and Spicy'),
  f('TOM', 'Tomato', 'टमाटर'),
  f('PRK', 'Pork', 'पोर्क'),
];
const BISCUIT_FLAVOURS = [
  f('CHO', 'Chocolate', 'चकलेट'),
  f('CRM', 'Cream', 'क्रिम'),
  f('BUT', 'Butter', 'बटर'),
  f('ELC', 'Elaichi', 'इलाइची'),
  f('SLT', 'Salted'),
  f('CAS', 'Cashew', 'काजु'),
];
const SOAP_FLAVOURS = [f('ORI', 'Original'), f('LIM', 'Lime', 'कागती'), f('ROS', 'Rose', 'गुलाफ'), f('SAN', 'Sandal', 'चन्दन')];
const SNACK_FLAVOURS = [f('MAS', 'Masala', 'मसला'), f('SLT', 'Salted'), f('TOM', 'Tomato', 'टमाटर'), f('CHE', 'Cheese', 'चिज')];

const KINDS: readonly Kind[] = [
  // Rice, flour and pulses
  { code: 'RMAN', category: 'rice', en: 'Mansuli Rice', rom: ['mansuli chamal'], ne: ['मन्सुली चामल'], pack: 'packet', sizes: ['1kg', '5kg', '10kg', '25kg', '50kg'], brands: RICE_BRANDS },
  { code: 'RJEE', category: 'rice', en: 'Jeera Masino Rice', rom: ['jeera masino'], ne: ['जिरा मसिनो'], pack: 'packet', sizes: ['1kg', '5kg', '10kg', '20kg', '25kg'], brands: RICE_BRANDS },
  { code: 'RBAS', category: 'rice', en: 'Basmati Rice', rom: ['basmati chamal'], ne: ['बासमती चामल'], pack: 'packet', sizes: ['1kg', '2kg', '5kg', '10kg', '20kg', '25kg'], brands: RICE_BRANDS },
  { code: 'RPOK', category: 'rice', en: 'Pokhareli Masino Rice', rom: ['pokhareli chamal'], ne: ['पोखरेली चामल'], pack: 'packet', sizes: ['5kg', '10kg', '25kg'], brands: RICE_BRANDS },
  { code: 'RSON', category: 'rice', en: 'Sona Mansuli Rice', rom: ['sona mansuli'], ne: ['सोना मन्सुली'], pack: 'packet', sizes: ['5kg', '10kg', '25kg', '50kg'], brands: RICE_BRANDS },
  { code: 'CHIU', category: 'rice', en: 'Beaten Rice', rom: ['chiura'], ne: ['चिउरा'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '20kg'], brands: RICE_BRANDS },
  { code: 'ATTA', category: 'flour', en: 'Chakki Atta', rom: ['aata', 'pitho'], ne: ['आटा'], pack: 'packet', sizes: ['1kg', '2kg', '5kg', '10kg', '25kg', '50kg'], brands: MILL_BRANDS },
  { code: 'MAID', category: 'flour', en: 'Maida', rom: ['maida'], ne: ['मैदा'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg', '50kg'], brands: MILL_BRANDS },
  { code: 'SUJI', category: 'flour', en: 'Suji', rom: ['suji'], ne: ['सुजी'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  { code: 'BESN', category: 'flour', en: 'Besan', rom: ['besan'], ne: ['बेसन'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  { code: 'MAKP', category: 'flour', en: 'Maize Flour', rom: ['makai pitho'], ne: ['मकैको पिठो'], pack: 'packet', sizes: ['1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  { code: 'DMAS', category: 'pulses', en: 'Masoor Dal', rom: ['musuro dal'], ne: ['मसुरो दाल'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg', '50kg'], brands: MILL_BRANDS },
  { code: 'DMUG', category: 'pulses', en: 'Moong Dal', rom: ['mugi dal'], ne: ['मुगी दाल'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  { code: 'DRAH', category: 'pulses', en: 'Rahar Dal', rom: ['rahar dal', 'arhar dal'], ne: ['रहर दाल'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  { code: 'DMAS2', category: 'pulses', en: 'Black Gram Dal', rom: ['mas dal', 'kalo mas'], ne: ['मासको दाल'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  { code: 'DCHA', category: 'pulses', en: 'Chana Dal', rom: ['chana dal'], ne: ['चना दाल'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  { code: 'RAJM', category: 'pulses', en: 'Rajma', rom: ['rajma', 'simi'], ne: ['राजमा'], pack: 'packet', sizes: ['500g', '1kg', '5kg'], brands: MILL_BRANDS },
  { code: 'BHAT', category: 'pulses', en: 'Soybean', rom: ['bhatmas'], ne: ['भटमास'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '25kg'], brands: MILL_BRANDS },
  // Oils and ghee
  { code: 'OMUS', category: 'oil', en: 'Mustard Oil', rom: ['tori tel', 'tori ko tel'], ne: ['तोरीको तेल'], pack: 'bottle', sizes: ['200ml', '500ml', '1L', '2L', '5L'], brands: OIL_BRANDS },
  { code: 'OSOY', category: 'oil', en: 'Soybean Oil', rom: ['bhatmas tel'], ne: ['भटमास तेल'], pack: 'bottle', sizes: ['500ml', '1L', '2L', '5L'], brands: OIL_BRANDS },
  { code: 'OSUN', category: 'oil', en: 'Sunflower Oil', rom: ['suryamukhi tel'], ne: ['सूर्यमुखी तेल'], pack: 'bottle', sizes: ['500ml', '1L', '2L', '5L'], brands: OIL_BRANDS },
  { code: 'ORIC', category: 'oil', en: 'Rice Bran Oil', rom: ['dhan ko tel'], ne: ['धानको तेल'], pack: 'bottle', sizes: ['1L', '5L'], brands: OIL_BRANDS },
  { code: 'VANA', category: 'oil', en: 'Vanaspati Ghee', rom: ['dalda'], ne: ['डाल्डा'], pack: 'packet', sizes: ['500ml', '1L', '5L'], brands: OIL_BRANDS },
  { code: 'GHEE', category: 'oil', en: 'Cow Ghee', rom: ['gai ko ghiu'], ne: ['गाईको घिउ'], pack: 'box', sizes: ['200ml', '500ml', '1L'], brands: DAIRY_BRANDS },
  // Sugar, salt and spices
  { code: 'SUGR', category: 'staples', en: 'Sugar', rom: ['chini'], ne: ['चिनी'], pack: 'packet', sizes: ['500g', '1kg', '5kg', '50kg'], brands: MILL_BRANDS },
  { code: 'SALT', category: 'staples', en: 'Iodized Salt', rom: ['nun'], ne: ['नुन'], pack: 'packet', sizes: ['1kg', '25kg', '50kg'], brands: MILL_BRANDS },
  { code: 'HALD', category: 'spices', en: 'Turmeric Powder', rom: ['besar'], ne: ['बेसार'], pack: 'packet', sizes: ['50g', '100g', '200g', '500g', '1kg'], brands: SPICE_BRANDS },
  { code: 'CHIL', category: 'spices', en: 'Chilli Powder', rom: ['khursani dhulo'], ne: ['खुर्सानी धुलो'], pack: 'packet', sizes: ['50g', '100g', '200g', '500g', '1kg'], brands: SPICE_BRANDS },
  { code: 'JEER', category: 'spices', en: 'Cumin Powder', rom: ['jeera dhulo'], ne: ['जिरा धुलो'], pack: 'packet', sizes: ['50g', '100g', '200g', '500g'], brands: SPICE_BRANDS },
  { code: 'DHAN', category: 'spices', en: 'Coriander Powder', rom: ['dhaniya dhulo'], ne: ['धनियाँ धुलो'], pack: 'packet', sizes: ['50g', '100g', '200g', '500g'], brands: SPICE_BRANDS },
  { code: 'GMAS', category: 'spices', en: 'Garam Masala', rom: ['garam masala'], ne: ['गरम मसला'], pack: 'packet', sizes: ['50g', '100g', '200g'], brands: SPICE_BRANDS },
  { code: 'MMAS', category: 'spices', en: 'Meat Masala', rom: ['masu masala'], ne: ['मासु मसला'], pack: 'packet', sizes: ['50g', '100g', '200g'], brands: SPICE_BRANDS },
  { code: 'CMAS', category: 'spices', en: 'Chicken Masala', rom: ['kukhura masala'], ne: ['कुखुरा मसला'], pack: 'packet', sizes: ['50g', '100g', '200g'], brands: SPICE_BRANDS },
  { code: 'PMAS', category: 'spices', en: 'Pani Puri Masala', rom: ['panipuri masala'], ne: ['पानीपुरी मसला'], pack: 'packet', sizes: ['50g', '100g'], brands: SPICE_BRANDS },
  { code: 'TIMU', category: 'spices', en: 'Timur', rom: ['timur'], ne: ['टिमुर'], pack: 'packet', sizes: ['50g', '100g', '200g'], brands: SPICE_BRANDS },
  // Tea and coffee
  { code: 'TCTC', category: 'beverages', en: 'CTC Tea', rom: ['chiya patti'], ne: ['चिया पत्ती'], pack: 'packet', sizes: ['100g', '200g', '250g', '500g', '1kg'], brands: TEA_BRANDS },
  { code: 'TORT', category: 'beverages', en: 'Orthodox Tea', rom: ['orthodox chiya'], ne: ['अर्थोडक्स चिया'], pack: 'packet', sizes: ['100g', '250g', '500g'], brands: TEA_BRANDS },
  { code: 'TBAG', category: 'beverages', en: 'Tea Bags', rom: ['chiya bag'], ne: ['टि ब्याग'], pack: 'box', sizes: ['50g', '100g', '200g'], brands: TEA_BRANDS },
  { code: 'COFF', category: 'beverages', en: 'Instant Coffee', rom: ['coffee'], ne: ['कफी'], pack: 'box', sizes: ['25g', '50g', '100g', '200g'], brands: TEA_BRANDS },
  // Noodles
  { code: 'NDL', category: 'noodles', en: 'Noodles', rom: ['chauchau'], ne: ['चाउचाउ'], pack: 'packet', sizes: ['50g', '80g', '100g'], brands: NOODLE_BRANDS, flavours: NOODLE_FLAVOURS },
  { code: 'NDLC', category: 'noodles', en: 'Cup Noodles', rom: ['cup chauchau'], ne: ['कप चाउचाउ'], pack: 'piece', sizes: ['40g', '80g'], brands: NOODLE_BRANDS, flavours: NOODLE_FLAVOURS },
  // Biscuits and snacks
  { code: 'BIS', category: 'biscuits', en: 'Biscuit', rom: ['biskut'], ne: ['बिस्कुट'], pack: 'packet', sizes: ['50g', '100g', '200g', '250g', '500g'], brands: BISCUIT_BRANDS, flavours: BISCUIT_FLAVOURS },
  { code: 'COOK', category: 'biscuits', en: 'Cookies', rom: ['cookies'], ne: ['कुकिज'], pack: 'packet', sizes: ['100g', '200g', '500g'], brands: BISCUIT_BRANDS, flavours: BISCUIT_FLAVOURS },
  { code: 'CHIP', category: 'snacks', en: 'Potato Chips', rom: ['chips'], ne: ['चिप्स'], pack: 'packet', sizes: ['20g', '50g', '100g', '200g'], brands: SNACK_BRANDS, flavours: SNACK_FLAVOURS },
  { code: 'BHUJ', category: 'snacks', en: 'Bhujia', rom: ['bhujiya', 'dalmoth'], ne: ['भुजिया'], pack: 'packet', sizes: ['50g', '200g', '500g', '1kg'], brands: SNACK_BRANDS, flavours: SNACK_FLAVOURS },
  { code: 'WAFR', category: 'biscuits', en: 'Wafers', rom: ['wafer'], ne: ['वेफर'], pack: 'packet', sizes: ['50g', '100g', '200g'], brands: BISCUIT_BRANDS, flavours: BISCUIT_FLAVOURS },
  { code: 'RUSK', category: 'biscuits', en: 'Rusk', rom: ['rusk'], ne: ['रस्क'], pack: 'packet', sizes: ['200g', '500g'], brands: BISCUIT_BRANDS, flavours: BISCUIT_FLAVOURS },
  { code: 'NAMK', category: 'snacks', en: 'Namkeen Mix', rom: ['namkin'], ne: ['नमकिन'], pack: 'packet', sizes: ['50g', '200g', '500g', '1kg'], brands: SNACK_BRANDS, flavours: SNACK_FLAVOURS },
  { code: 'PNUT', category: 'snacks', en: 'Peanuts', rom: ['badam'], ne: ['बदाम'], pack: 'packet', sizes: ['50g', '200g', '500g', '1kg'], brands: SNACK_BRANDS, flavours: SNACK_FLAVOURS },
  { code: 'ENRG', category: 'beverages', en: 'Energy Drink', rom: ['energy drink'], ne: ['इनर्जी ड्रिंक'], pack: 'bottle', sizes: ['250ml', '500ml'], brands: DRINK_BRANDS, flavours: FRUIT },
  { code: 'LASS', category: 'dairy', en: 'Lassi', rom: ['lassi'], ne: ['लस्सी'], pack: 'packet', sizes: ['200ml', '500ml', '1L'], brands: DAIRY_BRANDS, flavours: FRUIT },
  { code: 'CHES', category: 'dairy', en: 'Cheese', rom: ['chiz'], ne: ['चिज'], pack: 'packet', sizes: ['100g', '200g', '500g', '1kg'], brands: DAIRY_BRANDS },
  { code: 'ICEC', category: 'dairy', en: 'Ice Cream', rom: ['ice cream'], ne: ['आइसक्रिम'], pack: 'box', sizes: ['100ml', '500ml', '1L'], brands: DAIRY_BRANDS, flavours: FRUIT },
  { code: 'LOTN', category: 'personal care', en: 'Body Lotion', rom: ['lotion'], ne: ['लोसन'], pack: 'bottle', sizes: ['100ml', '200ml', '400ml'], brands: CARE_BRANDS },
  { code: 'TALC', category: 'personal care', en: 'Talcum Powder', rom: ['powder'], ne: ['पाउडर'], pack: 'box', sizes: ['50g', '100g', '200g', '400g'], brands: CARE_BRANDS, flavours: SOAP_FLAVOURS },
  { code: 'CNDL', category: 'household', en: 'Candles', rom: ['mainbatti'], ne: ['मैनबत्ती'], pack: 'packet', sizes: ['200g', '500g', '1kg'], brands: HOME_BRANDS },
  { code: 'AIRF', category: 'household', en: 'Air Freshener', rom: ['air freshener'], ne: ['एयर फ्रेसनर'], pack: 'piece', sizes: ['50ml', '200ml', '250ml'], brands: HOME_BRANDS, flavours: SOAP_FLAVOURS },
  // Beverages
  { code: 'SODA', category: 'beverages', en: 'Soft Drink', rom: ['chiso'], ne: ['चिसो'], pack: 'bottle', sizes: ['250ml', '500ml', '1L', '2L'], brands: DRINK_BRANDS },
  { code: 'JUIC', category: 'beverages', en: 'Juice', rom: ['juice'], ne: ['जुस'], pack: 'bottle', sizes: ['200ml', '250ml', '1L'], brands: JUICE_BRANDS, flavours: FRUIT },
  { code: 'WATR', category: 'beverages', en: 'Mineral Water', rom: ['pani bottle'], ne: ['मिनरल वाटर'], pack: 'bottle', sizes: ['500ml', '1L', '2L', '5L'], brands: JUICE_BRANDS },
  // Dairy
  { code: 'MILK', category: 'dairy', en: 'Milk', rom: ['dudh'], ne: ['दूध'], pack: 'packet', sizes: ['200ml', '500ml', '1L'], brands: DAIRY_BRANDS },
  { code: 'MLKP', category: 'dairy', en: 'Milk Powder', rom: ['dudh powder'], ne: ['दूध पाउडर'], pack: 'packet', sizes: ['200g', '500g', '1kg'], brands: DAIRY_BRANDS },
  { code: 'PANR', category: 'dairy', en: 'Paneer', rom: ['paneer'], ne: ['पनिर'], pack: 'packet', sizes: ['200g', '500g', '1kg'], brands: DAIRY_BRANDS },
  { code: 'BUTR', category: 'dairy', en: 'Butter', rom: ['makhan'], ne: ['मखन'], pack: 'packet', sizes: ['100g', '200g', '500g'], brands: DAIRY_BRANDS },
  { code: 'DAHI', category: 'dairy', en: 'Curd', rom: ['dahi'], ne: ['दही'], pack: 'piece', sizes: ['200g', '400g', '1kg'], brands: DAIRY_BRANDS },
  // Soaps, detergents and personal care
  { code: 'SOAP', category: 'soap', en: 'Soap', rom: ['sabun'], ne: ['साबुन'], pack: 'piece', sizes: ['40g', '80g', '100g', '125g'], brands: SOAP_BRANDS, flavours: SOAP_FLAVOURS },
  { code: 'HWSH', category: 'soap', en: 'Handwash', rom: ['haat dhune'], ne: ['ह्यान्डवास'], pack: 'bottle', sizes: ['200ml', '250ml', '1L'], brands: SOAP_BRANDS, flavours: SOAP_FLAVOURS },
  { code: 'DPOW', category: 'soap', en: 'Detergent Powder', rom: ['luga dhune dhulo'], ne: ['लुगा धुने धुलो'], pack: 'packet', sizes: ['200g', '500g', '1kg', '2kg', '5kg'], brands: DETERGENT_BRANDS },
  { code: 'DBAR', category: 'soap', en: 'Detergent Bar', rom: ['luga dhune sabun'], ne: ['लुगा धुने साबुन'], pack: 'piece', sizes: ['125g', '200g', '250g'], brands: DETERGENT_BRANDS },
  { code: 'DLIQ', category: 'soap', en: 'Liquid Detergent', rom: ['liquid'], ne: ['लिक्विड'], pack: 'bottle', sizes: ['500ml', '1L', '2L'], brands: DETERGENT_BRANDS },
  { code: 'SHAM', category: 'personal care', en: 'Shampoo', rom: ['shampoo'], ne: ['स्याम्पु'], pack: 'bottle', sizes: ['100ml', '200ml', '400ml'], brands: CARE_BRANDS },
  { code: 'HOIL', category: 'personal care', en: 'Hair Oil', rom: ['kapal ko tel'], ne: ['कपालको तेल'], pack: 'bottle', sizes: ['50ml', '100ml', '200ml', '500ml'], brands: CARE_BRANDS },
  { code: 'TPST', category: 'personal care', en: 'Toothpaste', rom: ['manjan'], ne: ['मन्जन'], pack: 'piece', sizes: ['50g', '100g', '200g'], brands: CARE_BRANDS },
  { code: 'CREM', category: 'personal care', en: 'Face Cream', rom: ['cream'], ne: ['क्रिम'], pack: 'piece', sizes: ['25g', '50g', '100g'], brands: CARE_BRANDS },
  // Household goods
  { code: 'TCLN', category: 'household', en: 'Toilet Cleaner', rom: ['toilet cleaner'], ne: ['टोइलेट क्लिनर'], pack: 'bottle', sizes: ['200ml', '500ml', '1L'], brands: HOME_BRANDS },
  { code: 'FCLN', category: 'household', en: 'Floor Cleaner', rom: ['floor cleaner'], ne: ['फ्लोर क्लिनर'], pack: 'bottle', sizes: ['500ml', '1L', '2L'], brands: HOME_BRANDS },
  { code: 'DWSH', category: 'household', en: 'Dishwash Bar', rom: ['bhanda dhune sabun'], ne: ['भाँडा धुने साबुन'], pack: 'piece', sizes: ['125g', '200g', '500g'], brands: HOME_BRANDS },
  { code: 'DWLQ', category: 'household', en: 'Dishwash Liquid', rom: ['bhanda dhune liquid'], ne: ['भाँडा धुने झोल'], pack: 'bottle', sizes: ['250ml', '500ml', '1L'], brands: HOME_BRANDS },
  { code: 'COIL', category: 'household', en: 'Mosquito Coil', rom: ['jhul dhup'], ne: ['झुल धूप'], pack: 'box', sizes: ['100g', '200g'], brands: HOME_BRANDS },
  { code: 'AGAR', category: 'household', en: 'Incense Sticks', rom: ['dhup'], ne: ['धूप'], pack: 'packet', sizes: ['20g', '50g', '100g'], brands: HOME_BRANDS, flavours: SOAP_FLAVOURS },
];

/** "25kg" → 25 kg; "500ml" → 500 ml; "1L" → 1 litre. */
function parseSize(label: string): { amount: number; unit: 'kg' | 'g' | 'litre' | 'ml'; inBig: number } {
  const m = /^(\d+(?:\.\d+)?)(kg|g|ml|L)$/.exec(label);
  if (!m?.[1] || !m[2]) throw new Error(`bad size ${label}`);
  const amount = Number(m[1]);
  const unit = m[2] === 'L' ? 'litre' : (m[2] as 'kg' | 'g' | 'ml');
  return { amount, unit, inBig: unit === 'g' || unit === 'ml' ? amount / 1000 : amount };
}

const NICE_CARTONS = [4, 6, 12, 20, 24, 30, 48, 60, 72, 96, 100, 144];

/** About 10 kg or 10 L to a carton, rounded to a count a distributor actually packs. */
function cartonOf(inBig: number): number {
  const target = 10 / inBig;
  return NICE_CARTONS.reduce((best, n) => (Math.abs(n - target) < Math.abs(best - target) ? n : best));
}

/** Units and conversions of one pack size: bags from 10 kg up, cartons of smaller packs. */
function unitsOf(kind: Kind, label: string): { baseUnit: Unit; conversions: UnitConversion[] } {
  const { unit, inBig } = parseSize(label);
  const measure: Unit = unit === 'kg' || unit === 'g' ? 'kg' : 'litre';
  // 1 kg = 1/size packs; the sizes are chosen so that this is an exact decimal.
  const perMeasure = Math.round((1 / inBig) * 1e6) / 1e6;
  if (measure === 'kg' && inBig >= 10) return { baseUnit: 'bag', conversions: [{ unit: 'kg', toBase: perMeasure }] };
  return {
    baseUnit: kind.pack,
    conversions: [
      { unit: measure, toBase: perMeasure },
      { unit: 'carton', toBase: cartonOf(inBig) },
    ],
  };
}

function aliasesOf(kind: Kind, brand: Brand, flavour: Flavour | undefined): ProductAlias[] {
  const brandEn = brand.en.toLowerCase();
  const kindEn = kind.en.toLowerCase();
  if (flavour) {
    const fl = flavour.en.toLowerCase();
    return [
      ...en(`${brandEn} ${fl} ${kindEn}`, `${brandEn} ${fl}`),
      ...rom(...kind.rom.map((r) => `${brandEn} ${fl} ${r}`)),
      ...ne(...(flavour.ne ? kind.ne.map((n) => `${brand.ne} ${flavour.ne} ${n}`) : [])),
    ];
  }
  return [
    ...en(`${brandEn} ${kindEn}`),
    ...rom(...kind.rom.map((r) => `${brandEn} ${r}`)),
    ...ne(...kind.ne.map((n) => `${brand.ne} ${n}`)),
  ];
}

/** A typical wholesale price in paisa: per-kg or per-litre price × size, ±25 % by brand. */
function priceOf(kind: Kind, inBig: number, rng: SeededRandom): number {
  const perBig: Record<string, number> = {
    rice: 12_000,
    flour: 8_000,
    pulses: 17_000,
    oil: 28_000,
    staples: 8_000,
    spices: 60_000,
    beverages: 20_000,
    noodles: 30_000,
    biscuits: 35_000,
    snacks: 60_000,
    dairy: 15_000,
    soap: 40_000,
    'personal care': 70_000,
    household: 30_000,
  };
  const base = (perBig[kind.category] ?? 20_000) * inBig;
  return Math.max(500, Math.round((base * (0.75 + rng.next() * 0.5)) / 100) * 100);
}

export interface GeneratedCatalogOptions {
  /** Products in all, the hand-written catalog included (default 5,000). */
  readonly size?: number;
  /** PRNG seed: the same seed and size give the same catalog (default 12). */
  readonly seed?: number;
}

/** Every brand × kind × flavour × size the generator knows, in a fixed order. */
function allVariants(rng: SeededRandom): CatalogEntry[] {
  const out: CatalogEntry[] = [];
  for (const kind of KINDS) {
    for (const brand of kind.brands) {
      for (const flavour of kind.flavours ?? [undefined]) {
        // Not every brand packs every size: real ranges have gaps.
        const sizes = kind.sizes.filter((_, i) => i === 0 || rng.chance(0.85));
        for (const label of sizes) {
          const sku = [kind.code, brand.code, flavour?.code, label.toUpperCase()].filter(Boolean).join('-');
          const name = [brand.en, flavour?.en, kind.en, label].filter(Boolean).join(' ');
          out.push({
            sku,
            name,
            category: kind.category,
            ...unitsOf(kind, label),
            aliases: aliasesOf(kind, brand, flavour),
            typicalPrice: priceOf(kind, parseSize(label).inBig, rng),
          });
        }
      }
    }
  }
  return out;
}

/** How many products `generatedCatalogEntries` can make with this seed. */
export function generatedCatalogCapacity(seed = 12): number {
  return NEPALI_CATALOG.length + allVariants(new SeededRandom(seed)).length;
}

/**
 * The generated catalog: the hand-written Nepali catalog first (unchanged, so the corpus
 * labels hold), then generated variants up to `size`, chosen by the seed. Deterministic:
 * the seed, the corpus and the benchmarks all get the same products from the same options.
 */
export function generatedCatalogEntries(options: GeneratedCatalogOptions = {}): CatalogEntry[] {
  const size = options.size ?? 5_000;
  const rng = new SeededRandom(options.seed ?? 12);
  const hand = NEPALI_CATALOG.slice(0, size);
  const pool = allVariants(rng);
  const wanted = size - hand.length;
  if (wanted > pool.length) {
    throw new ValidationError(`the generated catalog holds at most ${pool.length + hand.length} products`, { size });
  }
  // A seeded shuffle (the same whatever the size, so a smaller catalog is part of a bigger
  // one), then back into sku order.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j] as CatalogEntry, pool[i] as CatalogEntry];
  }
  const chosen = pool.slice(0, Math.max(0, wanted)).sort((a, b) => a.sku.localeCompare(b.sku));
  return [...hand, ...chosen];
}

const EPOCH = new Date('2025-01-01T00:00:00.000Z');

/**
 * The generated catalog as products with fixed ids; its first products are `nepaliCatalog()`
 * with the same ids, so a corpus labelled against that catalog scores the same here.
 */
export function generatedCatalog(options: GeneratedCatalogOptions = {}): Product[] {
  return generatedCatalogEntries(options).map(({ typicalPrice: _, ...input }, i) => {
    const id = `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}` as ProductId;
    return createProduct(input, id, EPOCH);
  });
}
