import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { numberWord, numeral } from './number-words.js';
import { splitSegments } from './segment-splitter.js';
import { editSimilarity, levenshtein, wordSimilarity } from './similarity.js';
import { matchKey, ocrVariants, toAsciiDigits } from './text-normalize.js';
import { unitWord } from './unit-words.js';

test('Devanagari digits become ASCII digits', () => {
  assert.is(toAsciiDigits('चामल २५ बोरा, १०.५'), 'चामल 25 बोरा, 10.5');
});

test('spelling keys fold romanized and Devanagari variants together', () => {
  assert.is(matchKey('chaamal'), matchKey('chamal'));
  assert.is(matchKey('cheeni'), matchKey('chini'));
  assert.is(matchKey('daal'), matchKey('dal'));
  assert.is(matchKey('vai'), matchKey('wai'));
  assert.is(matchKey('चीनी'), matchKey('चिनी'));
});

test('OCR digits read as letters', () => {
  assert.equal(ocrVariants('0il'), ['oil']);
  assert.ok(ocrVariants('r1ce').includes('rice'));
  assert.ok(ocrVariants('sa1t').includes('salt'));
});

test('edit distance and word similarity', () => {
  assert.is(levenshtein('suger', 'sugar'), 1);
  assert.is(levenshtein('', 'abc'), 3);
  assert.is(editSimilarity('abc', 'abc'), 1);
  assert.ok(wordSimilarity('bisc', 'biscuit') > 0.75);
  assert.is(wordSimilarity('tel', 'dal'), 0);
});

test('units: English, romanized and Devanagari spellings', () => {
  const cases: [string, string][] = [
    ['kgs', 'kg'],
    ['kilo', 'kg'],
    ['किलो', 'kg'],
    ['gm', 'g'],
    ['ltr', 'litre'],
    ['liter', 'litre'],
    ['लिटर', 'litre'],
    ['ml', 'ml'],
    ['pcs', 'piece'],
    ['pkt', 'packet'],
    ['प्याकेट', 'packet'],
    ['peti', 'carton'],
    ['ctn', 'carton'],
    ['कार्टुन', 'carton'],
    ['पेटी', 'carton'],
    ['bora', 'bag'],
    ['bori', 'bag'],
    ['बोरा', 'bag'],
    ['darjan', 'dozen'],
    ['दर्जन', 'dozen'],
    ['btl', 'bottle'],
    ['box', 'box'],
    ['ta', 'count'],
    ['tin', 'other'],
  ];
  for (const [word, unit] of cases) assert.is(unitWord(word), unit, word);
  assert.is(unitWord('chamal'), undefined);
});

test('numbers: numerals, fractions and number words', () => {
  assert.is(numeral('2.5'), 2.5);
  assert.is(numeral('1/2'), 0.5);
  assert.is(numeral('1/0'), undefined);
  assert.is(numberWord('dui'), 2);
  assert.is(numberWord('पाँच'), 5);
  assert.is(numberWord('chha'), undefined); // also "is"
  assert.is(numberWord('constructor'), undefined);
});

test('segments: list markers, bullets, separators, thousands', () => {
  assert.equal(splitSegments('1. chamal 2 bora\n2) chini\n- nun\n• tel\n* dal'), [
    'chamal 2 bora',
    'chini',
    'nun',
    'tel',
    'dal',
  ]);
  assert.equal(splitSegments('a 1, b 2; c 3'), ['a 1', 'b 2', 'c 3']);
  assert.equal(splitSegments('sugar 1,000 g'), ['sugar 1000 g']);
  assert.equal(splitSegments('2 kg sugar and salt and pepper'), ['2 kg sugar', 'salt and pepper']);
  assert.equal(splitSegments('salt and pepper 5 packet'), ['salt and pepper 5 packet']);
  assert.equal(splitSegments('chamal 2 bora ra dal'), ['chamal 2 bora', 'dal']);
  assert.equal(splitSegments('2.5 kg chini'), ['2.5 kg chini']);
});

test.run();
