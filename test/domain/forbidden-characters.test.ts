import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonWithoutForbiddenCharacters, withoutForbiddenCharacters } from '../../src/domain/forbidden-characters.ts';

test('every character XML forbids is dropped; tab, line feed, carriage return and other text are kept', () => {
  let forbidden = '';
  for (let c = 0; c < 0x20; c++) if (c !== 0x9 && c !== 0xa && c !== 0xd) forbidden += String.fromCharCode(c);
  forbidden += '\ufffe\uffff';
  assert.equal(withoutForbiddenCharacters(`a${forbidden}b`), 'ab');
  const allowed = 'tab\tLF\nCR\r é β 😀 \u007f \ufffd';
  assert.equal(withoutForbiddenCharacters(allowed), allowed);
  assert.equal(withoutForbiddenCharacters('x\u0000y\u0000z'), 'xyz', 'every occurrence, not only the first');
});

test('JSON: escaped forbidden characters are dropped from every string value, nested ones too; other JSON parses as JSON.parse does', () => {
  const body = JSON.stringify({ name: 'Ada\u0000 Lovelace', list: ['a\u0007', { deep: '\uffffb' }], n: 3, tab: 'x\ty', nul: null });
  assert.ok(body.includes('\\u0000'), 'JSON carries the NUL as an escape');
  assert.deepEqual(parseJsonWithoutForbiddenCharacters(body), { name: 'Ada Lovelace', list: ['a', { deep: 'b' }], n: 3, tab: 'x\ty', nul: null });
  const plain = '{"a":[1,"b",{"c":true}],"d":"\\u00e9\\\\u0000"}';
  assert.deepEqual(parseJsonWithoutForbiddenCharacters(plain), JSON.parse(plain), 'an escaped backslash before "u0000" is text, not a NUL');
  assert.throws(() => parseJsonWithoutForbiddenCharacters('{"a":'), SyntaxError);
});
