// Every audit action the server can write has a Chinese label on the audit page.
// The server lists its actions in the OpenAPI document (`x-audit-actions`); the
// web areas keep their labels in web/src/<area>/audit-labels.json (read here
// as plain JSON, no TypeScript toolchain needed). Needs no database.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BIN } from '../lib/server.mjs';

const WEB_SRC = resolve(import.meta.dirname, '../../web/src');

/** Each area's labels file: [{area, labels}]. */
function areaLabels() {
  const out = [];
  for (const area of readdirSync(WEB_SRC, { withFileTypes: true })) {
    const file = join(WEB_SRC, area.name, 'audit-labels.json');
    if (area.isDirectory() && existsSync(file)) out.push({ area: area.name, labels: JSON.parse(readFileSync(file, 'utf8')) });
  }
  return out;
}

describe('audit action labels', () => {
  let serverActions;
  let areas;
  before(() => {
    const doc = JSON.parse(execFileSync(BIN, ['openapi'], { encoding: 'utf8' }));
    serverActions = doc['x-audit-actions'];
    areas = areaLabels();
  });

  it('the OpenAPI document lists the audit actions the server can write', () => {
    assert.ok(Array.isArray(serverActions), 'x-audit-actions is missing from `ganxun openapi`');
    assert.ok(serverActions.length > 0, 'x-audit-actions is empty');
    for (const a of serverActions) assert.match(a, /^[a-z_]+\.[a-z_]+$/, `action ${JSON.stringify(a)}`);
  });

  it('every action the server can write has a label in some web area', () => {
    assert.ok(Array.isArray(serverActions), 'x-audit-actions is missing');
    const labelled = new Map();
    for (const { labels } of areas) for (const [k, v] of Object.entries(labels.actions ?? {})) labelled.set(k, v);
    const missing = serverActions.filter((a) => !labelled.get(a)?.trim());
    assert.deepEqual(missing, [], `audit actions without a label (add them to web/src/<area>/audit-labels.json): ${missing.join(', ')}`);
  });

  it('no area labels an action the server never writes, and none labels one twice', () => {
    assert.ok(Array.isArray(serverActions), 'x-audit-actions is missing');
    const known = new Set(serverActions);
    const seen = new Map();
    for (const { area, labels } of areas) {
      for (const a of Object.keys(labels.actions ?? {})) {
        assert.ok(known.has(a), `web/src/${area}/audit-labels.json labels "${a}", which the server never writes`);
        assert.ok(!seen.has(a), `"${a}" is labelled by both ${seen.get(a)} and ${area}`);
        seen.set(a, area);
      }
    }
  });

  it('the audit page reads every labels file: its area imports it and is listed in areas.ts', () => {
    const areasTs = readFileSync(join(WEB_SRC, 'areas.ts'), 'utf8');
    for (const { area } of areas) {
      const index = join(WEB_SRC, area, 'index.ts');
      assert.ok(existsSync(index), `web/src/${area} has audit-labels.json but no index.ts`);
      assert.match(readFileSync(index, 'utf8'), /from '\.\/audit-labels\.json'/, `web/src/${area}/index.ts does not import audit-labels.json`);
      assert.ok(areasTs.includes(`from '@/${area}'`), `web/src/areas.ts does not list the ${area} area`);
    }
  });

  it('areas that label the same field or entity agree on its name', () => {
    for (const part of ['fields', 'entities']) {
      const seen = new Map();
      for (const { area, labels } of areas) {
        for (const [k, v] of Object.entries(labels[part] ?? {})) {
          const prev = seen.get(k);
          assert.ok(!prev || prev.label === v, `${part} "${k}": "${prev?.label}" in ${prev?.area} but "${v}" in ${area}`);
          seen.set(k, { area, label: v });
        }
      }
    }
  });

  it('each area offers a prefix filter only for its own actions', () => {
    for (const { area, labels } of areas) {
      if (!labels.prefix) continue;
      const { value, label } = labels.prefix;
      assert.ok(label?.trim(), `web/src/${area}: prefix without a label`);
      assert.ok(Object.keys(labels.actions).some((a) => a.startsWith(value)), `web/src/${area}: prefix "${value}" matches none of its actions`);
    }
  });
});
