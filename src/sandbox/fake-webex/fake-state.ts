import { hydraId } from './hydra-id.js';
import { stableUuid } from './stable-uuid.js';

export interface FakePerson {
  id: string;
  emails: string[];
  displayName: string;
  firstName: string;
  lastName: string;
  nickName: string;
  orgId: string;
  type: 'person' | 'bot';
  created: string;
}

export interface FakeRoom {
  id: string;
  title: string;
  type: 'direct' | 'group';
  isLocked: boolean;
  creatorId: string;
  lastActivity: string;
  created: string;
}

export interface FakeMembership {
  id: string;
  roomId: string;
  personId: string;
  personEmail: string;
  personDisplayName: string;
  personOrgId: string;
  isModerator: boolean;
  isMonitor: boolean;
  isRoomHidden: boolean;
  roomType: 'direct' | 'group';
  created: string;
}

export interface FakeMessage {
  id: string;
  roomId: string;
  roomType: 'direct' | 'group';
  personId: string;
  personEmail: string;
  text?: string;
  markdown?: string;
  html?: string;
  mentionedPeople?: string[];
  parentId?: string;
  attachments?: unknown[];
  created: string;
  updated?: string;
}

export interface FakeWebhook {
  id: string;
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  filter?: string;
  secret?: string;
  orgId: string;
  createdBy: string;
  appId: string;
  ownedBy: 'creator';
  status: 'active' | 'inactive';
  created: string;
}

export interface FakeAttachmentAction {
  id: string;
  type: 'submit';
  messageId: string;
  personId: string;
  roomId: string;
  inputs: Record<string, unknown>;
  created: string;
}

/** One webhook POST the fake made, and how the receiver answered. */
export interface FakeDelivery {
  webhookId: string;
  resource: string;
  event: string;
  dataId: string;
  status: number | null;
  error: string | null;
}

/**
 * When the fake switches a webhook off, like Webex: after `failures` failed deliveries (non-2xx or no answer)
 * within `windowMs` (Webex: 100 in 5 minutes). Failures are not forgotten on reactivation, so a webhook switched
 * back on within the window goes off again at its next failure, as Webex documents.
 */
export interface WebhookDisablePolicy {
  failures: number;
  windowMs: number;
}

/** Everything the fake knows; tests may read it (and seed it) directly. */
export interface FakeWebexState {
  orgId: string;
  appId: string;
  bot: FakePerson;
  people: Map<string, FakePerson>;
  rooms: Map<string, FakeRoom>;
  memberships: Map<string, FakeMembership>;
  messages: Map<string, FakeMessage>;
  webhooks: Map<string, FakeWebhook>;
  attachmentActions: Map<string, FakeAttachmentAction>;
  deliveries: FakeDelivery[];
  /** Failed delivery times (ms) per webhook id, within the disable window. */
  webhookFailures: Map<string, number[]>;
  webhookDisable: WebhookDisablePolicy;
}

export interface FakePersonSeed {
  displayName: string;
  email: string;
  id?: string;
}

export function createFakeState(
  bot: FakePersonSeed,
  people: readonly FakePersonSeed[],
  now: () => string,
): FakeWebexState {
  // Ids named after what they stand for (stable-uuid.ts): a restarted sandbox has the same org, people and spaces.
  const orgId = hydraId('ORGANIZATION', stableUuid(`org:${bot.email.toLowerCase()}`));
  const state: FakeWebexState = {
    orgId,
    appId: hydraId('APPLICATION', stableUuid(`app:${bot.email.toLowerCase()}`)),
    bot: makePerson(bot, orgId, 'bot', now()),
    people: new Map(),
    rooms: new Map(),
    memberships: new Map(),
    messages: new Map(),
    webhooks: new Map(),
    attachmentActions: new Map(),
    deliveries: [],
    webhookFailures: new Map(),
    webhookDisable: { failures: 100, windowMs: 5 * 60_000 },
  };
  state.people.set(state.bot.id, state.bot);
  for (const p of people) addPerson(state, p, now());
  return state;
}

export function makePerson(
  seed: FakePersonSeed,
  orgId: string,
  type: 'person' | 'bot',
  created: string,
): FakePerson {
  const [firstName = seed.displayName, ...rest] = seed.displayName.split(' ');
  return {
    id: seed.id ?? hydraId('PEOPLE', stableUuid(`person:${seed.email.toLowerCase()}`)),
    emails: [seed.email.toLowerCase()],
    displayName: seed.displayName,
    firstName,
    lastName: rest.join(' '),
    nickName: firstName,
    orgId,
    type,
    created,
  };
}

export function addPerson(state: FakeWebexState, seed: FakePersonSeed, created: string): FakePerson {
  const existing = findPersonByEmail(state, seed.email);
  if (existing) return existing;
  const person = makePerson(seed, state.orgId, 'person', created);
  state.people.set(person.id, person);
  return person;
}

export function findPersonByEmail(state: FakeWebexState, email: string): FakePerson | undefined {
  const e = email.toLowerCase();
  for (const p of state.people.values()) if (p.emails.includes(e)) return p;
  return undefined;
}

export function membersOf(state: FakeWebexState, roomId: string): FakeMembership[] {
  return [...state.memberships.values()].filter((m) => m.roomId === roomId);
}

export function membershipOf(
  state: FakeWebexState,
  roomId: string,
  personId: string,
): FakeMembership | undefined {
  return membersOf(state, roomId).find((m) => m.personId === personId);
}

export function addMembership(
  state: FakeWebexState,
  room: FakeRoom,
  person: FakePerson,
  created: string,
): FakeMembership {
  const existing = membershipOf(state, room.id, person.id);
  if (existing) return existing;
  const m: FakeMembership = {
    id: hydraId('MEMBERSHIP', stableUuid(`membership:${room.id}:${person.id}`)),
    roomId: room.id,
    personId: person.id,
    personEmail: person.emails[0] ?? '',
    personDisplayName: person.displayName,
    personOrgId: person.orgId,
    isModerator: false,
    isMonitor: false,
    isRoomHidden: false,
    roomType: room.type,
    created,
  };
  state.memberships.set(m.id, m);
  return m;
}

/** The direct space between the bot and `person`, created on first use (as Webex does for toPersonId/Email). */
export function directRoomWith(state: FakeWebexState, person: FakePerson, created: string): FakeRoom {
  for (const room of state.rooms.values()) {
    if (room.type !== 'direct') continue;
    const ids = membersOf(state, room.id).map((m) => m.personId);
    if (ids.includes(person.id) && ids.includes(state.bot.id)) return room;
  }
  const room: FakeRoom = {
    id: hydraId('ROOM', stableUuid(`direct:${state.bot.id}:${person.id}`)),
    title: person.displayName,
    type: 'direct',
    isLocked: false,
    creatorId: person.id,
    lastActivity: created,
    created,
  };
  state.rooms.set(room.id, room);
  addMembership(state, room, state.bot, created);
  addMembership(state, room, person, created);
  return room;
}
