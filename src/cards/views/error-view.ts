import type { ErrorCardData } from '../card-data.js';
import { userText, safeMd } from '../safe-md.js';
import type { CardView } from './card-view.js';
import { poolChoiceTitle, poolTitle } from './summary-view.js';

export const MAX_SUGGESTIONS = 4;

/**
 * An error or refusal, and when the bot has candidates, "did you mean": one candidate is named in full with a
 * "Show its seats" button; several are a list of full names (wrapped, never cut mid-word) to choose from, with
 * one "Show seats" button.
 */
export function errorView(d: ErrorCardData): CardView {
  const suggestions = (d.suggestions ?? []).slice(0, MAX_SUGGESTIONS);
  const [only] = suggestions;
  const one = suggestions.length === 1 && only ? safeMd`Did you mean ${poolTitle(only)}?` : null;
  const title = safeMd`⚠️ ${userText(d.title, 120)}`;
  const message = userText(d.message, 1000);
  const reference = safeMd`Reference: ${userText(d.referenceId ?? '', 80)}`;
  const hasReference = d.referenceId !== undefined && d.referenceId !== '';
  const view = {
    title: title.card,
    message: message.card,
    hasOne: one !== null,
    one: one?.card ?? '',
    onePoolId: only?.id ?? '',
    hasChoices: suggestions.length > 1,
    choices: suggestions.map((s) => ({ title: poolChoiceTitle(s), value: s.id })),
    hasReference,
    reference: reference.card,
  };
  const fallback = [
    `**${title.text}**`,
    message.text,
    ...(one ? [one.text] : []),
    ...(suggestions.length > 1 ? [`Did you mean: ${suggestions.map((s) => poolTitle(s).text).join(', ')}?`] : []),
    ...(hasReference ? [reference.text] : []),
  ];
  return { view, fallback };
}
