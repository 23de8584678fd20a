// Client-side mirror of the password policy. The rules themselves come from
// GET /auth/password-rules (the security administrator may change them); the
// server stays the authority: these checks only give early hints, and its
// field errors win.
import { reactive } from 'vue';
import { api } from '@/api/client';
import type { PasswordRules } from '@/api/types';

/** Used until the server's rules have arrived (the server's defaults). */
export const DEFAULT_MIN_LENGTH = 10;
export const MAX_BYTES = 128;

/** The rules in force; replaced by the server's answer once loaded. */
export const passwordRules = reactive<PasswordRules & { loaded: boolean }>({
  min_length: DEFAULT_MIN_LENGTH,
  max_bytes: MAX_BYTES,
  min_classes: 3,
  no_username: true,
  loaded: false,
});

let rulesPromise: Promise<void> | null = null;

/** Fetches the rules once per page load (again after a failure). */
export function loadPasswordRules(): Promise<void> {
  if (!rulesPromise) {
    rulesPromise = api
      .get<PasswordRules>('/auth/password-rules', { quiet: true })
      .then((r) => {
        Object.assign(passwordRules, r, { loaded: true });
      })
      .catch(() => {
        rulesPromise = null;
      });
  }
  return rulesPromise;
}

const CLASS_WORDS = ['一', '两', '三', '四'];

export interface PolicyCheck {
  key: string;
  label: string;
  ok: boolean;
}

function classes(pw: string): number {
  let n = 0;
  if (/[a-z]/.test(pw)) n++;
  if (/[A-Z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^A-Za-z0-9]/.test(pw)) n++;
  return n;
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Each rule and whether `pw` satisfies it. */
interface CheckOptions {
  username?: string;
  oldPassword?: string;
}

function classesLabel(n: number): string {
  return `包含小写字母、大写字母、数字、符号中的至少${CLASS_WORDS[Math.min(Math.max(n, 1), 4) - 1]}类`;
}

export function checkPassword(pw: string, opts: CheckOptions = {}): PolicyCheck[] {
  const min = passwordRules.min_length;
  const maxBytes = passwordRules.max_bytes;
  const checks: PolicyCheck[] = [
    {
      key: 'length',
      label: `至少 ${min} 个字符，最长 ${maxBytes} 字节`,
      ok: [...pw].length >= min && byteLength(pw) <= maxBytes,
    },
  ];
  if (passwordRules.min_classes > 1) {
    checks.push({
      key: 'classes',
      label: classesLabel(passwordRules.min_classes),
      ok: classes(pw) >= passwordRules.min_classes,
    });
  }
  if (opts.username !== undefined && passwordRules.no_username) {
    const u = opts.username.trim().toLowerCase();
    checks.push({
      key: 'username',
      label: '不能包含用户名',
      ok: pw.length > 0 && (u === '' || !pw.toLowerCase().includes(u)),
    });
  }
  if (opts.oldPassword !== undefined) {
    checks.push({ key: 'old', label: '不能与原密码相同', ok: pw.length > 0 && pw !== opts.oldPassword });
  }
  return checks;
}

/** First broken rule as a sentence, or '' when all pass. */
export function passwordProblem(pw: string, opts: CheckOptions = {}): string {
  const bad = checkPassword(pw, opts).find((c) => !c.ok);
  if (!bad) return '';
  switch (bad.key) {
    case 'length':
      return `密码长度需至少 ${passwordRules.min_length} 个字符，且不超过 ${passwordRules.max_bytes} 字节`;
    case 'classes':
      return '密码需' + classesLabel(passwordRules.min_classes);
    case 'username':
      return '密码不能包含用户名';
    default:
      return '新密码不能与原密码相同';
  }
}

const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '#%+-=@_!?*';

function pick(set: string): string {
  const buf = new Uint32Array(1);
  // Rejection sampling keeps the choice uniform.
  const limit = Math.floor(0x100000000 / set.length) * set.length;
  do crypto.getRandomValues(buf);
  while (buf[0]! >= limit);
  return set[buf[0]! % set.length]!;
}

/**
 * A random password that satisfies the policy: all four classes, no easily
 * confused characters (0/O, 1/l/I), never containing the username.
 */
export function generatePassword(username = '', length = 16): string {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  for (;;) {
    const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
    while (chars.length < Math.max(length, passwordRules.min_length)) chars.push(pick(all));
    shuffle(chars);
    const pw = chars.join('');
    if (passwordProblem(pw, { username }) === '') return pw;
  }
}

/** Fisher–Yates with a uniform CSPRNG index. */
function shuffle<T>(arr: T[]): void {
  const buf = new Uint32Array(1);
  for (let i = arr.length - 1; i > 0; i--) {
    const n = i + 1;
    const limit = Math.floor(0x100000000 / n) * n;
    do crypto.getRandomValues(buf);
    while (buf[0]! >= limit);
    const j = buf[0]! % n;
    [arr[i], arr[j]] = [arr[j]!, arr[i]!];
  }
}
