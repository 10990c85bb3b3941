import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Template } from 'adaptivecards-templating';
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

/** Strings the view put in verbatim (ids in choice values and submit data) may legitimately hold `${`. */
function verbatimStrings(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const v of value) verbatimStrings(v, into);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) verbatimStrings(v, into);
  return into;
}

/**
 * Render one card: the view escapes and formats the data, the frozen template is expanded into a fresh
 * object (`$root` = the view), and the markdown fallback is built from the same view.
 * Throws AppError CARD_TEMPLATE_LEFTOVER when the template names a field the view lacks.
 */
export function renderCard<N extends CardName>(name: N, data: CardDataMap[N]): RenderedCard {
  const toView: (data: CardDataMap[N]) => CardView = VIEWS[name];
  const { view, fallback } = toView(data);
  const expanded: unknown = new Template(templateOf(name)).expand({ $root: view });
  if (typeof expanded !== 'object' || expanded === null || Array.isArray(expanded)) {
    throw new AppError(
      'CARD_TEMPLATE_INVALID',
      `Card ${name}: template expanded to ${typeof expanded}, not an object`,
    );
  }
  const card = structuredClone(expanded) as Record<string, unknown>;
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
