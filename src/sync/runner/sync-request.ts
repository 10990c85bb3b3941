import { z } from 'zod';
import { VENDORS } from '../../domain/ledger.js';

/** What the sync CLI asks a running bot for over the ledger lock's socket. */
export const syncRequestSchema = z.object({
  vendor: z.enum(VENDORS).optional(),
  dryRun: z.boolean().default(false),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;
