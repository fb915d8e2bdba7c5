// Where the seeded shops and vendors are and what they are called. The products they
// trade are core's one Nepali catalog (`@khaacho/core/corpus`).

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
