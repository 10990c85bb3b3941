import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Template } from 'adaptivecards-templating';
import { AppError } from '../errors.js';
import { CARD_NAMES, type CardDataMap, type CardName } from './card-data.js';
import { findTemplateLeftovers } from './find-template-leftovers.js';
import { fitMarkdown } from './fit-markdown.js';
import { approvalRequestView } from './views/approval-request-view.js';
import type { CardView } from './views/card-view.js';
import { decisionView } from './views/decision-view.js';
import { digestView } from './views/digest-view.js';
import { errorView } from './views/error-view.js';
import { expiringView } from './views/expiring-view.js';
import { helpView } from './views/help-view.js';
import { holdersView } from './views/holders-view.js';
import { mySeatsView } from './views/my-seats-view.js';
import { pendingView } from './views/pending-view.js';
import { poolView } from './views/pool-view.js';
import { summaryView } from './views/summary-view.js';
import { waitlistView } from './views/waitlist-view.js';
import { historyView } from './views/history-view.js';

export interface RenderedCard {
  /** A fresh Adaptive Card 1.3 object: the caller may keep or change it. */
  card: Record<string, unknown>;
  /** Markdown fallback for clients without cards, under Webex's 7439-byte limit. */
  markdown: string;
}

/** `cards/` at the repo root (this file is src/cards/render-card.ts). */
export const CARD_TEMPLATE_DIR = fileURLToPath(new URL('../../cards/', import.meta.url));

const VIEWS: { [N in CardName]: (data: CardDataMap[N]) => CardView } = {
  summary: summaryView,
  pool: poolView,
  'my-seats': mySeatsView,
  holders: holdersView,
  'approval-request': approvalRequestView,
  pending: pendingView,
  decision: decisionView,
  expiring: expiringView,
  help: helpView,
  error: errorView,
  digest: digestView,
  waitlist: waitlistView,
  history: historyView,
};

let templates: ReadonlyMap<CardName, Readonly<Record<string, unknown>>> | undefined;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Read and freeze every template once; a missing or broken template fails loudly on first use. */
export function loadCardTemplates(
  dir = CARD_TEMPLATE_DIR,
): ReadonlyMap<CardName, Readonly<Record<string, unknown>>> {
  const map = new Map<CardName, Readonly<Record<string, unknown>>>();
  for (const name of CARD_NAMES) {
    const file = `${dir}${name}.json`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AppError('CARD_TEMPLATE_UNREADABLE', `Card template ${name}: cannot read ${file} as JSON`, {
        cause: err,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AppError('CARD_TEMPLATE_INVALID', `Card template ${name}: ${file} must hold a JSON object`);
    }
    map.set(name, deepFreeze(parsed as Record<string, unknown>));
  }
  return map;
}

function templateOf(name: CardName): Readonly<Record<string, unknown>> {
  templates ??= loadCardTemplates();
  const t = templates.get(name);
  if (!t) throw new AppError('CARD_UNKNOWN', `No card template named "${String(name)}"`);
  return t;
}

/**
 * adaptivecards-templating (with adaptive-expressions and ANTLR under it) takes ~140 ms to load, so it is not
 * imported at start-up: it loads on the first render, or earlier in the background via warmCardRenderer.
 */
let TemplateClass: typeof Template | undefined;

function templateClass(): typeof Template {
  TemplateClass ??= (
    createRequire(import.meta.url)('adaptivecards-templating') as { Template: typeof Template }
  ).Template;
  return TemplateClass;
}

/** One parsed Template per card: parsing every `${...}` with ANTLR is the expensive part of a render. */
const parsed = new Map<CardName, Template>();

function parsedTemplateOf(name: CardName): Template {
  let t = parsed.get(name);
  if (!t) {
    const TemplateCtor = templateClass();
    t = new TemplateCtor(templateOf(name));
    parsed.set(name, t);
  }
  return t;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Loads the templating engine, reads the templates and parses each one, a card per event-loop turn, so the
 * first card a user asks for does not pay for them. Call after start-up; rejects on a broken template.
 */
export async function warmCardRenderer(): Promise<void> {
  await nextTurn();
  templateClass();
  for (const name of CARD_NAMES) {
    await nextTurn();
    parsedTemplateOf(name);
  }
}

/** Strings the view put in verbatim (ids in choice values and submit data) may legitimately hold `${`. */
function verbatimStrings(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const v of value) verbatimStrings(v, into);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) verbatimStrings(v, into);
  return into;
}

/**
 * Deep copy of the expansion (an expression such as `${choices}` returns the view's own array, so the
 * expansion alone is not fresh), noting whether any string holds `${` or any key other than `$schema`
 * starts with `$`: only then is the full leftover check worth running.
 */
function copyNotingSuspects(value: unknown, suspect: { found: boolean }): unknown {
  if (typeof value === 'string') {
    if (!suspect.found && value.includes('${')) suspect.found = true;
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyNotingSuspects(value[i], suspect);
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$') && k !== '$schema') suspect.found = true;
      const copy = copyNotingSuspects(v, suspect);
      // A `__proto__` key from JSON.parse is an own property; plain assignment would set the prototype.
      if (k === '__proto__')
        Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
      else out[k] = copy;
    }
    return out;
  }
  return value;
}

/**
 * Render one card: the view escapes and formats the data, the frozen template is expanded into a fresh
 * object (`$root` = the view), and the markdown fallback is built from the same view.
 * Throws AppError CARD_TEMPLATE_LEFTOVER when the template names a field the view lacks.
 */
export function renderCard<N extends CardName>(name: N, data: CardDataMap[N]): RenderedCard {
  const toView: (data: CardDataMap[N]) => CardView = VIEWS[name];
  const { view, fallback } = toView(data);
  const expanded: unknown = parsedTemplateOf(name).expand({ $root: view });
  if (typeof expanded !== 'object' || expanded === null || Array.isArray(expanded)) {
    throw new AppError(
      'CARD_TEMPLATE_INVALID',
      `Card ${name}: template expanded to ${typeof expanded}, not an object`,
    );
  }
  const suspect = { found: false };
  const card = copyNotingSuspects(expanded, suspect) as Record<string, unknown>;
  if (!suspect.found) return { card, markdown: fitMarkdown(fallback) };
  const verbatim = verbatimStrings(view);
  const leftovers = findTemplateLeftovers(card, (s) => verbatim.has(s));
  if (leftovers.length > 0) {
    throw new AppError(
      'CARD_TEMPLATE_LEFTOVER',
      `Card ${name}: unexpanded template parts: ${leftovers.slice(0, 5).join('; ')}`,
    );
  }
  return { card, markdown: fitMarkdown(fallback) };
}
