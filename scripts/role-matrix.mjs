#!/usr/bin/env node
// Prints the role matrix of the API as a Markdown table, generated from the
// route tables (through `ganxun openapi`): one row per operation, one column
// per role; ✓ allowed, ✓ᵘ allowed within the caller's data scope (x-scoped),
// blank refused (403). docs/security.md embeds this output between the
// role-matrix markers, and a test fails when the two differ.
//   node scripts/role-matrix.mjs [path/to/ganxun]
import { execFileSync } from 'node:child_process';

const bin = process.argv[2] || process.env.GANXUN_BIN || 'build/ganxun';
const doc = JSON.parse(execFileSync(bin, ['openapi'], { encoding: 'utf8' }));
const roles = ['sysadmin', 'secadmin', 'auditor', 'orgadmin', 'instadmin', 'liaison', 'advisor', 'lecturer', 'trainee'];

export function matrix(d = doc) {
  const rows = [];
  for (const [path, item] of Object.entries(d.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const who = op['x-roles'];
      const allowed = who === 'public' || who === 'any logged-in user' ? roles : JSON.parse(who);
      const mark = op['x-scoped'] ? '✓ᵘ' : '✓';
      const cells = roles.map((r) => (allowed.includes(r) ? mark : ''));
      const tag = who === 'public' ? ' (public)' : '';
      rows.push(`| \`${method.toUpperCase()} ${path.replace('/api/v1', '')}\`${tag} | ${op.summary} | ${cells.join(' | ')} |`);
    }
  }
  rows.sort();
  return [
    `| operation | 用途 | ${roles.join(' | ')} |`,
    `|---|---|${roles.map(() => '---').join('|')}|`,
    ...rows,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(matrix());
