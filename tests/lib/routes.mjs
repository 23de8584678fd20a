// The route tables as the source declares them: every area's `routes[]`
// rows under src/ (a row is `{M_GET, "/api/v1/...", ...}`), so tests can
// check that the server and its OpenAPI document serve exactly these.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SRC = new URL('../../src/', import.meta.url).pathname;

function cFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cFiles(join(dir, e.name)) : e.name.endsWith('.c') ? [join(dir, e.name)] : []);
}

/** [{method, path, file}] of every route row in src/. */
export function routeTable() {
  return cFiles(SRC).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/\{\s*M_(GET|POST|PUT|PATCH|DELETE)\s*,\s*"(\/api\/[^"]*)"/g)]
      .map((m) => ({ method: m[1], path: m[2], file: f.slice(SRC.length) })));
}
