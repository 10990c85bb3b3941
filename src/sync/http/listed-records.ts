/**
 * The records a page lists, for telling pages apart: a bare array as it is, an envelope's arrays (`items`,
 * `data`, `users`, …) together. Empty when the page lists nothing (an empty page says nothing about a loop).
 */
export function listedRecords(data: unknown): readonly unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data !== 'object' || data === null) return [];
  const lists = Object.values(data).filter((v): v is unknown[] => Array.isArray(v));
  return lists.some((l) => l.length > 0) ? lists : [];
}
