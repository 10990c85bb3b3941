import { hydraId } from './hydra-id.js';
import { stableUuid } from './stable-uuid.js';
import {
  addMembership,
  addPerson,
  directRoomWith,
  findPersonByEmail,
  membershipOf,
  type FakeAttachmentAction,
  type FakeMessage,
  type FakePerson,
  type FakeRoom,
  type FakeWebexState,
} from './fake-state.js';
import type { WebhookEvent } from './deliver-webhook.js';
import type { FakeDelivery } from './fake-state.js';

/** What the world operations need: the state, a clock and a way to deliver webhook events. */
export interface FakeWorld {
  state: FakeWebexState;
  now(): string;
  deliver(ev: WebhookEvent): Promise<FakeDelivery[]>;
}

/** Thrown for bad test/sandbox input (unknown room, person not a member...); routes map it to 400/404. */
export class FakeWebexInputError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type PersonRef =
  { personEmail: string; personId?: undefined } | { personId: string; personEmail?: undefined };

export function resolvePerson(world: FakeWorld, ref: PersonRef): FakePerson {
  if (ref.personId !== undefined) {
    const p = world.state.people.get(ref.personId);
    if (!p) throw new FakeWebexInputError(404, `unknown personId ${ref.personId}`);
    return p;
  }
  const email = ref.personEmail;
  return (
    findPersonByEmail(world.state, email) ??
    addPerson(world.state, { email, displayName: email.split('@')[0] ?? email }, world.now())
  );
}

function room(world: FakeWorld, roomId: string): FakeRoom {
  const r = world.state.rooms.get(roomId);
  if (!r) throw new FakeWebexInputError(404, `unknown roomId ${roomId}`);
  return r;
}

export interface CreateRoomInput {
  title: string;
  type: 'direct' | 'group';
  /** Member emails (direct: exactly one). */
  members: readonly string[];
  /** Whether the bot is a member from the start (default true; use addBotToRoom to add it later). */
  withBot?: boolean;
}

export function createRoom(world: FakeWorld, input: CreateRoomInput): FakeRoom {
  const people = input.members.map((email) => resolvePerson(world, { personEmail: email }));
  if (input.type === 'direct') {
    const [only] = people;
    if (people.length !== 1 || !only)
      throw new FakeWebexInputError(400, 'a direct room has exactly one member besides the bot');
    return directRoomWith(world.state, only, world.now());
  }
  const now = world.now();
  // The n-th group space of a title gets the same id in every run (stable-uuid.ts).
  let id = '';
  for (let n = 0; id === '' || world.state.rooms.has(id); n++) id = hydraId('ROOM', stableUuid(`group:${input.title}:${n}`));
  const r: FakeRoom = {
    id,
    title: input.title,
    type: 'group',
    isLocked: false,
    creatorId: people[0]?.id ?? world.state.bot.id,
    lastActivity: now,
    created: now,
  };
  world.state.rooms.set(r.id, r);
  for (const p of people) addMembership(world.state, r, p, now);
  if (input.withBot !== false) addMembership(world.state, r, world.state.bot, now);
  return r;
}

/** The bot is added to a group room by `byPersonId`: stores the membership and fires memberships:created. */
export async function addBotToRoom(
  world: FakeWorld,
  roomId: string,
  byPersonId: string,
): Promise<FakeDelivery[]> {
  const r = room(world, roomId);
  const m = addMembership(world.state, r, world.state.bot, world.now());
  return world.deliver({ resource: 'memberships', event: 'created', actorId: byPersonId, data: { ...m } });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface UserSaysInput {
  roomId: string;
  text: string;
  /** Group rooms: prefix the text with the bot's name and mention it (default true in group rooms). */
  mentionBot?: boolean;
  parentId?: string;
}

/**
 * A user posts a message. Group rooms reach the bot only when it is mentioned (text starts with its display
 * name, html has a spark-mention); direct rooms always do. Resolves after the webhook POSTs are answered.
 */
export async function userSays(
  world: FakeWorld,
  input: UserSaysInput & PersonRef,
): Promise<{ message: FakeMessage; deliveries: FakeDelivery[] }> {
  const r = room(world, input.roomId);
  const person = resolvePerson(world, input);
  if (!membershipOf(world.state, r.id, person.id)) {
    throw new FakeWebexInputError(400, `${person.emails[0] ?? person.id} is not a member of room ${r.id}`);
  }
  const mention = input.mentionBot ?? r.type === 'group';
  const bot = world.state.bot;
  const text = mention ? `${bot.displayName} ${input.text}` : input.text;
  const html = mention
    ? `<p><spark-mention data-object-type="person" data-object-id="${bot.id}">${escapeHtml(bot.displayName)}</spark-mention> ${escapeHtml(input.text)}</p>`
    : `<p>${escapeHtml(input.text)}</p>`;
  const message: FakeMessage = {
    id: hydraId('MESSAGE'),
    roomId: r.id,
    roomType: r.type,
    personId: person.id,
    personEmail: person.emails[0] ?? '',
    text,
    html,
    ...(mention ? { mentionedPeople: [bot.id] } : {}),
    ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
    created: world.now(),
  };
  world.state.messages.set(message.id, message);
  r.lastActivity = message.created;
  const deliveries = reachesBot(world.state, message) ? await world.deliver(messageEvent(message)) : [];
  return { message, deliveries };
}

/** Whether Webex would send this message to the bot's webhooks. */
export function reachesBot(state: FakeWebexState, m: FakeMessage): boolean {
  return m.roomType === 'direct' || (m.mentionedPeople ?? []).includes(state.bot.id);
}

export function messageEvent(m: FakeMessage): WebhookEvent {
  return {
    resource: 'messages',
    event: 'created',
    actorId: m.personId,
    data: {
      id: m.id,
      roomId: m.roomId,
      roomType: m.roomType,
      personId: m.personId,
      personEmail: m.personEmail,
      ...(m.mentionedPeople ? { mentionedPeople: m.mentionedPeople } : {}),
      ...(m.parentId === undefined ? {} : { parentId: m.parentId }),
      created: m.created,
    },
  };
}

export interface UserSubmitsInput {
  messageId: string;
  inputs: Record<string, unknown>;
}

/** A user presses an Action.Submit on a card message: stores the action, fires attachmentActions:created. */
export async function userSubmits(
  world: FakeWorld,
  input: UserSubmitsInput & PersonRef,
): Promise<{ action: FakeAttachmentAction; deliveries: FakeDelivery[] }> {
  const msg = world.state.messages.get(input.messageId);
  if (!msg) throw new FakeWebexInputError(404, `unknown messageId ${input.messageId}`);
  if (!msg.attachments || msg.attachments.length === 0)
    throw new FakeWebexInputError(400, 'that message has no card');
  const person = resolvePerson(world, input);
  if (!membershipOf(world.state, msg.roomId, person.id)) {
    throw new FakeWebexInputError(400, `${person.emails[0] ?? person.id} is not a member of the card's room`);
  }
  const action: FakeAttachmentAction = {
    id: hydraId('ATTACHMENT_ACTION'),
    type: 'submit',
    messageId: msg.id,
    personId: person.id,
    roomId: msg.roomId,
    inputs: input.inputs,
    created: world.now(),
  };
  world.state.attachmentActions.set(action.id, action);
  const { inputs: _content, ...data } = action;
  const deliveries = await world.deliver({
    resource: 'attachmentActions',
    event: 'created',
    actorId: person.id,
    data,
  });
  return { action, deliveries };
}
