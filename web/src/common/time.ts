// Times in the API are epoch seconds; the UI always shows them in Asia/Shanghai.

export const TIME_ZONE = 'Asia/Shanghai';
/** Asia/Shanghai has had a fixed UTC+8 offset (no DST) since 1991. */
const SHANGHAI_OFFSET_SECONDS = 8 * 3600;

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function pieces(epochSeconds: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of parts.formatToParts(new Date(epochSeconds * 1000))) out[p.type] = p.value;
  return out;
}

/** YYYY-MM-DD HH:mm:ss in Asia/Shanghai; '—' for null. */
export function formatTime(epochSeconds: number | null | undefined): string {
  if (epochSeconds === null || epochSeconds === undefined || !Number.isFinite(epochSeconds)) return '—';
  const p = pieces(epochSeconds);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** YYYY-MM-DD HH:mm in Asia/Shanghai. */
export function formatMinute(epochSeconds: number | null | undefined): string {
  const s = formatTime(epochSeconds);
  return s === '—' ? s : s.slice(0, 16);
}

/** Hour of day (0–23) in Asia/Shanghai for an epoch-seconds instant. */
export function shanghaiHour(epochSeconds: number): number {
  return Number(pieces(epochSeconds).hour);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A date picker hands back a Date whose wall-clock fields (in the browser's
 * zone) are what the user picked; read them as Asia/Shanghai wall-clock time.
 */
export function pickedToEpoch(d: Date): number {
  const utc = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds());
  return Math.floor(utc / 1000) - SHANGHAI_OFFSET_SECONDS;
}

/** Inverse of pickedToEpoch: a Date whose local wall-clock fields show the Shanghai time. */
export function epochToPicked(epochSeconds: number): Date {
  const p = pieces(epochSeconds);
  return new Date(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
}

/** Today as YYYY-MM-DD in Asia/Shanghai. */
export function todayText(): string {
  const p = pieces(nowSeconds());
  return `${p.year}-${p.month}-${p.day}`;
}
