/**
 * What a view function makes of a card's data: the values the template binds (already escaped and
 * formatted: strings for text, booleans for `$when`, numbers only for page fields in submit data) and
 * the lines of the markdown fallback, built from the same values.
 */
export interface CardView {
  view: Record<string, unknown>;
  fallback: string[];
}

/** Paging values every paged template binds as `paging.*`. */
export function pagingView(p: {
  hasPrevious: boolean;
  hasNext: boolean;
  previousPage: number;
  nextPage: number;
}): Record<string, unknown> {
  return {
    hasPrevious: p.hasPrevious,
    hasNext: p.hasNext,
    previousPage: p.previousPage,
    nextPage: p.nextPage,
  };
}

/** A title line with an optional suffix ("· page 2 of 3"). */
export function withPage(text: string, label: string): string {
  return label ? `${text} · ${label}` : text;
}
