import type { AuditAction, Change, Iso, LedgerErrorCode, LedgerOutcome, SeatSource } from './ledger.js';
import { actorRef, type LedgerActor } from './ledger-command.js';

/** Collects the changes of one transition and pairs every real change with its audit event. */
export class LedgerDraft {
  readonly changes: Change[] = [];
  private seq = 0;

  constructor(
    private readonly ctx: { actor: LedgerActor; source: SeatSource; idempotencyKey: string; now: Iso },
  ) {}

  audit(action: AuditAction, refs: { poolId: string | null; assignmentId: string | null }, before: unknown, after: unknown, note: string | null = null): void {
    this.changes.push({
      type: 'audit.add',
      event: {
        id: `${this.ctx.idempotencyKey}#${this.seq++}`,
        at: this.ctx.now,
        actor: actorRef(this.ctx.actor),
        source: this.ctx.source,
        action,
        poolId: refs.poolId,
        assignmentId: refs.assignmentId,
        before,
        after,
        idempotencyKey: this.ctx.idempotencyKey,
        note,
      },
    });
  }
}

export const refuse = (op: string, code: LedgerErrorCode, message: string): LedgerOutcome => ({ ok: false, op, code, message });
