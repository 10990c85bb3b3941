import { isCardActionName } from './card-actions.js';
import { findTemplateLeftovers } from './find-template-leftovers.js';
import { loadAdaptiveCards } from './load-adaptivecards.js';

/** Webex renders Adaptive Cards 1.3 with at most 5 actions per card. */
export const WEBEX_CARD_VERSION = '1.3';
export const WEBEX_MAX_ACTIONS = 5;

/** Parse fine under 1.3 in the SDK but are not (reliably) supported by Webex, or are >1.3. */
const FORBIDDEN_TYPES = new Set(['Action.ToggleVisibility', 'Action.Execute', 'Table', 'Carousel']);
const FORBIDDEN_CARD_PROPS = ['refresh', 'authentication'];

/**
 * Errors that would make Webex refuse or misdraw the card, or the bot mis-handle its submits; empty = valid.
 * Combines the adaptivecards SDK parsed against a 1.3 context and Webex host config with our own checks.
 */
export function validateCard(card: unknown): string[] {
  if (typeof card !== 'object' || card === null || Array.isArray(card))
    return ['card: must be a JSON object'];
  const json = card as Record<string, unknown>;
  return [...sdkErrors(json), ...ownErrors(json)];
}

function sdkErrors(json: Record<string, unknown>): string[] {
  const AC = loadAdaptiveCards();
  const parsed = new AC.AdaptiveCard();
  parsed.hostConfig = new AC.HostConfig({ actions: { maxActions: WEBEX_MAX_ACTIONS } });
  const context = new AC.SerializationContext(AC.Versions.v1_3);
  const out: string[] = [];
  try {
    parsed.parse(json, context);
  } catch (err) {
    return [`sdk: card could not be parsed: ${err instanceof Error ? err.message : String(err)}`];
  }
  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...parsed.validateProperties().validationEvents);
  for (const e of events) out.push(`sdk ${AC.ValidationEvent[e.event]}: ${e.message}`);
  return out;
}

function ownErrors(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (json['type'] !== 'AdaptiveCard') out.push('card: type must be "AdaptiveCard"');
  if (json['version'] !== WEBEX_CARD_VERSION)
    out.push(`card: version must be "${WEBEX_CARD_VERSION}" (got ${JSON.stringify(json['version'])})`);
  for (const p of FORBIDDEN_CARD_PROPS) if (p in json) out.push(`card: "${p}" is not supported by Webex`);
  for (const leftover of findTemplateLeftovers(json)) out.push(`template leftover at ${leftover}`);

  let actions = 0;
  const ids = new Map<string, number>();
  walk(json, '$', (node, path) => {
    const type = node['type'];
    if (typeof type === 'string' && FORBIDDEN_TYPES.has(type))
      out.push(`${path}: ${type} is not supported by Webex`);
    if (node['style'] === 'heading') out.push(`${path}: style "heading" is above 1.3`);
    if (typeof type === 'string' && type.startsWith('Action.')) {
      actions++;
      if (type === 'Action.Submit') out.push(...submitErrors(node, path));
    }
    if (typeof type === 'string' && type.startsWith('Input.')) {
      const id = node['id'];
      if (typeof id === 'string') ids.set(id, (ids.get(id) ?? 0) + 1);
      if (
        node['isRequired'] === true &&
        (typeof node['label'] !== 'string' || typeof node['errorMessage'] !== 'string')
      ) {
        out.push(`${path}: required input needs a label and an errorMessage`);
      }
    }
  });
  if (actions > WEBEX_MAX_ACTIONS)
    out.push(`card: ${actions} actions in total, Webex allows ${WEBEX_MAX_ACTIONS}`);
  for (const [id, n] of ids) if (n > 1) out.push(`card: input id "${id}" is used ${n} times`);
  return out;
}

function submitErrors(node: Record<string, unknown>, path: string): string[] {
  const data = node['data'];
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return [`${path}: Action.Submit needs an object "data" with an "action"`];
  const action = (data as Record<string, unknown>)['action'];
  return isCardActionName(action)
    ? []
    : [`${path}: Action.Submit data.action ${JSON.stringify(action)} is not a known card action`];
}

/** Visit every object in the card (elements, actions, show-cards, inputs) with its JSON path. */
function walk(
  value: unknown,
  path: string,
  visit: (node: Record<string, unknown>, path: string) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  } else if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    visit(node, path);
    // `data` is the submit payload, not card structure: its keys (e.g. a "type" field) are not elements.
    for (const [k, v] of Object.entries(node)) if (k !== 'data') walk(v, `${path}.${k}`, visit);
  }
}
