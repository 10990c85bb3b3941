import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { startFakeWebexApi, type FakeWebexApi } from './fake-webex-api.js';
import { startWebexLicensesEmulator } from './vendor-emulators/webex-licenses-emulator.js';
import { startMerakiEmulator } from './vendor-emulators/meraki-emulator.js';
import { startZohoEmulator } from './vendor-emulators/zoho-emulator.js';
import { startCpodEmulator } from './vendor-emulators/cpod-emulator.js';
import { chatPageRouter } from './chat-page/chat-page-router.js';

export const SANDBOX_PEOPLE = {
  bot: { displayName: 'License Bot', email: 'license-bot@webex.bot' },
  admin: { displayName: 'Ada Admin', email: 'ada@example.com' },
  admin2: { displayName: 'Bob Admin', email: 'bob@example.com' },
  user: { displayName: 'Cy User', email: 'cy@example.com' },
} as const;

export interface Sandbox {
  fakeWebex: FakeWebexApi;
  /** Settings main.ts uses in place of the real ones. */
  webex: { token: string; apiUrl: string; webhookSecret: string };
  vendors: Config['vendors'];
  access: { adminEmails: string[]; adminSpaceId: string };
  /** Write-back is on in the sandbox: approvals assign seats in the Webex and cPod emulators. */
  writeBack: Config['writeBack'];
  close(): Promise<void>;
}

/**
 * Boots the fake Webex API and the four vendor emulators on 127.0.0.1 with demo data, and creates a few
 * spaces (a direct space per person, the admin space, a team space). Wiring only: main.ts decides.
 */
export async function startSandbox(options: { logger: Logger; fakeWebexPort?: number }): Promise<Sandbox> {
  const log = options.logger.child({ component: 'sandbox' });
  const fakeWebex = await startFakeWebexApi({
    port: options.fakeWebexPort ?? 0,
    bot: SANDBOX_PEOPLE.bot,
    people: [SANDBOX_PEOPLE.admin, SANDBOX_PEOPLE.admin2, SANDBOX_PEOPLE.user],
    logger: log,
    routes: chatPageRouter(),
    // None until main.ts announces the bot's receiver: the fake never POSTs anywhere else.
    allowedWebhookTargets: [],
  });
  const { admin, admin2, user } = SANDBOX_PEOPLE;
  for (const p of [admin, admin2, user]) fakeWebex.createRoom({ title: p.displayName, type: 'direct', members: [p.email] });
  const adminSpace = fakeWebex.createRoom({ title: 'License Admins', type: 'group', members: [admin.email, admin2.email] });
  fakeWebex.createRoom({ title: 'Engineering', type: 'group', members: [admin.email, user.email] });

  const webexToken = randomBytes(16).toString('hex');
  const merakiKey = randomBytes(20).toString('hex');
  const [webexLic, meraki, zoho, cpod] = await Promise.all([
    startWebexLicensesEmulator({ token: webexToken }),
    startMerakiEmulator({ apiKey: merakiKey }),
    startZohoEmulator({}),
    startCpodEmulator({}),
  ]);
  const merakiOrg = meraki.data.orgs[0]?.id ?? '549236';
  const sandbox: Sandbox = {
    fakeWebex,
    webex: { token: 'FAKE_TOKEN', apiUrl: fakeWebex.url, webhookSecret: randomBytes(24).toString('hex') },
    vendors: {
      webex: { token: webexToken, orgId: null, apiUrl: webexLic.url },
      meraki: { apiKey: merakiKey, orgId: merakiOrg, apiUrl: meraki.url },
      zoho: { clientId: zoho.clientId, clientSecret: zoho.clientSecret, refreshToken: zoho.refreshToken, dc: 'us', accountsUrl: zoho.url, apiUrl: zoho.url },
      cpod: { apiUrl: cpod.url, token: cpod.token },
    },
    access: { adminEmails: [admin.email, admin2.email], adminSpaceId: adminSpace.id },
    writeBack: { vendors: ['webex', 'cpod'], dryRun: false, maxRemovalsPerHour: 20 },
    close: async () => {
      await Promise.allSettled([fakeWebex.close(), webexLic.close(), meraki.close(), zoho.close(), cpod.close()]);
    },
  };
  log.info({ fakeWebex: fakeWebex.origin }, 'sandbox started: fake Webex API and vendor emulators on 127.0.0.1');
  return sandbox;
}
