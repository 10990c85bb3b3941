import type { ErrorCardData } from '../card-data.js';
import { escapeMarkdown, plainText } from '../escape-markdown.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import type { CardView } from './card-view.js';

export const MAX_SUGGESTIONS = 4;

export function errorView(d: ErrorCardData): CardView {
  const suggestions = (d.suggestions ?? []).slice(0, MAX_SUGGESTIONS).map((s) => ({
    title: `${plainText(s.productName, 40)} (${vendorLabel(s.vendor)})`,
    poolId: s.id,
    markdown: `${escapeMarkdown(s.productName, 60)} (${vendorLabel(s.vendor)})`,
  }));
  const view = {
    title: `⚠️ ${escapeMarkdown(d.title, 120)}`,
    message: escapeMarkdown(d.message, 1000),
    hasSuggestions: suggestions.length > 0,
    suggestions,
    hasReference: d.referenceId !== undefined && d.referenceId !== '',
    reference: `Reference: ${escapeMarkdown(d.referenceId ?? '', 80)}`,
  };
  const fallback = [
    `**${view.title}**`,
    view.message,
    ...(suggestions.length > 0 ? [`Did you mean: ${suggestions.map((s) => s.markdown).join(', ')}?`] : []),
    ...(view.hasReference ? [view.reference] : []),
  ];
  return { view, fallback };
}
