/** Helpers to look into rendered cards the way Webex and its users would. */

export type Json = Record<string, unknown>;

export function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json);
    for (const [k, v] of Object.entries(value)) if (k !== 'data') walk(v, visit);
  }
}

/** Every visible text: TextBlocks, facts, input labels and placeholders, choice and button titles. */
export function visibleText(card: unknown): string {
  const out: string[] = [...textBlocks(card)];
  walk(card, (n) => {
    for (const k of ['title', 'label', 'placeholder'] as const) if (typeof n[k] === 'string') out.push(n[k]);
  });
  return out.join('\n');
}

/** Every Action.Submit in a card (actions, ActionSets, ShowCards), with its data ({} when it has none). */
export function submits(card: unknown): { title: string; data: Json }[] {
  const out: { title: string; data: Json }[] = [];
  walk(card, (n) => {
    if (n['type'] === 'Action.Submit') out.push({ title: String(n['title']), data: (n['data'] ?? {}) as Json });
  });
  return out;
}

export function inputs(card: unknown): Json[] {
  const out: Json[] = [];
  walk(card, (n) => {
    if (typeof n['type'] === 'string' && n['type'].startsWith('Input.')) out.push(n);
  });
  return out;
}

export function input(card: unknown, id: string): Json | undefined {
  return inputs(card).find((i) => i['id'] === id);
}

export function choiceValues(card: unknown, id: string): string[] {
  const choices = (input(card, id)?.['choices'] ?? []) as { value: string }[];
  return choices.map((c) => c.value);
}

export function textBlocks(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (n) => {
    if (n['type'] === 'TextBlock' && typeof n['text'] === 'string') out.push(n['text']);
    if (n['type'] === 'FactSet')
      for (const f of n['facts'] as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
  });
  return out;
}

/**
 * What Webex hands the bot when the user presses `title`: the submit's data merged over every input's value.
 * Inputs get realistic values (first choice, "30" as Input.Number strings come, some text), or "" if `blank`.
 */
export function pressSubmit(
  card: unknown,
  title: string,
  opts: { blank?: boolean; values?: Json } = {},
): Json {
  const action = submits(card).find((s) => s.title === title);
  if (!action) throw new Error(`no submit titled ${title}`);
  const values: Json = {};
  for (const i of inputs(card)) {
    const id = String(i['id']);
    if (opts.blank) values[id] = '';
    else if (i['type'] === 'Input.ChoiceSet')
      values[id] = (i['choices'] as { value: string }[])[0]?.value ?? '';
    else if (i['type'] === 'Input.Number') values[id] = '30';
    else values[id] = 'Needed for the Q3 launch';
  }
  return { ...values, ...opts.values, ...action.data };
}
