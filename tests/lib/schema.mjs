// Every JSON answer the test client receives is checked against the response
// schema that the server's own OpenAPI document declares for that route
// (components.schemas, generated from the areas' tables). A field the server
// stops sending, or sends without declaring, fails the test that saw it; the
// web's TypeScript types are generated from the same document.
import { execFileSync } from 'node:child_process';

let doc = null;
let ops = null;

function load(bin) {
  if (doc) return;
  doc = JSON.parse(execFileSync(bin, ['openapi'], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const re = new RegExp('^' + path.replace(/\{id\d*\}/g, '[1-9][0-9]*') + '$');
    for (const [method, op] of Object.entries(item)) ops.push({ re, method: method.toUpperCase(), op });
  }
}

function resolve(s) {
  while (s && s.$ref) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')];
  return s;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

/** Problems of value v against schema s, as "path: message" strings. */
export function check(s, v, at = '$', out = []) {
  s = resolve(s);
  if (!s) return out;
  if (s.type) {
    const want = Array.isArray(s.type) ? s.type : [s.type];
    const got = typeOf(v);
    if (!want.includes(got) && !(got === 'integer' && want.includes('number'))) {
      out.push(`${at}: ${got}, schema says ${want.join('|')}`);
      return out;
    }
  }
  if (s.enum && !s.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
  if (s.format === 'date' && typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) out.push(`${at}: ${v} is not a date`);
  if (typeOf(v) === 'object') {
    for (const k of s.required || []) if (!(k in v)) out.push(`${at}: required "${k}" missing`);
    for (const [k, x] of Object.entries(v)) {
      if (s.properties && k in s.properties) check(s.properties[k], x, `${at}.${k}`, out);
      else if (s.additionalProperties === false) out.push(`${at}: "${k}" is not in the schema`);
      else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, x, `${at}.${k}`, out);
    }
  }
  if (typeOf(v) === 'array' && s.items) v.forEach((x, i) => check(s.items, x, `${at}[${i}]`, out));
  return out;
}

/** Throws when a JSON answer does not match the route's declared schema. */
export function checkResponse(bin, method, path, status, json) {
  load(bin);
  const p = path.split('?')[0];
  const m = ops.find((o) => o.method === (method === 'HEAD' ? 'GET' : method) && o.re.test(p));
  if (!m || json === null || json === undefined) return;
  let schema;
  if (status >= 200 && status < 300) {
    const r = m.op.responses[String(status)];
    if (!r) throw new Error(`${method} ${p}: status ${status} is not declared (declared: ${Object.keys(m.op.responses)})`);
    schema = r.content?.['application/json']?.schema;
  } else {
    schema = m.op.responses.default?.content?.['application/json']?.schema;
  }
  if (!schema) return;
  const problems = check(schema, json);
  if (problems.length) throw new Error(`${method} ${p} ${status}: answer does not match its OpenAPI schema:\n  ${problems.slice(0, 10).join('\n  ')}`);
}
