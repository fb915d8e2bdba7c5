import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { parseMigrate, UsageError } from './usage.js';

test('migrate actions and their flags', () => {
  assert.equal(parseMigrate([]), { action: 'status' });
  assert.equal(parseMigrate(['up']), { action: 'up' });
  assert.equal(parseMigrate(['down']), { action: 'down', steps: 1 });
  assert.equal(parseMigrate(['down', '--steps', '3']), { action: 'down', steps: 3 });
  assert.equal(parseMigrate(['down', '--steps=2']), { action: 'down', steps: 2 });
  assert.equal(parseMigrate(['down', '--all']), { action: 'down', steps: 'all' });
});

test('issue 8 #5: --steps abc, -1, 0, 1.5, unknown flags and stray words are usage errors, not a silent no-op', () => {
  for (const args of [
    ['down', '--steps', 'abc'],
    ['down', '--steps', '-1'],
    ['down', '--steps=-1'],
    ['down', '--steps', '0'],
    ['down', '--steps', '1.5'],
    ['down', '--steps', ''],
    ['down', '--steps', '1', '--all'],
    ['down', '--step', '1'],
    ['down', 'now'],
    ['up', '--steps', '1'],
    ['sideways'],
  ]) {
    assert.throws(
      () => parseMigrate(args),
      (e: unknown) => e instanceof UsageError,
      args.join(' '),
    );
  }
});

test.run();
