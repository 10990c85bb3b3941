import type { AuditAction } from '../domain/ledger.js';

/** Each audit action as the history lists it. */
export const AUDIT_ACTION_TEXT: Readonly<Record<AuditAction, string>> = {
  'seat.requested': 'seat requested',
  'seat.approved': 'request approved',
  'seat.auto_approved': 'seat approved automatically',
  'seat.denied': 'request denied',
  'seat.released': 'seat released',
  'seat.revoked': 'seat revoked',
  'seat.granted': 'seat granted',
  'seat.expired': 'seat ended: its time was up',
  'seat.synced': 'seat seen at the vendor',
  'seat.ended_at_vendor': 'seat ended at the vendor',
  'seat.restored': 'seat restored by undo',
  'seat.extended': 'seat extended',
  'pool.created': 'license added',
  'pool.updated': 'license updated',
  'pool.retired': 'license retired',
  'pool.policy_changed': 'policy changed',
  'space.updated': 'space settings changed',
  'seat.request_expired': 'request closed unanswered',
  'notice.sent': 'notice sent',
  'notice.rearmed': 'notice re-armed',
  'attempt.refused': 'attempt refused',
};
