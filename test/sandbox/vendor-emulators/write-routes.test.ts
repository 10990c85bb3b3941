import { afterEach, describe, expect, it } from 'vitest';
import { startWebexLicensesEmulator, type WebexLicensesEmulator } from '../../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { startCpodEmulator, type CpodEmulator } from '../../../src/sandbox/vendor-emulators/cpod-emulator.js';
import { createWebexLicenseWriter } from '../../../src/sync/vendors/webex/webex-license-writer.js';
import { createCpodAssignmentWriter } from '../../../src/sync/vendors/cpod/cpod-assignment-writer.js';

const TOKEN = 'webex-admin-token-for-write-routes';
const noWait = (): Promise<void> => Promise.resolve();
let webex: WebexLicensesEmulator | null = null;
let cpod: CpodEmulator | null = null;
afterEach(async () => {
  await webex?.close();
  await cpod?.close();
  webex = null;
  cpod = null;
});

const patch = (url: string, body: unknown) =>
  fetch(`${url}/licenses/users`, { method: 'PATCH', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Webex licenses emulator: PATCH /licenses/users and GET /people (official webex-admin spec)', () => {
  it('assigns and removes a license, answering UserLicensesResponse; the person and the license listing agree', async () => {
    webex = await startWebexLicensesEmulator({ token: TOKEN });
    const id = webex.data.licenses[1]!.id;
    const res = await patch(webex.url, { email: 'new.person@example.com', licenses: [{ id, operation: 'add' }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { licenses: string[]; personId: string; email: string; orgId: string };
    expect(body).toMatchObject({ email: 'new.person@example.com', orgId: webex.data.orgId });
    expect(body.licenses).toContain(id);
    const people = (await (await fetch(`${webex.url}/people?email=new.person@example.com`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { items: { id: string; licenses: string[] }[] };
    expect(people.items[0]?.licenses).toContain(id);
    const byId = (await (await fetch(`${webex.url}/people/${encodeURIComponent(body.personId)}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { licenses: string[] };
    expect(byId.licenses).toContain(id);
    expect(webex.data.licenses[1]!.users.some((u) => u.email === 'new.person@example.com')).toBe(true);
    const removed = (await (await patch(webex.url, { personId: body.personId, licenses: [{ id, operation: 'remove' }] })).json()) as { licenses: string[] };
    expect(removed.licenses).not.toContain(id);
  });

  it('answers 400 LicenseError for an unknown license, 206 on the partial fault, and keeps licenses of people outside the org pending', async () => {
    webex = await startWebexLicensesEmulator({ token: TOKEN });
    const id = webex.data.licenses[0]!.id;
    const unknown = await patch(webex.url, { email: 'a@example.com', licenses: [{ id: 'nope', operation: 'add' }] });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ message: 'License not recognized', errors: [{ errorCode: 400000, description: 'License not recognized nope' }], trackingId: expect.any(String) });
    webex.faults.set({ partial206: 1 });
    const partial = await patch(webex.url, { email: 'b@example.com', licenses: [{ id, operation: 'add' }] });
    expect(partial.status).toBe(206);
    expect(((await partial.json()) as { licenses: string[] }).licenses).not.toContain(id);

    const writer = createWebexLicenseWriter({ baseUrl: webex.url, token: TOKEN, fetch: globalThis.fetch, sleep: noWait });
    const outside = await writer.write({ op: 'add', licenseId: id, assignee: { id: 'x', email: 'guest@partner.example' }, expiresAt: null });
    expect(outside).toEqual({ kind: 'pending_acceptance', detail: 'Webex holds the license until the user accepts the invitation' });
    // Pending licenses are not among the person's licenses: a removal of one is sent anyway and clears it.
    const guest = { id: 'x', email: 'guest@partner.example' };
    expect(await writer.write({ op: 'remove', licenseId: id, assignee: guest, expiresAt: null, pendingAcceptance: true })).toMatchObject({ kind: 'done', noop: false });
    expect(webex.writes.at(-1)).toMatchObject({ email: 'guest@partner.example', operation: 'remove' });
    expect(await writer.write({ op: 'add', licenseId: id, assignee: guest, expiresAt: null })).toMatchObject({ kind: 'pending_acceptance' });
    expect(await writer.write({ op: 'remove', licenseId: id, assignee: { id: 'x', email: 'never.seen@example.com' }, expiresAt: null })).toMatchObject({ kind: 'done', noop: true });
  });
});

describe('cPod emulator: LicenseAssignment create and revoke', () => {
  const writerFor = (emu: CpodEmulator) => createCpodAssignmentWriter({ baseUrl: emu.url, token: emu.token, fetch: globalThis.fetch, sleep: noWait });
  const freeLicense = (emu: CpodEmulator): string =>
    emu.data.licenses.find((l) => l.status === 'active' && (l.total_seats === null || l.total_seats > emu.data.assignments.filter((a) => a.license_id === l.id).length + 5))!.id;

  it('creates once (a second add reads it and does nothing), and revokes by each form a server may serve', async () => {
    cpod = await startCpodEmulator({});
    const writer = writerFor(cpod);
    const licenseId = freeLicense(cpod);
    const who = { id: 'per_new', email: 'new@example.com' };
    expect(await writer.write({ op: 'add', licenseId, assignee: who, expiresAt: null })).toMatchObject({ kind: 'done', noop: false });
    expect(await writer.write({ op: 'add', licenseId, assignee: who, expiresAt: null })).toMatchObject({ kind: 'done', noop: true });
    for (const form of ['action', 'patch', 'delete'] as const) {
      cpod.revokeForms = [form];
      if (form !== 'action') await writer.write({ op: 'add', licenseId, assignee: who, expiresAt: null });
      expect(await writer.write({ op: 'remove', licenseId, assignee: who, expiresAt: null })).toMatchObject({ kind: 'done', noop: false });
    }
    expect(cpod.writes.map((w) => (w.op === 'create' ? 'create' : `revoke:${w.form ?? ''}`))).toEqual(['create', 'revoke:action', 'create', 'revoke:patch', 'create', 'revoke:delete']);
  });

  it('a full license is a refusal; a server serving no revoke form is a refusal, not a silent success', async () => {
    cpod = await startCpodEmulator({});
    const writer = writerFor(cpod);
    const full = cpod.data.licenses.find((l) => l.total_seats !== null && cpod!.data.assignments.filter((a) => a.license_id === l.id && !a.is_deleted && (a.status === 'active' || a.status === null)).length >= l.total_seats)!;
    expect(await writer.write({ op: 'add', licenseId: full.id, assignee: { id: 'per_x', email: 'x@example.com' }, expiresAt: null })).toMatchObject({ kind: 'refused', reason: expect.stringContaining('no_seats_available') });
    const licenseId = freeLicense(cpod);
    await writer.write({ op: 'add', licenseId, assignee: { id: 'per_y', email: 'y@example.com' }, expiresAt: null });
    cpod.revokeForms = [];
    expect(await writer.write({ op: 'remove', licenseId, assignee: { id: 'per_y', email: 'y@example.com' }, expiresAt: null })).toMatchObject({ kind: 'refused' });
  });
});
