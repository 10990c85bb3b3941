import type { ActorRef } from '../../domain/ledger.js';

export const SYNC_ACTOR: ActorRef = { kind: 'system', name: 'sync' };
