import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError, type ErrorCode, ErrorCodes } from './errors.js';
import { NOTE_MAX_LENGTH, noteText, requireText } from './text.js';

function codeOf(fn: () => unknown): ErrorCode | 'none' {
  try {
    fn();
    return 'none';
  } catch (e) {
    if (DomainError.is(e)) return e.code;
    throw e;
  }
}

test('issue 8 #7: a note is at most 1,000 characters (VALIDATION.TEXT_TOO_LONG), counted as characters', () => {
  assert.is(
    codeOf(() => noteText('x'.repeat(1024 * 1024))),
    ErrorCodes.TEXT_TOO_LONG,
    '1 MB note',
  );
  assert.is(
    codeOf(() => noteText('x'.repeat(NOTE_MAX_LENGTH + 1))),
    ErrorCodes.TEXT_TOO_LONG,
    '1,001',
  );
  const devanagari = 'क'.repeat(NOTE_MAX_LENGTH);
  assert.is(noteText(devanagari), devanagari, '1,000 Devanagari characters');
  const emoji = '🍚'.repeat(NOTE_MAX_LENGTH); // 2,000 UTF-16 units, 1,000 characters
  assert.is(noteText(emoji), emoji, '1,000 emoji');
  assert.is(noteText('  '), null, 'blank is no note');
});

test('issue 8 #7: control characters and lone surrogates are refused (VALIDATION.INVALID_CHARACTERS)', () => {
  for (const bad of ['a\u0000b', 'a\u0007', 'a\u001bb', 'a\u0085b', 'lone \ud83c', 'lone \udf5a end', '\udf5a\ud83c']) {
    assert.is(
      codeOf(() => noteText(bad)),
      ErrorCodes.INVALID_CHARACTERS,
      JSON.stringify(bad),
    );
    assert.is(
      codeOf(() => requireText(`Shop ${bad}`, 'name')),
      ErrorCodes.INVALID_CHARACTERS,
      JSON.stringify(bad),
    );
  }
  assert.is(noteText('line 1\nline 2\tend\r\n'), 'line 1\nline 2\tend', 'a note keeps its lines');
  assert.is(
    codeOf(() => requireText('Sita\nPasal', 'name')),
    ErrorCodes.INVALID_CHARACTERS,
    'a name is one line',
  );
  assert.is(noteText('चामल 🍚 ल्याउनु'), 'चामल 🍚 ल्याउनु', 'paired surrogates pass');
});

test('issue 8 #7: names keep their bound (200) and say which field is wrong', () => {
  assert.is(requireText('x'.repeat(200), 'name').length, 200);
  assert.is(
    codeOf(() => requireText('x'.repeat(201), 'name')),
    ErrorCodes.TEXT_TOO_LONG,
  );
  assert.is(
    codeOf(() => requireText('   ', 'name')),
    ErrorCodes.TEXT_REQUIRED,
  );
});

test.run();
