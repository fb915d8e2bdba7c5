import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestWorld } from '../testing/test-world.js';
import { REPOSITORIES, REPOSITORY_TOKENS } from '../ports/repositories.js';
import { USE_CASE_TOKENS, USE_CASES } from '../application/use-cases.js';
import { CLOCK } from './clock.js';
import { ID_GENERATOR } from './ids.js';
import { type Token, token, tokenMap } from './token.js';

test('a token is the globally registered symbol khaacho.<name>', () => {
  assert.is(token('Clock'), Symbol.for('khaacho.Clock'));
  assert.is(CLOCK, Symbol.for('khaacho.Clock'));
  assert.is(typeof ID_GENERATOR, 'symbol');
});

test('tokenMap gives one token per key, named as given', () => {
  const map = tokenMap<{ a: number; b: string }>({ a: 'A', b: 'B' });
  assert.equal(Object.keys(map), ['a', 'b']);
  assert.is(map.a, Symbol.for('khaacho.A'));
  assert.ok(Object.isFrozen(map));
  // @ts-expect-error a Token<number> does not name a string
  const wrong: Token<string> = map.a;
  assert.ok(wrong);
});

test('every use case createUseCases builds has exactly one token, all distinct', () => {
  const { useCases } = createTestWorld();
  assert.equal(Object.keys(USE_CASE_TOKENS).sort(), Object.keys(useCases).sort());
  const all = [USE_CASES, ...Object.values(USE_CASE_TOKENS)];
  assert.is(new Set(all).size, all.length);
  assert.is(USE_CASE_TOKENS.placeOrder, Symbol.for('khaacho.PlaceOrder'));
});

test('every repository of the in-memory Repositories has a token, all distinct', () => {
  const { repos } = createTestWorld();
  assert.equal(Object.keys(REPOSITORY_TOKENS).sort(), Object.keys(repos).sort());
  const all = [REPOSITORIES, ...Object.values(REPOSITORY_TOKENS)];
  assert.is(new Set(all).size, all.length);
});

test.run();
