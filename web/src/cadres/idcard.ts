// Resident ID numbers (GB 11643): 17 digits + a check character (ISO 7064
// MOD 11-2). Mirrors the server's checks and messages for early hints; the
// server stays the authority.
import { todayText } from '@/common/time';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS = '10X98765432';

/** The check character for the first 17 digits. */
export function idCheckChar(d17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(d17[i]) * WEIGHTS[i]!;
  return CHECKS[sum % 11]!;
}

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export interface IdInfo {
  /** Normalised (upper-case X). */
  number: string;
  birth_date: string;
  /** '1' male, '2' female (GB/T 2261.1). */
  gender: '1' | '2';
}

/** The problem with an ID number (same words as the server), or '' when valid. */
export function idProblem(raw: string, today: string = todayText()): string {
  const s = raw.trim();
  if (!s) return '请填写身份证号';
  if (s.length !== 18) return '身份证号应为 18 位';
  if (!/^\d{17}[\dXx]$/.test(s)) return '身份证号应为 17 位数字加 1 位数字或 X';
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (!validDate(y, m, d) || birth > today) return '身份证号中的出生日期无效';
  if (idCheckChar(s) !== s[17]!.toUpperCase()) return '身份证号校验位错误';
  return '';
}

/** Birth date and gender of a valid ID number; null when it is not valid. */
export function parseId(raw: string, today: string = todayText()): IdInfo | null {
  if (idProblem(raw, today)) return null;
  const s = raw.trim().toUpperCase();
  return {
    number: s,
    birth_date: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
    gender: Number(s[16]) % 2 === 1 ? '1' : '2',
  };
}

/** Mobile 1[3-9]xxxxxxxxx or a landline 0xx(x)-xxxxxxx(x), spaces and dashes allowed (server rule). */
export function phoneProblem(raw: string): string {
  const s = raw.trim();
  if (!s) return '';
  if (!/^[\d\s-]+$/.test(s)) return '电话应为 11 位手机号或带区号的固定电话';
  const d = s.replace(/[\s-]/g, '');
  if (d.length === 11 && /^1[3-9]/.test(d)) return '';
  if (d.length >= 10 && d.length <= 12 && d[0] === '0') return '';
  return '电话应为 11 位手机号或带区号的固定电话';
}
