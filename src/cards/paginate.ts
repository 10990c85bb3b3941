/** Rows per card page: keeps cards short on mobile and far below any size limit. */
export const PAGE_SIZE = 8;

export interface Page<T> {
  items: T[];
  /** The page shown (0-based), clamped into range. */
  page: number;
  pageCount: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previousPage: number;
  nextPage: number;
  /** "page 2 of 3", or "" when everything fits on one page. */
  label: string;
}

export function paginate<T>(items: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const wanted = Number.isInteger(page) ? page : 0;
  const p = Math.min(Math.max(0, wanted), pageCount - 1);
  return {
    items: items.slice(p * size, (p + 1) * size),
    page: p,
    pageCount,
    hasPrevious: p > 0,
    hasNext: p < pageCount - 1,
    previousPage: Math.max(0, p - 1),
    nextPage: Math.min(pageCount - 1, p + 1),
    label: pageCount > 1 ? `page ${p + 1} of ${pageCount}` : '',
  };
}
