import { createProduct, type Product, type ProductAlias, type ProductInput } from '../catalog/product.js';
import type { ProductId } from '../shared/ids.js';

/**
 * The small wholesale catalog the order-message corpus is labelled against: everyday
 * kirana stock in Nepal, with the aliases a shop owner actually types. Generic words
 * are given to one product on purpose ("chamal" is the everyday Mansuli rice) and
 * left out where a real shop would have to ask ("tel": mustard, soybean or sunflower?).
 */

const en = (...texts: string[]): ProductAlias[] => texts.map((text) => ({ text, language: 'en' }));
const ne = (...texts: string[]): ProductAlias[] => texts.map((text) => ({ text, language: 'ne' }));
const rom = (...texts: string[]): ProductAlias[] => texts.map((text) => ({ text, language: 'ne-Latn' }));

const INPUTS: readonly ProductInput[] = [
  {
    sku: 'RICE-MANSULI',
    name: 'Mansuli Rice',
    category: 'rice',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 25 }],
    aliases: [
      ...en('rice', 'mansuli rice'),
      ...rom('chamal', 'chawal', 'mansuli', 'mansuli chamal'),
      ...ne('चामल', 'मन्सुली चामल', 'मन्सुली'),
    ],
  },
  {
    sku: 'RICE-BASMATI',
    name: 'Basmati Rice',
    category: 'rice',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 20 }],
    aliases: [...en('basmati'), ...rom('basmati chamal'), ...ne('बासमती', 'बासमती चामल')],
  },
  {
    sku: 'RICE-JEERA',
    name: 'Jeera Masino Rice',
    category: 'rice',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 25 }],
    aliases: [
      ...en('jeera rice'),
      ...rom('jeera masino', 'jira masino', 'masino chamal'),
      ...ne('जिरा मसिनो', 'मसिनो चामल'),
    ],
  },
  {
    sku: 'CHIURA',
    name: 'Beaten Rice',
    category: 'rice',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 20 }],
    aliases: [...en('flattened rice', 'poha'), ...rom('chiura', 'chyura', 'cheura'), ...ne('चिउरा')],
  },
  {
    sku: 'DAL-MASOOR',
    name: 'Masoor Dal',
    category: 'pulses',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 30 }],
    aliases: [
      ...en('red lentil', 'masoor'),
      ...rom('musuro dal', 'masuro dal', 'musuro'),
      ...ne('मसुरो दाल', 'मुसुरो दाल', 'मसुरो'),
    ],
  },
  {
    sku: 'DAL-MOONG',
    name: 'Moong Dal',
    category: 'pulses',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 30 }],
    aliases: [...en('green gram', 'mung dal'), ...rom('mugi dal', 'mugi'), ...ne('मुगी दाल', 'मुग दाल')],
  },
  {
    sku: 'DAL-CHANA',
    name: 'Chana Dal',
    category: 'pulses',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 30 }],
    aliases: [...en('split chickpea'), ...rom('chana daal', 'chana ko dal'), ...ne('चना दाल')],
  },
  {
    sku: 'CHANA-KABULI',
    name: 'Kabuli Chana',
    category: 'pulses',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 25 }],
    aliases: [...en('chickpea', 'chole'), ...rom('chana', 'chhola', 'kabuli'), ...ne('काबुली चना', 'छोला')],
  },
  {
    sku: 'OIL-MUSTARD',
    name: 'Mustard Oil',
    category: 'oil',
    baseUnit: 'litre',
    conversions: [
      { unit: 'bottle', toBase: 1 },
      { unit: 'carton', toBase: 12 },
    ],
    aliases: [...rom('tori ko tel', 'tori tel', 'sarsyu tel'), ...ne('तोरीको तेल', 'तोरी तेल', 'तोरीको')],
  },
  {
    sku: 'OIL-SOYA',
    name: 'Soybean Oil',
    category: 'oil',
    baseUnit: 'litre',
    conversions: [
      { unit: 'bottle', toBase: 1 },
      { unit: 'carton', toBase: 12 },
    ],
    aliases: [
      ...en('soyabean oil', 'soya oil'),
      ...rom('soyabean tel', 'bhatmas tel', 'bhatmas ko tel'),
      ...ne('भटमास तेल', 'सोयाबिन तेल'),
    ],
  },
  {
    sku: 'OIL-SUNFLOWER',
    name: 'Sunflower Oil',
    category: 'oil',
    baseUnit: 'litre',
    conversions: [
      { unit: 'bottle', toBase: 1 },
      { unit: 'carton', toBase: 12 },
    ],
    aliases: [...rom('suryamukhi tel', 'sunflower tel'), ...ne('सूर्यमुखी तेल')],
  },
  {
    sku: 'GHEE',
    name: 'Ghee',
    category: 'oil',
    baseUnit: 'litre',
    conversions: [{ unit: 'carton', toBase: 12 }],
    aliases: [...en('clarified butter'), ...rom('ghiu', 'gheu'), ...ne('घिउ')],
  },
  {
    sku: 'SUGAR',
    name: 'Sugar',
    category: 'staples',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 50 }],
    aliases: [...rom('chini', 'cheeni'), ...ne('चिनी')],
  },
  {
    sku: 'SALT-AAYO',
    name: 'Aayo Iodized Salt',
    category: 'staples',
    baseUnit: 'packet',
    conversions: [
      { unit: 'kg', toBase: 1 },
      { unit: 'carton', toBase: 25 },
      { unit: 'bag', toBase: 50 },
    ],
    aliases: [...en('salt', 'iodized salt'), ...rom('nun', 'noon', 'aayo nun'), ...ne('नुन', 'आयो नुन')],
  },
  {
    sku: 'ATTA',
    name: 'Atta',
    category: 'flour',
    baseUnit: 'kg',
    conversions: [
      { unit: 'bag', toBase: 25 },
      { unit: 'packet', toBase: 5 },
    ],
    aliases: [...en('wheat flour', 'flour'), ...rom('aata', 'pitho', 'gahu ko pitho'), ...ne('आटा', 'पिठो')],
  },
  {
    sku: 'MAIDA',
    name: 'Maida',
    category: 'flour',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 25 }],
    aliases: [...en('refined flour', 'white flour'), ...rom('maida pitho'), ...ne('मैदा')],
  },
  {
    sku: 'NDL-WAIWAI',
    name: 'Wai Wai Chicken Noodles',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 30 }],
    aliases: [...en('wai wai', 'waiwai', 'wai wai chicken'), ...ne('वाइवाइ', 'वाई वाई')],
  },
  {
    sku: 'NDL-WAIWAI-VEG',
    name: 'Wai Wai Veg Noodles',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 30 }],
    aliases: [...en('wai wai veg', 'waiwai veg'), ...ne('वाइवाइ भेज')],
  },
  {
    sku: 'NDL-RARA',
    name: 'Rara Noodles',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 30 }],
    aliases: [...en('rara'), ...ne('रारा')],
  },
  {
    sku: 'NDL-CURRENT',
    name: 'Ruchee Current Noodles',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 24 }],
    aliases: [...en('current', 'current noodles'), ...rom('karent'), ...ne('करेन्ट')],
  },
  {
    sku: 'NDL-MAYOS',
    name: 'Mayos Noodles',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 30 }],
    aliases: [...en('mayos'), ...ne('मायोस')],
  },
  {
    sku: 'BIS-MARIE',
    name: 'Marie Biscuit',
    category: 'biscuits',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 48 }],
    aliases: [...en('marie', 'mari biscuit'), ...ne('मारी बिस्कुट', 'मारी')],
  },
  {
    sku: 'BIS-GLUCOSE',
    name: 'Glucose Biscuit',
    category: 'biscuits',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 48 }],
    aliases: [...en('glucose', 'gluco biscuit'), ...ne('ग्लुकोज बिस्कुट')],
  },
  {
    sku: 'BIS-COCONUT',
    name: 'Nebico Coconut Biscuit',
    category: 'biscuits',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 48 }],
    aliases: [...en('coconut biscuit', 'nebico coconut'), ...rom('nariwal biscuit'), ...ne('नरिवल बिस्कुट')],
  },
  {
    sku: 'SOAP-LUX',
    name: 'Lux Soap',
    category: 'soap',
    baseUnit: 'piece',
    conversions: [{ unit: 'carton', toBase: 72 }],
    aliases: [...en('lux'), ...rom('lux sabun'), ...ne('लक्स', 'लक्स साबुन')],
  },
  {
    sku: 'SOAP-LIFEBUOY',
    name: 'Lifebuoy Soap',
    category: 'soap',
    baseUnit: 'piece',
    conversions: [{ unit: 'carton', toBase: 72 }],
    aliases: [...en('lifebuoy'), ...rom('laifboy', 'lifebuoy sabun'), ...ne('लाइफबोय')],
  },
  {
    sku: 'DET-WHEEL',
    name: 'Wheel Detergent Powder',
    category: 'soap',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 24 }],
    aliases: [...en('wheel', 'wheel powder', 'detergent'), ...rom('luga dhune powder'), ...ne('ह्वील पाउडर')],
  },
  {
    sku: 'TEA-TOKLA',
    name: 'Tokla Tea',
    category: 'beverages',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 40 }],
    aliases: [...en('tea', 'tokla'), ...rom('chiya', 'chia', 'tokla chiya'), ...ne('चिया', 'टोकला चिया')],
  },
  {
    sku: 'TEA-GREEN',
    name: 'Ilam Green Tea',
    category: 'beverages',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 40 }],
    aliases: [...en('green tea'), ...rom('hariyo chiya'), ...ne('ग्रीन टी', 'हरियो चिया')],
  },
  {
    sku: 'COKE',
    name: 'Coca-Cola',
    category: 'beverages',
    baseUnit: 'bottle',
    conversions: [{ unit: 'carton', toBase: 12 }],
    aliases: [...en('coke', 'coca cola'), ...ne('कोक', 'कोकाकोला')],
  },
  {
    sku: 'EGG',
    name: 'Eggs',
    category: 'dairy',
    baseUnit: 'piece',
    conversions: [{ unit: 'carton', toBase: 30 }],
    aliases: [...en('egg'), ...rom('anda', 'phul'), ...ne('अण्डा', 'फुल')],
  },
  {
    sku: 'MATCHBOX',
    name: 'Matchbox',
    category: 'household',
    baseUnit: 'box',
    conversions: [{ unit: 'packet', toBase: 10 }],
    aliases: [...en('match', 'matches', 'match box'), ...rom('salai'), ...ne('सलाई')],
  },
  {
    sku: 'TOOTHPASTE',
    name: 'Colgate Toothpaste',
    category: 'household',
    baseUnit: 'piece',
    conversions: [{ unit: 'carton', toBase: 48 }],
    aliases: [...en('colgate', 'toothpaste'), ...rom('manjan'), ...ne('कोलगेट', 'मन्जन')],
  },
  {
    sku: 'TURMERIC',
    name: 'Turmeric Powder',
    category: 'spices',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 100 }],
    aliases: [...en('haldi', 'turmeric'), ...rom('besar'), ...ne('बेसार')],
  },
  {
    sku: 'CHILLI',
    name: 'Chilli Powder',
    category: 'spices',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 100 }],
    aliases: [...en('chilli', 'red chilli powder'), ...rom('khursani', 'khursani dhulo'), ...ne('खुर्सानी')],
  },
  {
    sku: 'SOYA-CHUNKS',
    name: 'Soya Chunks',
    category: 'staples',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 40 }],
    aliases: [...en('soya', 'nutrela'), ...rom('soya badi'), ...ne('सोया', 'सोयाबडी')],
  },
];

const EPOCH = new Date('2025-01-01T00:00:00.000Z');

/** The corpus catalog, built fresh on each call (ids are fixed so results are reproducible). */
export function corpusCatalog(): Product[] {
  return INPUTS.map((input, i) => {
    const id = `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}` as ProductId;
    return createProduct(input, id, EPOCH);
  });
}
