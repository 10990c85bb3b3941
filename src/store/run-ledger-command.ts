import type { Clock } from '../clock.js';
import { executeLedgerCommand } from '../domain/execute-ledger-command.js';
import type { LedgerRequest, LedgerResult } from '../domain/ledger-command.js';
import type { SeatStore } from './seat-store.js';

/** Runs one ledger command against the store: decided in order with all other writes, durable on resolve. */
export function runLedgerCommand(store: SeatStore, clock: Clock, req: Omit<LedgerRequest, 'now'>): Promise<LedgerResult> {
  return store.update((view) => executeLedgerCommand(view, { ...req, now: clock.now().toISOString() }));
}
