/** A plain object (not null, not an array), for poking at the untyped SDK and framework values. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
