/**
 * The wire format of the data-directory lock's socket: one JSON request line in, one JSON answer line out,
 * then the connection closes. Both sides cap what they read.
 */
import { z } from 'zod';

/** A request: `whoami` needs no token; every other operation needs the control token of the directory. */
export const lockRequestSchema = z.object({
  op: z.string().min(1).max(64),
  token: z.string().max(200).optional(),
  args: z.unknown().optional(),
});
export type LockRequest = z.infer<typeof lockRequestSchema>;

export const lockHolderSchema = z.object({
  pid: z.number().int(),
  role: z.string(),
  startedAt: z.string(),
});
/** Who owns a data directory: shown in the refusal a second opener gets. */
export type LockHolder = z.infer<typeof lockHolderSchema>;

export const lockAnswerSchema = z.union([
  z.object({ ok: z.literal(true), holder: lockHolderSchema, result: z.unknown().optional() }),
  z.object({ ok: z.literal(false), holder: lockHolderSchema.optional(), code: z.string(), message: z.string() }),
]);
export type LockAnswer = z.infer<typeof lockAnswerSchema>;

/** Bytes of one request line the owner reads before refusing it. */
export const MAX_LOCK_REQUEST_BYTES = 64 * 1024;
/** File in the data directory holding the token that authorises operations other than `whoami`. */
export const CONTROL_TOKEN_FILE = '.control-token';
