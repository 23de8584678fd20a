// The role matrix in docs/security.md is the one the route tables give
// (scripts/role-matrix.mjs): a route whose roles change changes the document.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BIN } from '../lib/server.mjs';

describe('role matrix', () => {
  it('docs/security.md shows the matrix of the route tables', () => {
    const want = execFileSync('node', ['scripts/role-matrix.mjs', BIN], { encoding: 'utf8' }).trim();
    const doc = readFileSync('docs/security.md', 'utf8');
    const m = doc.match(/<!-- role-matrix -->\n([\s\S]*?)\n<!-- \/role-matrix -->/);
    assert.ok(m, 'docs/security.md has the role-matrix markers');
    assert.equal(m[1].trim(), want, 'regenerate with: node scripts/role-matrix.mjs > the section in docs/security.md');
  });
});
