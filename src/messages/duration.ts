import type { Lang } from './lang.js';

/**
 * The one duration formatter. `clock` is for running times shown as a clock face (`m:ss`,
 * `h:mm:ss`); `wait` is for "come back in ..." (rounded up to the minute so nobody comes back
 * early), in the reader's language.
 */
export function formatDuration(ms: number, style: 'clock' | 'wait' = 'clock', lang: Lang = 'en') {
  if (style === 'clock') {
    const total = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = String(total % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  }
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const [hour, minute] = lang === 'zh' ? ['小时', '分钟'] : ['h', 'min'];
  if (h === 0) return `${m} ${minute}`;
  return m === 0 ? `${h} ${hour}` : `${h} ${hour} ${m} ${minute}`;
}
