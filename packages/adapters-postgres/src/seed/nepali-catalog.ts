import type { AliasLanguage, Unit, UnitConversion } from '@khaacho/core';

/** A base product line that the generator expands into brands × pack sizes. */
export interface ProductTemplate {
  readonly code: string;
  readonly name: string;
  readonly category: string;
  readonly baseUnit: Unit;
  readonly conversions: readonly UnitConversion[];
  readonly aliases: readonly { text: string; language: AliasLanguage }[];
  readonly brands: readonly string[];
  readonly sizes: readonly string[];
  /** Typical price per base unit in paisa. */
  readonly basePrice: number;
}

const a = (text: string, language: AliasLanguage) => ({ text, language });

export const PRODUCT_TEMPLATES: readonly ProductTemplate[] = [
  {
    code: 'RICE',
    name: 'Rice',
    category: 'rice',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 25 }],
    aliases: [a('chamal', 'ne-Latn'), a('चामल', 'ne'), a('rice', 'en')],
    brands: ['Jeera Masino', 'Sona Mansuli', 'Basmati', 'Pokhreli', 'Ram Laxman'],
    sizes: ['5kg', '10kg', '25kg'],
    basePrice: 9_500,
  },
  {
    code: 'DAL',
    name: 'Lentils',
    category: 'pulses',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 30 }],
    aliases: [a('dal', 'ne-Latn'), a('दाल', 'ne'), a('lentil', 'en')],
    brands: ['Masoor', 'Mung', 'Rahar', 'Chana', 'Maas'],
    sizes: ['1kg', '5kg', '30kg'],
    basePrice: 16_000,
  },
  {
    code: 'OIL',
    name: 'Mustard Oil',
    category: 'oil',
    baseUnit: 'litre',
    conversions: [{ unit: 'carton', toBase: 12 }],
    aliases: [a('tori ko tel', 'ne-Latn'), a('तोरीको तेल', 'ne'), a('mustard oil', 'en')],
    brands: ['Dhara', 'Fortune', 'Nepal Tori', 'Surya'],
    sizes: ['500ml', '1L', '5L'],
    basePrice: 30_000,
  },
  {
    code: 'SUGAR',
    name: 'Sugar',
    category: 'sugar',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 50 }],
    aliases: [a('chini', 'ne-Latn'), a('चिनी', 'ne'), a('sugar', 'en')],
    brands: ['Mahalaxmi', 'Indira', 'Everest'],
    sizes: ['1kg', '5kg', '50kg'],
    basePrice: 11_000,
  },
  {
    code: 'SALT',
    name: 'Iodised Salt',
    category: 'salt',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 50 }],
    aliases: [a('nun', 'ne-Latn'), a('नुन', 'ne'), a('salt', 'en')],
    brands: ['Aayo Nun', 'Tata', 'Nepal Salt Trading'],
    sizes: ['500g', '1kg'],
    basePrice: 3_000,
  },
  {
    code: 'NOOD',
    name: 'Instant Noodles',
    category: 'noodles',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 30 }],
    aliases: [a('chauchau', 'ne-Latn'), a('चाउचाउ', 'ne'), a('noodles', 'en')],
    brands: ['Wai Wai', 'Rara', 'Mayos', 'Preeti', 'Ru Ru'],
    sizes: ['75g', '120g'],
    basePrice: 2_500,
  },
  {
    code: 'BISC',
    name: 'Biscuits',
    category: 'biscuits',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 48 }],
    aliases: [a('biskut', 'ne-Latn'), a('बिस्कुट', 'ne'), a('biscuit', 'en')],
    brands: ['Nebico', 'Parle-G', 'Good Day', 'Hello'],
    sizes: ['70g', '150g'],
    basePrice: 2_000,
  },
  {
    code: 'SOAP',
    name: 'Bathing Soap',
    category: 'soap',
    baseUnit: 'piece',
    conversions: [
      { unit: 'box', toBase: 72 },
      { unit: 'dozen', toBase: 12 },
    ],
    aliases: [a('sabun', 'ne-Latn'), a('साबुन', 'ne'), a('soap', 'en')],
    brands: ['Lux', 'Lifebuoy', 'Dettol', 'Santoor'],
    sizes: ['75g', '125g'],
    basePrice: 5_500,
  },
  {
    code: 'TEA',
    name: 'Tea',
    category: 'tea',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 40 }],
    aliases: [a('chiya', 'ne-Latn'), a('चिया', 'ne'), a('tea', 'en')],
    brands: ['Ilam', 'Tokla', 'Gorkha', 'Mai Valley'],
    sizes: ['100g', '250g', '500g'],
    basePrice: 18_000,
  },
  {
    code: 'ATTA',
    name: 'Wheat Flour',
    category: 'flour',
    baseUnit: 'kg',
    conversions: [{ unit: 'bag', toBase: 25 }],
    aliases: [a('aata', 'ne-Latn'), a('पीठो', 'ne'), a('flour', 'en')],
    brands: ['Shree', 'Sagun', 'Bhagwati'],
    sizes: ['2kg', '5kg', '25kg'],
    basePrice: 7_500,
  },
  {
    code: 'GHEE',
    name: 'Ghee',
    category: 'dairy',
    baseUnit: 'litre',
    conversions: [{ unit: 'carton', toBase: 12 }],
    aliases: [a('ghiu', 'ne-Latn'), a('घिउ', 'ne'), a('ghee', 'en')],
    brands: ['DDC', 'Sujal', 'Amul'],
    sizes: ['500ml', '1L'],
    basePrice: 120_000,
  },
  {
    code: 'SPICE',
    name: 'Spices',
    category: 'spices',
    baseUnit: 'packet',
    conversions: [{ unit: 'carton', toBase: 100 }],
    aliases: [a('masala', 'ne-Latn'), a('मसला', 'ne'), a('spices', 'en')],
    brands: ['Everest', 'Ganesh', 'MDH', 'Shiva'],
    sizes: ['50g', '100g', '200g'],
    basePrice: 6_000,
  },
];

