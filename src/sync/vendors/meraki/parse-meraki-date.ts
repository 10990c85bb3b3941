/**
 * Meraki dates as ISO 8601 UTC, or null when the text is not a date.
 * Accepts ISO 8601 (what /licenses and subscriptions send) and the co-term overview's "Feb 8, 2020 UTC"
 * (also "February 8, 2020 UTC", "Feb 08, 2020", "Sep. 8, 2020 GMT"). Calendar-checked: "Feb 30, 2020" is null.
 */
const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const FULL_NAMES: readonly string[] = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

/** The shape Meraki sends for almost every license date: 2019-08-29T12:40:10Z. */
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)Z$/;

export function parseMerakiDate(value: string): string | null {
  const fast = CANONICAL.exec(value);
  if (fast !== null) {
    const month = Number(fast[2]);
    const day = Number(fast[3]);
    return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(Number(fast[1]), month) ? `${value.slice(0, 19)}.000Z` : null;
  }
  const text = value.trim();
  const human = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(?:UTC|GMT|Z))?$/.exec(text);
  if (human !== null) {
    const name = (human[1] ?? '').toLowerCase();
    const month = MONTHS[name] ?? (FULL_NAMES.indexOf(name) + 1 || undefined);
    if (month === undefined) return null;
    const day = Number(human[2]);
    const year = Number(human[3]);
    if (day < 1 || day > daysIn(year, month)) return null;
    return new Date(Date.UTC(year, month - 1, day)).toISOString();
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (iso === null) return null;
  const year = Number(iso[1]);
  const month = Number(iso[2]);
  const day = Number(iso[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (Number(iso[4] ?? 0) > 23 || Number(iso[5] ?? 0) > 59 || Number(iso[6] ?? 0) > 59) return null;
  // A date-time without an offset is read as UTC, as Meraki documents all its times.
  const normalized = iso[4] === undefined ? `${iso[1]}-${iso[2]}-${iso[3]}T00:00:00Z` : iso[7] === undefined ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
