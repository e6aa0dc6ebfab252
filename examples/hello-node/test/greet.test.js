import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { greet } from '../src/greet.js';

describe('greet', () => {
  test('greets by name', () => assert.equal(greet('Ada'), 'Hello, Ada!'));
  test('defaults to world', () => assert.equal(greet(), 'Hello, world!'));
  test('trims and treats blank as world', () => assert.equal(greet('   '), 'Hello, world!'));
  test('refuses markup', () => assert.throws(() => greet('<b>'), RangeError));
  test('refuses long names', () => assert.throws(() => greet('x'.repeat(65)), RangeError));
});
