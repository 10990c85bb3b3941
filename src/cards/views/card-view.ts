import type { Markdown } from '../safe-md.js';

/**
 * What a view function makes of a card's data: the values the template binds (already made inert and
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

/** Card-side text of composed markdown (a TextBlock or fact); `.text` is the fallback's. */
export const onCard = (m: Markdown): string => m.card;

/** A row with a title and a detail line: the card binds `title` and `detail`, the fallback reads "- title: detail". */
export interface Row {
  title: Markdown;
  detail: Markdown;
}
export const cardRow = (r: Row): { title: string; detail: string } => ({ title: r.title.card, detail: r.detail.card });
export const fallbackRow = (r: Row): string => `- ${r.title.text}: ${r.detail.text}`;

/** A fact (FactSet entry) whose value is composed markdown. */
export interface Fact {
  title: string;
  value: Markdown;
}
export const cardFact = (f: Fact): { title: string; value: string } => ({ title: f.title, value: f.value.card });
export const fallbackFact = (f: Fact): string => `- ${f.title}: ${f.value.text}`;
