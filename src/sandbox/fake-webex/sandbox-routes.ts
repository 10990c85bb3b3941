import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { membersOf } from './fake-state.js';
import {
  createRoom,
  FakeWebexInputError,
  userSays,
  userSubmits,
  type FakeWorld,
  type PersonRef,
} from './fake-world.js';

const personRef = z.union([
  z.object({ personEmail: z.string().email() }),
  z.object({ personId: z.string().min(1) }),
]);
const sayBody = z
  .object({
    roomId: z.string().min(1),
    text: z.string().min(1).max(7000),
    mentionBot: z.boolean().optional(),
    parentId: z.string().optional(),
  })
  .and(personRef);
const submitBody = z
  .object({ messageId: z.string().min(1), inputs: z.record(z.string(), z.unknown()) })
  .and(personRef);
const roomBody = z.object({
  title: z.string().min(1).max(200),
  type: z.enum(['direct', 'group']),
  members: z.array(z.string().email()).min(1),
});

function ref(v: { personEmail: string } | { personId: string }): PersonRef {
  return 'personEmail' in v ? { personEmail: v.personEmail } : { personId: v.personId };
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** Routes for the browser chat page (same origin, no CORS): act as a user and read what the bot said. */
export function createSandboxRoutes(world: FakeWorld): Router {
  const { state } = world;
  const r = express.Router();
  r.use(express.json({ limit: '256kb' }));

  r.get('/rooms', (_req, res) => {
    res.json({
      items: [...state.rooms.values()].map((room) => ({
        ...room,
        members: membersOf(state, room.id).map((m) => ({
          personId: m.personId,
          email: m.personEmail,
          displayName: m.personDisplayName,
        })),
      })),
    });
  });
  r.post('/rooms', (req, res) => {
    const b = roomBody.safeParse(req.body);
    if (!b.success) return fail(res, 400, 'SANDBOX_BAD_REQUEST', z.prettifyError(b.error));
    res.json(createRoom(world, b.data));
  });
  // The switch Webex flips after 100 failed deliveries in 5 minutes: every webhook goes inactive and gets no
  // more deliveries until the bot's webhook check reactivates it (try it from a terminal while the sandbox runs).
  r.post('/webhooks/deactivate', (_req, res) => {
    const hit = [...state.webhooks.values()];
    for (const w of hit) w.status = 'inactive';
    res.json({ deactivated: hit.map((w) => w.id) });
  });
  r.get('/people', (_req, res) => {
    res.json({ items: [...state.people.values()] });
  });
  r.get('/rooms/:id/messages', (req, res) => {
    if (!state.rooms.has(req.params.id)) return fail(res, 404, 'SANDBOX_NOT_FOUND', 'unknown room');
    const after = typeof req.query.after === 'string' ? req.query.after : undefined;
    let items = [...state.messages.values()].filter((m) => m.roomId === req.params.id);
    if (after !== undefined) {
      const idx = items.findIndex((m) => m.id === after);
      items = idx >= 0 ? items.slice(idx + 1) : items.filter((m) => m.created > after);
    }
    res.json({ items });
  });
  r.post('/say', async (req, res) => {
    const b = sayBody.safeParse(req.body);
    if (!b.success) return fail(res, 400, 'SANDBOX_BAD_REQUEST', z.prettifyError(b.error));
    const { message } = await userSays(world, {
      roomId: b.data.roomId,
      text: b.data.text,
      ...(b.data.mentionBot === undefined ? {} : { mentionBot: b.data.mentionBot }),
      ...(b.data.parentId === undefined ? {} : { parentId: b.data.parentId }),
      ...ref(b.data),
    });
    res.json(message);
  });
  r.post('/submit', async (req, res) => {
    const b = submitBody.safeParse(req.body);
    if (!b.success) return fail(res, 400, 'SANDBOX_BAD_REQUEST', z.prettifyError(b.error));
    const { action } = await userSubmits(world, {
      messageId: b.data.messageId,
      inputs: b.data.inputs,
      ...ref(b.data),
    });
    res.json(action);
  });
  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof FakeWebexInputError) return fail(res, err.status, 'SANDBOX_BAD_REQUEST', err.message);
    next(err);
  });
  return r;
}
