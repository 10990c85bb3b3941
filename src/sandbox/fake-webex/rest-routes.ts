import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { hydraId } from './hydra-id.js';
import {
  directRoomWith,
  findPersonByEmail,
  membersOf,
  type FakeMessage,
  type FakeWebhook,
} from './fake-state.js';
import { messageEvent, reachesBot, type FakeWorld } from './fake-world.js';
import { webexError } from './webex-error.js';
import type { WebhookTargetPolicy } from './webhook-target-policy.js';

const MAX_TEXT_BYTES = 7439;
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

const webhookBody = z.object({
  name: z.string().min(1),
  targetUrl: z.string().url(),
  resource: z.string().min(1),
  event: z.string().min(1),
  filter: z.string().optional(),
  secret: z.string().optional(),
  status: z.enum(['active', 'inactive']).optional(),
});

/** `PUT /webhooks/{id}`: Webex's spec makes name and targetUrl required; secret and status optional. */
const webhookUpdateBody = webhookBody.pick({ name: true, targetUrl: true, secret: true, status: true });

const messageBody = z.object({
  roomId: z.string().optional(),
  toPersonId: z.string().optional(),
  toPersonEmail: z.string().optional(),
  text: z.string().optional(),
  markdown: z.string().optional(),
  html: z.string().optional(),
  parentId: z.string().optional(),
  files: z.array(z.string()).optional(),
  attachments: z
    .array(z.object({ contentType: z.string(), content: z.record(z.string(), z.unknown()) }))
    .optional(),
});

