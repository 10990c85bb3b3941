/** Webex license data in the vendor's own shape (vendor-apis.md section 1.1), for the emulator. */

export interface WebexEmulatorUser {
  id: string;
  type?: 'INTERNAL' | 'EXTERNAL';
  displayName?: string;
  email?: string;
}

export interface WebexEmulatorLicense {
  id: string;
  name?: string;
  totalUnits?: number;
  consumedUnits?: number;
  consumedByUsers?: number;
  consumedByWorkspaces?: number;
  subscriptionId?: string;
  siteUrl?: string;
  siteType?: 'Control Hub managed site' | 'Linked site' | 'Site Admin managed site';
  /** Who holds it (served by GET /licenses/{id}?includeAssignedTo=user). */
  users: WebexEmulatorUser[];
}

export interface WebexDataset {
  orgId: string;
  licenses: WebexEmulatorLicense[];
}

const b64 = (s: string): string => Buffer.from(s).toString('base64').replace(/=+$/, '');
export const webexOrgId = (uuid: string): string => b64(`ciscospark://us/ORGANIZATION/${uuid}`);
export const webexLicenseId = (uuid: string): string => b64(`ciscospark://us/LICENSE/${uuid}`);
export const webexPersonId = (uuid: string): string => b64(`ciscospark://us/PEOPLE/${uuid}`);

const person = (n: number, name: string, external = false): WebexEmulatorUser => ({
  id: webexPersonId(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`),
  type: external ? 'EXTERNAL' : 'INTERNAL',
  displayName: name,
  email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${external ? 'partner.example' : 'example.com'}`,
});

const alice = person(1, 'Alice Martin');
const bob = person(2, 'Bob Nguyen');
const carol = person(3, 'Carol Diaz');
const dan = person(4, 'Dan External', true);

/** A small, realistic org for the sandbox and tests. */
export function demoWebexDataset(): WebexDataset {
  return {
    orgId: webexOrgId('96abc2aa-3dcc-11e5-a152-fe34819cdc9a'),
    licenses: [
      {
        id: webexLicenseId('11111111-3dcc-11e5-a152-fe34819cdc9a'),
        name: 'Meeting - Webex Meeting Center',
        totalUnits: 50,
        consumedUnits: 3,
        consumedByUsers: 3,
        consumedByWorkspaces: 0,
        subscriptionId: 'Sub-hydraOct26a',
        siteUrl: 'site1-example.webex.com',
        siteType: 'Control Hub managed site',
        users: [alice, bob, dan],
      },
      {
        id: webexLicenseId('22222222-3dcc-11e5-a152-fe34819cdc9a'),
        name: 'Webex Calling - Professional',
        totalUnits: 3,
        consumedUnits: 3,
        consumedByUsers: 2,
        consumedByWorkspaces: 1,
        subscriptionId: 'Sub-hydraOct26a',
        users: [alice, carol],
      },
      {
        id: webexLicenseId('33333333-3dcc-11e5-a152-fe34819cdc9a'),
        name: 'Messaging',
        totalUnits: 100,
        consumedUnits: 4,
        subscriptionId: 'Sub-hydraOct26a',
        users: [alice, bob, carol, dan],
      },
      {
        id: webexLicenseId('44444444-3dcc-11e5-a152-fe34819cdc9a'),
        name: 'Hybrid - Call Aware',
        totalUnits: 1,
        consumedUnits: 0,
        users: [bob],
      },
    ],
  };
}

/** A big org for benchmarks and paging tests: `licenses` licenses sharing `users` users round-robin. */
export function generateWebexDataset(opts: { licenses: number; users: number; usersPerLicense?: number }): WebexDataset {
  const users = Array.from({ length: opts.users }, (_, i) => person(1000 + i, `User ${i}`, i % 50 === 49));
  const per = Math.min(opts.usersPerLicense ?? opts.users, opts.users);
  const names = ['Messaging', 'Meeting - Webex Meeting Center', 'Webex Calling - Professional', 'Webex Calling - Basic'];
  return {
    orgId: webexOrgId('b16b16b1-0000-4000-8000-000000000000'),
    licenses: Array.from({ length: opts.licenses }, (_, l) => {
      const held = Array.from({ length: per }, (_, k) => users[(l * per + k) % users.length]!);
      return {
        id: webexLicenseId(`b16b16b1-${String(l).padStart(4, '0')}-4000-8000-000000000000`),
        name: l < names.length ? names[l]! : `Webex Add-on ${l}`,
        totalUnits: per + 10,
        consumedUnits: per,
        consumedByUsers: per,
        consumedByWorkspaces: 0,
        subscriptionId: 'Sub-bench-01',
        users: held,
      };
    }),
  };
}
