import type { Iso, ProvisionOp, Vendor } from '../../domain/ledger.js';

/** One vendor write the provisioning worker asks for: assign (add) or remove one seat's license. */
export interface SeatWrite {
  op: ProvisionOp;
  /** The vendor's id of the license (the pool's externalId). */
  licenseId: string;
  /** The holder: a Webex person id or the vendor's id, and the email when known. */
  assignee: { id: string; email: string | null };
  /** Time-bound seats: when the seat ends. */
  expiresAt: Iso | null;
  /**
   * A removal of an assignment still waiting for the user's acceptance: the vendor does not list it among the
   * person's licenses, so the read cannot tell it is there; the removal is sent anyway (idempotent at Webex).
   */
  pendingAcceptance?: boolean;
}

/**
 * What a write came to. `done` with `noop` when the read before the write found the vendor already as asked
 * (that is how a write after a crash stays exactly one effective call). `retry`: transient (429/423/5xx/timeouts
 * past the HTTP client's own retries); `paused`: the credential may not write (401/403), with the scope named.
 */
export type SeatWriteOutcome =
  | { kind: 'done'; noop: boolean; detail: string }
  | { kind: 'pending_acceptance'; detail: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'paused'; reason: string }
  | { kind: 'retry'; reason: string };

/** A vendor's write client: read first, then at most one effective write. */
export interface SeatWriter {
  readonly vendor: Vendor;
  /** The exact HTTP calls `write` would make (for WRITE_BACK_DRY_RUN), without making any. */
  describe(write: SeatWrite): string[];
  write(write: SeatWrite, signal?: AbortSignal): Promise<SeatWriteOutcome>;
}
