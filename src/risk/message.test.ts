// Risk messages fill $field$ tokens from the row; the template is cut once and the result must be what a
// replace over the whole template gives, for any template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMessage } from './message.js';
import { valueToString, type Row } from '../engine/value.js';
import { Rng } from '../sim/rng.js';

/** The rule itself, as one replace over the template. */
function byReplace(template: string, row: Row): string {
  return template.replace(/\$\$|\$([A-Za-z_][A-Za-z0-9_.:-]*)\$/g, (_m, name: string | undefined) => (name === undefined ? '$' : valueToString(row[name], ', ')));
}

test('tokens are filled from the row: multivalue joined, missing empty, $$ a dollar', () => {
  const row: Row = { src: '203.0.113.7', n: 150, methods: ['GET', 'POST'], 'a.b': 'dotted' };
  assert.equal(renderMessage('$src$ sent $n$ requests ($methods$)', row), '203.0.113.7 sent 150 requests (GET, POST)');
  assert.equal(renderMessage('cost $$5 for $missing$.', row), 'cost $5 for .');
  assert.equal(renderMessage('$a.b$$src$', row), 'dotted203.0.113.7');
  assert.equal(renderMessage('no tokens', row), 'no tokens');
  assert.equal(renderMessage('$ 5 $ and $9x$ stay', row), '$ 5 $ and $9x$ stay');
  assert.equal(renderMessage('', row), '');
  assert.equal(renderMessage('$$$src$$$', row), '$203.0.113.7$');
});

test('any template renders as one replace over it renders', () => {
  const g = new Rng(5);
  const pieces = ['$', '$$', 'src', 'n', 'x.y', ' ', 'text', '-', '9', '$src$', '$n$'];
  const row: Row = { src: 'h1', n: 3, 'x.y': ['a', 'b'], text: 'T', '9': 'nine' };
  for (let i = 0; i < 2000; i++) {
    let template = '';
    const k = Math.floor(g.next() * 12);
    for (let j = 0; j < k; j++) template += pieces[Math.floor(g.next() * pieces.length)];
    assert.equal(renderMessage(template, row), byReplace(template, row), JSON.stringify(template));
    // A second time from the cut template.
    assert.equal(renderMessage(template, row), byReplace(template, row), JSON.stringify(template));
  }
});