/** Kathmandu valley wards and towns elsewhere, with rough coordinates. */
export const AREAS: readonly { area: string; district: string; lat: number; lng: number }[] = [
  ...Array.from({ length: 32 }, (_, i) => ({
    area: `kathmandu-${i + 1}`,
    district: 'kathmandu',
    lat: 27.7 + (i % 8) * 0.006,
    lng: 85.3 + Math.floor(i / 8) * 0.01,
  })),
  ...Array.from({ length: 29 }, (_, i) => ({
    area: `lalitpur-${i + 1}`,
    district: 'lalitpur',
    lat: 27.66 + (i % 6) * 0.005,
    lng: 85.31 + Math.floor(i / 6) * 0.008,
  })),
  ...Array.from({ length: 10 }, (_, i) => ({
    area: `bhaktapur-${i + 1}`,
    district: 'bhaktapur',
    lat: 27.67 + i * 0.003,
    lng: 85.42 + i * 0.002,
  })),
  { area: 'kirtipur', district: 'kathmandu', lat: 27.678, lng: 85.277 },
  { area: 'pokhara', district: 'kaski', lat: 28.2096, lng: 83.9856 },
  { area: 'bharatpur', district: 'chitwan', lat: 27.6833, lng: 84.4333 },
  { area: 'butwal', district: 'rupandehi', lat: 27.7006, lng: 83.4483 },
  { area: 'biratnagar', district: 'morang', lat: 26.4525, lng: 87.2718 },
  { area: 'dharan', district: 'sunsari', lat: 26.8065, lng: 87.2846 },
  { area: 'hetauda', district: 'makwanpur', lat: 27.4287, lng: 85.0322 },
  { area: 'janakpur', district: 'dhanusha', lat: 26.7288, lng: 85.9263 },
  { area: 'nepalgunj', district: 'banke', lat: 28.05, lng: 81.6167 },
  { area: 'dhangadhi', district: 'kailali', lat: 28.6833, lng: 80.6 },
];

export const SHOP_WORDS = ['Kirana', 'Pasal', 'Store', 'Suppliers', 'Traders', 'Mart', 'General Store', 'Bhandar'];
export const SHOP_NAMES = [
  'Laxmi',
  'Ganesh',
  'Shree',
  'Sagarmatha',
  'Himalayan',
  'Annapurna',
  'Bishal',
  'Namaste',
  'Pashupati',
  'Janaki',
  'Buddha',
  'Everest',
  'Manakamana',
  'Siddhartha',
  'Kalika',
];
