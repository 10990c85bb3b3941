/** A date-time with no offset ("2025-03-01T09:30:00", "2025-03-01 09:30"). */
const NO_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * A vendor's date or date-time as ISO 8601 UTC, or null when empty or not a date. A date-time without an
 * offset is read as UTC (as a date alone already is), so the result never depends on the server's time zone.
 */
export function parseVendorTime(v: string | null | undefined): string | null {
  const text = v?.trim() ?? '';
  if (text === '') return null;
  const t = Date.parse(NO_OFFSET.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