function q(req: Request, key: string): string | undefined {
  const v: unknown = (req.query as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}/v1`;
}

function page<T>(
  req: Request,
  res: Response,
  path: string,
  items: T[],
  extra: Record<string, string> = {},
): void {
  const max = Math.max(1, Math.min(1000, Number(q(req, 'max') ?? 100) || 100));
  const cursor = Math.max(0, Number(q(req, 'cursor') ?? 0) || 0);
  const slice = items.slice(cursor, cursor + max);
  if (cursor + max < items.length) {
    const params = new URLSearchParams({ ...extra, max: String(max), cursor: String(cursor + max) });
    res.setHeader('Link', `<${baseUrl(req)}${path}?${params.toString()}>; rel="next"`);
  }
  res.json({ items: slice });
}

/** The /v1 subset the framework and the send queue use, stateful and shaped like Webex (doc 7.8 table). */
export function createRestRoutes(
  world: FakeWorld,
  background: (p: Promise<unknown>) => void,
  targets: WebhookTargetPolicy,
): Router {
  const { state } = world;
  const refuseTarget = (res: Response): void =>
    webexError(res, 400, `Invalid targetUrl: webhooks may only point to ${targets.describe()}`);
  const r = express.Router();
  r.use(express.json({ limit: '2mb' }));
  r.use((req, res, next) => {
    const auth = req.get('authorization') ?? '';
    if (!/^Bearer \S+/.test(auth)) {
      webexError(
        res,
        401,
        'The request requires a valid access token set in the Authorization request header.',
      );
      return;
    }
    next();
  });

  // People
  r.get('/people/me', (_req, res) => {
    res.json(state.bot);
  });
  r.get('/people', (req, res) => {
    const ids = q(req, 'id');
    const email = q(req, 'email');
    if (ids !== undefined) {
      const wanted = ids.split(',').filter(Boolean);
      const items = wanted.flatMap((id) => {
        const p = state.people.get(id);
        return p ? [p] : [];
      });
      const notFoundIds = wanted.filter((id) => !state.people.has(id));
      res.json(notFoundIds.length > 0 ? { items, notFoundIds } : { items });
      return;
    }
    if (email !== undefined) {
      const p = findPersonByEmail(state, email);
      res.json({ items: p ? [p] : [] });
      return;
    }
    res.json({ items: [] });
  });
  r.get('/people/:id', (req, res) => {
    const p = state.people.get(req.params.id);
    if (p) res.json(p);
    else webexError(res, 404, 'Person not found');
  });

  // Webhooks
  r.get('/webhooks', (_req, res) => {
    res.json({ items: [...state.webhooks.values()] });
  });
  r.post('/webhooks', (req, res) => {
    const parsed = webhookBody.safeParse(req.body);
    if (!parsed.success) {
      webexError(res, 400, `Invalid webhook: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
      return;
    }
    const b = parsed.data;
    if (!targets.allows(b.targetUrl)) return refuseTarget(res);
    const w: FakeWebhook = {
      id: hydraId('WEBHOOK'),
      name: b.name,
      targetUrl: b.targetUrl,
      resource: b.resource,
      event: b.event,
      ...(b.filter === undefined ? {} : { filter: b.filter }),
      ...(b.secret === undefined ? {} : { secret: b.secret }),
      orgId: state.orgId,
      createdBy: state.bot.id,
      appId: state.appId,
      ownedBy: 'creator',
      status: 'active',
      created: world.now(),
    };
    state.webhooks.set(w.id, w);
    res.json(w);
  });
  r.get('/webhooks/:id', (req, res) => {
    const w = state.webhooks.get(req.params.id);
    if (w) res.json(w);
    else webexError(res, 404, 'Webhook not found');
  });
  // Reactivation (`status: "active"`) and edits; name and targetUrl are required, as in Webex's spec.
  r.put('/webhooks/:id', (req, res) => {
    const w = state.webhooks.get(req.params.id);
    const parsed = webhookUpdateBody.safeParse(req.body);
    if (!w) return webexError(res, 404, 'Webhook not found');
    if (!parsed.success) {
      return webexError(
        res,
        400,
        `Invalid webhook update: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      );
    }
    const b = parsed.data;
    if (!targets.allows(b.targetUrl)) return refuseTarget(res);
    w.name = b.name;
    w.targetUrl = b.targetUrl;
    if (b.secret !== undefined) w.secret = b.secret;
    if (b.status !== undefined) w.status = b.status;
    res.json(w);
  });
  r.delete('/webhooks/:id', (req, res) => {
    if (!state.webhooks.delete(req.params.id)) return webexError(res, 404, 'Webhook not found');
    res.status(204).end();
  });

  // Memberships
  r.get('/memberships', (req, res) => {
    const roomId = q(req, 'roomId');
    const personId = q(req, 'personId');
    const personEmail = q(req, 'personEmail');
    let items =
      roomId !== undefined
        ? membersOf(state, roomId)
        : [...state.memberships.values()].filter((m) => m.personId === state.bot.id);
    if (roomId !== undefined && !state.rooms.has(roomId)) return webexError(res, 404, 'Room not found');
    if (personId !== undefined) items = items.filter((m) => m.personId === personId);
    if (personEmail !== undefined) items = items.filter((m) => m.personEmail === personEmail.toLowerCase());
    const extra: Record<string, string> = {};
    if (roomId !== undefined) extra.roomId = roomId;
    if (personId !== undefined) extra.personId = personId;
    page(req, res, '/memberships', items, extra);
  });
  r.get('/memberships/:id', (req, res) => {
    const m = state.memberships.get(req.params.id);
    if (m) res.json(m);
    else webexError(res, 404, 'Membership not found');
  });

  // Rooms
  r.get('/rooms', (req, res) => {
    const mine = [...state.memberships.values()]
      .filter((m) => m.personId === state.bot.id)
      .map((m) => m.roomId);
    page(
      req,
      res,
      '/rooms',
      [...state.rooms.values()].filter((room) => mine.includes(room.id)),
    );
  });
  r.get('/rooms/:id', (req, res) => {
    const room = state.rooms.get(req.params.id);
    if (room) res.json(room);
    else webexError(res, 404, 'Room not found');
  });

  // Messages
  r.post('/messages', (req, res) => {
    const parsed = messageBody.safeParse(req.body);
    if (!parsed.success) return webexError(res, 400, 'Invalid message body');
    const b = parsed.data;
    const targets = [b.roomId, b.toPersonId, b.toPersonEmail].filter((t) => t !== undefined);
    if (targets.length !== 1)
      return webexError(res, 400, 'Exactly one of roomId, toPersonId or toPersonEmail is required');
    for (const t of [b.text, b.markdown, b.html]) {
      if (t !== undefined && Buffer.byteLength(t, 'utf8') > MAX_TEXT_BYTES) {
        return webexError(res, 400, `Message text exceeds the maximum of ${MAX_TEXT_BYTES} bytes`);
      }
    }
    if (
      b.text === undefined &&
      b.markdown === undefined &&
      b.html === undefined &&
      !b.files &&
      !b.attachments
    ) {
      return webexError(res, 400, 'A message needs text, markdown, html, files or attachments');
    }
    if (
      b.attachments &&
      (b.attachments.length > 1 || b.attachments.some((a) => a.contentType !== CARD_TYPE))
    ) {
      return webexError(res, 400, `Only one attachment of type ${CARD_TYPE} is supported`);
    }
    let room = b.roomId !== undefined ? state.rooms.get(b.roomId) : undefined;
    if (b.toPersonId !== undefined || b.toPersonEmail !== undefined) {
      const person =
        b.toPersonId !== undefined
          ? state.people.get(b.toPersonId)
          : findPersonByEmail(state, b.toPersonEmail ?? '');
      if (!person) return webexError(res, 404, 'Recipient not found');
      room = directRoomWith(state, person, world.now());
    }
    if (!room) return webexError(res, 404, 'Room not found');
    if (!membersOf(state, room.id).some((m) => m.personId === state.bot.id))
      return webexError(res, 403, 'Bot is not a member of the room');
    if (b.parentId !== undefined) {
      const parent = state.messages.get(b.parentId);
      if (!parent || parent.roomId !== room.id)
        return webexError(res, 400, 'Parent message not found in this room');
      if (parent.parentId !== undefined)
        return webexError(res, 400, 'Cannot reply to a reply: use the top-level parentId');
    }
    const text = b.text ?? b.markdown ?? (b.html === undefined ? '' : b.html.replace(/<[^>]*>/g, ''));
    const m: FakeMessage = {
      id: hydraId('MESSAGE'),
      roomId: room.id,
      roomType: room.type,
      personId: state.bot.id,
      personEmail: state.bot.emails[0] ?? '',
      text,
      ...(b.markdown === undefined ? {} : { markdown: b.markdown }),
      ...(b.html === undefined ? {} : { html: b.html }),
      ...(b.parentId === undefined ? {} : { parentId: b.parentId }),
      ...(b.attachments === undefined ? {} : { attachments: b.attachments }),
      created: world.now(),
    };
    state.messages.set(m.id, m);
    room.lastActivity = m.created;
    res.json(m);
    if (reachesBot(state, m)) background(world.deliver(messageEvent(m)));
  });
  r.get('/messages', (req, res) => {
    const roomId = q(req, 'roomId');
    if (roomId === undefined) return webexError(res, 400, 'roomId is required');
    const items = [...state.messages.values()].filter((m) => m.roomId === roomId).reverse();
    page(req, res, '/messages', items, { roomId });
  });
  r.get('/messages/:id', (req, res) => {
    const m = state.messages.get(req.params.id);
    if (m) res.json(m);
    else webexError(res, 404, 'Message not found');
  });
  r.put('/messages/:id', (req, res) => {
    const m = state.messages.get(req.params.id);
    if (!m) return webexError(res, 404, 'Message not found');
    if (m.attachments && m.attachments.length > 0)
      return webexError(res, 400, 'Messages with attachments cannot be edited');
    const parsed = messageBody.safeParse(req.body);
    if (!parsed.success || (parsed.data.text === undefined && parsed.data.markdown === undefined)) {
      return webexError(res, 400, 'text or markdown is required');
    }
    m.text = parsed.data.text ?? parsed.data.markdown ?? '';
    if (parsed.data.markdown !== undefined) m.markdown = parsed.data.markdown;
    delete m.html;
    m.updated = world.now();
    res.json(m);
  });
  r.delete('/messages/:id', (req, res) => {
    if (!state.messages.delete(req.params.id)) return webexError(res, 404, 'Message not found');
    res.status(204).end();
  });

  // Attachment actions
  r.get('/attachment/actions/:id', (req, res) => {
    const a = state.attachmentActions.get(req.params.id);
    if (a) res.json(a);
    else webexError(res, 404, 'Attachment action not found');
  });

  r.use((_req, res) => {
    webexError(res, 404, 'The requested resource could not be found.');
  });
  return r;
}
