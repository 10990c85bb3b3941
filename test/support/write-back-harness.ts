import { createLogger } from '../../src/log.js';
import { DEFAULT_POLICY, type LicensePool, type SeatAssignment } from '../../src/domain/ledger.js';
import { startWebexLicensesEmulator, type WebexLicensesEmulator } from '../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { startCpodEmulator, type CpodEmulator } from '../../src/sandbox/vendor-emulators/cpod-emulator.js';
import { createWebexLicenseWriter } from '../../src/sync/vendors/webex/webex-license-writer.js';
import { createCpodAssignmentWriter } from '../../src/sync/vendors/cpod/cpod-assignment-writer.js';
import { createProvisioningWorker, type ProvisioningWorker, type WriteBackSettings } from '../../src/provisioning/provisioning-worker.js';
import { createWriteBackNotices } from '../../src/bot/write-back-notices.js';
import { createTestBot, PEOPLE } from './test-bot.js';
import { makePool } from './make-pool.js';

const noWait = (): Promise<void> => Promise.resolve();
const TOKEN = 'webex-admin-token-for-tests';

/**
 * The real bot (memory store, fixed clock, recording outbox) with a Webex and a cPod pool whose write-back is on,
 * the Webex licenses and cPod emulators on 127.0.0.1, the real write clients and the provisioning worker. Tests
 * drive the chat, then `worker.drain()` (no sleeping: HTTP retries wait 0 ms).
 */
export async function startWriteBackHarness(settings: Partial<WriteBackSettings> = {}) {
  const webexEmu: WebexLicensesEmulator = await startWebexLicensesEmulator({ token: TOKEN });
  const cpodEmu: CpodEmulator = await startCpodEmulator({});
  const license = webexEmu.data.licenses[0]!;
  const webexPool: LicensePool = makePool(
    { externalId: license.id, productName: 'Webex Meetings', totalSeats: 50, consumedSeats: license.users.length, policy: { ...DEFAULT_POLICY, writeBack: true }, sourceKind: 'webex.license' },
    'webex',
  );
  const heldOf = (id: string): number => cpodEmu.data.assignments.filter((a) => a.license_id === id && !a.is_deleted && (a.status === 'active' || a.status === null)).length;
  const cpodLicense = cpodEmu.data.licenses.find((l) => !l.is_deleted && l.status === 'active' && (l.total_seats === null || l.total_seats > heldOf(l.id) + 10))!;
  const cpodPool: LicensePool = makePool({ externalId: cpodLicense.id, productName: 'Figma', totalSeats: 1000, consumedSeats: 0, policy: { ...DEFAULT_POLICY, writeBack: true } }, 'cpod');
  const t = createTestBot([webexPool, cpodPool]);
  const logger = createLogger({ level: 'silent' });
  const http = { fetch: globalThis.fetch, sleep: noWait, logger };
  const writers = [
    createWebexLicenseWriter({ ...http, baseUrl: webexEmu.url, token: TOKEN }),
    createCpodAssignmentWriter({ ...http, baseUrl: cpodEmu.url, token: cpodEmu.token }),
  ];
  const access = { adminEmails: ['ada@example.com', 'bob@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] };
  const fullSettings: WriteBackSettings = { vendors: ['webex', 'cpod'], dryRun: false, maxRemovalsPerHour: 20, ...settings };
  const newWorker = (): ProvisioningWorker =>
    createProvisioningWorker({
      store: t.store,
      clock: t.clock,
      logger,
      writers,
      settings: fullSettings,
      outbox: {
        send: (replies) => {
          t.sent.push(...replies);
          return Promise.resolve();
        },
      },
      notices: createWriteBackNotices(access),
      setTimer: () => ({ cancel: () => undefined }),
    });
  let n = 0;
  /** Cy (or `who`) asks for a seat and Ada approves it; the approved seat. */
  const approved = async (pool: LicensePool, who = PEOPLE.cy): Promise<SeatAssignment> => {
    await t.say(who, `request ${pool.productName}`);
    const seat = t.store.read().openSeat(pool.id, { kind: 'user', id: who.id, email: who.email });
    if (!seat) throw new Error('no seat requested');
    await t.click(PEOPLE.ada, { action: 'seat.approve', assignmentId: seat.id }, { roomId: 'room-admins', id: `approve-${++n}` });
    return t.store.read().assignment(seat.id)!;
  };
  const latest = (seatId: string) => t.store.read().provisionsOf(seatId).at(-1);
  return {
    ...t,
    webexEmu,
    cpodEmu,
    webexPool,
    cpodPool,
    writers,
    worker: newWorker(),
    newWorker,
    approved,
    latest,
    /** Webex PATCH calls that changed something (assignments really made or removed). */
    webexChanges: () => webexEmu.writes.filter((w) => w.changed),
    close: async () => {
      await Promise.all([webexEmu.close(), cpodEmu.close()]);
    },
  };
}
