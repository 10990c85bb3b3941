// End to end: boots `src/main.ts` in sandbox mode as a child process (fake Webex API, vendor emulators and
// the real bot on 127.0.0.1), then chats with it over the /_sandbox routes and through the chat page in
// headless Chromium. Waits are bounded polls of a condition, never fixed sleeps.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startAppProcess, type AppProcess } from '../support/start-app-process.js';

const CHROMIUM = '/usr/bin/chromium';
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
const HEALTH_TOKEN = 'e2e-health-token-0123456789';
const CY = 'cy@example.com';
const ADA = 'ada@example.com';

interface Message {
  id: string;
  roomId: string;
  personEmail: string;
  text?: string;
  markdown?: string;
  parentId?: string;
  attachments?: { contentType: string; content: Card }[];
  created: string;
}
interface Card {
  type: string;
  body?: unknown[];
  actions?: { type: string; title: string; data?: Record<string, unknown> }[];
}
interface Room {
  id: string;
  title: string;
  type: 'direct' | 'group';
  members: { email: string }[];
}
interface Choice {
  title: string;
  value: string;
}

let app: AppProcess;
let base: string;
/** The ledger folder, kept across the restart in the browser test (startAppProcess removes only its own). */
let dataDir: string;

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as T };
}
async function ok<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const { status, json } = await call<T>(method, path, body);
  if (status !== 200) throw new Error(`${method} ${path} -> ${status}: ${JSON.stringify(json)}`);
  return json;
}

/** Polls `probe` until it returns a value (not undefined); fails with `what` after `timeoutMs`. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const messages = async (roomId: string): Promise<Message[]> =>
  (await ok<{ items: Message[] }>('GET', `/_sandbox/rooms/${encodeURIComponent(roomId)}/messages`)).items;
const cardOf = (m: Message): Card | undefined =>
  m.attachments?.find((a) => a.contentType === CARD_TYPE)?.content;
const isBot = (m: Message): boolean => m.personEmail.endsWith('@webex.bot');

/** The next card the bot posts in `roomId` after the message ids in `seen`. */
async function nextBotCard(
  roomId: string,
  seen: Set<string>,
  what: string,
): Promise<{ message: Message; card: Card }> {
  return eventually(what, async () => {
    const m = (await messages(roomId)).find((x) => !seen.has(x.id) && isBot(x) && cardOf(x));
    return m ? { message: m, card: cardOf(m)! } : undefined;
  });
}
const ids = async (roomId: string): Promise<Set<string>> =>
  new Set((await messages(roomId)).map((m) => m.id));

function choicesOf(card: Card): Choice[] {
  const found: Choice[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o['type'] === 'Input.ChoiceSet' && Array.isArray(o['choices']))
        found.push(...(o['choices'] as Choice[]));
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  return found;
}
const submitData = (card: Card, action: string): Record<string, unknown> | undefined =>
  card.actions?.find((a) => a.type === 'Action.Submit' && a.data?.['action'] === action)?.data;

async function rooms(): Promise<Room[]> {
  return (await ok<{ items: Room[] }>('GET', '/_sandbox/rooms')).items;
}
async function directRoomOf(email: string): Promise<Room> {
  const room = (await rooms()).find((r) => r.type === 'direct' && r.members.some((m) => m.email === email));
  if (!room) throw new Error(`no direct space for ${email}`);
  return room;
}

const hasChromium = existsSync(CHROMIUM);
const browserSuite = hasChromium
  ? 'the chat page in headless Chromium'
  : `the chat page in headless Chromium (SKIPPED: ${CHROMIUM} is missing; apt-get install -y chromium fonts-dejavu-core)`;

describe('starting the app process', () => {
  it('fails fast with the collected output when the config is bad', async () => {
    const started = startAppProcess({ env: { LOG_LEVEL: 'shouting' } });
    await expect(started).rejects.toThrow(/exited \(code 2\)[\s\S]*LOG_LEVEL/);
  });
});

describe('the app in sandbox mode (npm start without WEBEX_TOKEN)', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'license-bot-e2e-'));
    app = await startAppProcess({ env: { HEALTH_TOKEN }, dataDir });
    base = app.chatUrl.replace(/\/$/, '');
    // The startup sync fills the ledger from the vendor emulators; the checks below need those pools.
    await app.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('Synced '), 30_000);
  }, 60_000);

  afterAll(async () => {
    const code = await app?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  describe('the sandbox started by npm start without a Webex token', () => {
    it('serves the chat page, the card renderer and JSON 404s on the fake API origin', async () => {
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('/vendor/adaptivecards.min.js');
      expect(html).toContain('/chat.js');
      const js = await fetch(`${base}/vendor/adaptivecards.min.js`);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('javascript');
      expect((await js.text()).length).toBeGreaterThan(100_000);
      const css = await fetch(`${base}/vendor/adaptivecards.css`);
      expect(css.status).toBe(200);
      expect(await css.text()).toContain('.ac-pushButton');
      for (const path of ['/chat.js', '/chat.css']) expect((await fetch(`${base}${path}`)).status).toBe(200);
      const missing = await call<{ message: string }>('GET', '/no-such-page');
      expect(missing.status).toBe(404);
      expect(missing.json.message).toMatch(/could not be found/);
    });

    it('answers /healthz on the receiver port with {status} only, and the details to HEALTH_TOKEN', async () => {
      const healthz = `http://127.0.0.1:${app.port}/healthz`;
      for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }]) {
        const res = await fetch(healthz, { headers });
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('{"status":"ok"}');
      }
      const detailed = await fetch(healthz, { headers: { authorization: `Bearer ${HEALTH_TOKEN}` } });
      expect(await detailed.json()).toMatchObject({
        status: 'ok',
        mode: 'sandbox',
        process: { pid: expect.any(Number) },
        store: { ok: true },
      });
    });

    it('keeps the fake Webex API to this machine and its webhooks to the bot receiver only', async () => {
      const webhookUrl = `http://127.0.0.1:${app.port}/webex/webhook`;
      const hooks = await fetch(`${base}/v1/webhooks`, { headers: { authorization: 'Bearer FAKE_TOKEN' } });
      const items = ((await hooks.json()) as { items: { targetUrl: string }[] }).items;
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(new Set(items.map((w) => w.targetUrl))).toEqual(new Set([webhookUrl]));
      for (const targetUrl of [
        'http://169.254.169.254/latest/meta-data/',
        `http://127.0.0.1:${app.port + 1}/_sandbox/say`,
      ]) {
        const res = await fetch(`${base}/v1/webhooks`, {
          method: 'POST',
          headers: { authorization: 'Bearer FAKE_TOKEN', 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', targetUrl, resource: 'all', event: 'all' }),
        });
        expect(res.status, targetUrl).toBe(400);
        expect(((await res.json()) as { message: string }).message).toContain('Invalid targetUrl');
      }
      // A browser on a rebound evil.example sends its own Host: refused, the chat page included.
      const rebound = await new Promise<number>((resolve, reject) => {
        const req = request(`${base}/`, { headers: { host: `evil.example:${app.port + 1}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(rebound).toBe(421);
    });

    it('answers bad sandbox requests with a clear 400 and posts nothing', async () => {
      const cy = await directRoomOf(CY);
      const before = await messages(cy.id);
      const noText = await call<{ error: { code: string; message: string } }>('POST', '/_sandbox/say', {
        roomId: cy.id,
        personEmail: CY,
      });
      expect(noText.status).toBe(400);
      expect(noText.json.error.code).toBe('SANDBOX_BAD_REQUEST');
      const admins = (await rooms()).find((r) => r.title === 'License Admins')!;
      const notMember = await call<{ error: { message: string } }>('POST', '/_sandbox/say', {
        roomId: admins.id,
        personEmail: CY,
        text: 'hi',
      });
      expect(notMember.status).toBe(400);
      expect(notMember.json.error.message).toContain('not a member');
      expect(await messages(cy.id)).toEqual(before);
    });

    it('lets Cy list licenses, request a Zoho CRM seat, Ada approve it, and tells Cy in a DM', async () => {
      const cy = await directRoomOf(CY);
      const admins = (await rooms()).find((r) => r.title === 'License Admins');
      expect(admins).toBeDefined();
      const adminsBefore = await ids(admins!.id);

      let seen = await ids(cy.id);
      await ok('POST', '/_sandbox/say', { roomId: cy.id, personEmail: CY, text: 'licenses' });
      let { message, card } = await nextBotCard(cy.id, seen, 'the licenses card');
      expect(card.type).toBe('AdaptiveCard');
      const vendorsShown = new Set(choicesOf(card).map((c) => /\(([^)]+)\)$/.exec(c.title)?.[1]));
      expect(vendorsShown.size).toBeGreaterThanOrEqual(2);

      // Page through the summary (as the More button would) until the Zoho CRM pool is listed.
      let zoho = choicesOf(card).find((c) => c.title.includes('Zoho CRM'));
      for (let page = 0; !zoho && page < 10; page += 1) {
        const more = card.actions?.find((a) => a.type === 'Action.Submit' && a.title === 'More')?.data;
        expect(more, 'a More button while Zoho CRM is not listed yet').toBeDefined();
        seen = await ids(cy.id);
        await ok('POST', '/_sandbox/submit', {
          messageId: message.id,
          personEmail: CY,
          inputs: { poolId: '', ...more },
        });
        ({ message, card } = await nextBotCard(cy.id, seen, 'the next licenses page'));
        zoho = choicesOf(card).find((c) => c.title.includes('Zoho CRM'));
      }
      expect(zoho).toBeDefined();

      seen = await ids(cy.id);
      await ok('POST', '/_sandbox/submit', {
        messageId: message.id,
        personEmail: CY,
        inputs: { poolId: zoho!.value, ...submitData(card, 'pool.show') },
      });
      const pool = await nextBotCard(cy.id, seen, 'the Zoho CRM pool card');
      expect(JSON.stringify(pool.card)).toContain('Zoho CRM');
      const request = submitData(pool.card, 'seat.request');
      expect(request).toEqual({ action: 'seat.request', poolId: zoho!.value });

      seen = await ids(cy.id);
      await ok('POST', '/_sandbox/submit', {
        messageId: pool.message.id,
        personEmail: CY,
        inputs: { days: '', reason: 'e2e: quarterly pipeline review', ...request },
      });
      const approval = await nextBotCard(admins!.id, adminsBefore, 'the approval card in License Admins');
      const approvalJson = JSON.stringify(approval.card);
      expect(approvalJson).toContain('Zoho CRM');
      expect(approvalJson).toMatch(/Cy User|cy@example\.com/);
      const approve = submitData(approval.card, 'seat.approve');
      expect(approve?.['assignmentId']).toEqual(expect.any(String));

      const cyBeforeDecision = await ids(cy.id);
      await ok('POST', '/_sandbox/submit', {
        messageId: approval.message.id,
        personEmail: ADA,
        inputs: { note: 'enjoy', ...approve },
      });
      const decision = await eventually('the decision DM to Cy', async () => {
        const m = (await messages(cy.id)).find(
          (x) => !cyBeforeDecision.has(x.id) && isBot(x) && /approved/i.test(JSON.stringify(x)),
        );
        return m;
      });
      expect(JSON.stringify(decision)).toContain('Zoho CRM');

      // The ledger now shows the seat as Cy's.
      seen = await ids(cy.id);
      await ok('POST', '/_sandbox/say', { roomId: cy.id, personEmail: CY, text: 'my seats' });
      const mySeats = await nextBotCard(cy.id, seen, 'the my-seats card');
      expect(JSON.stringify(mySeats.card)).toContain('Zoho CRM');
    });

    it('shows write-back live: an approval of a Webex seat becomes an assignment in the emulator, and Cy is told', async () => {
      const product = 'Meeting - Webex Meeting Center';
      const ada = await directRoomOf(ADA);
      // The sandbox turns write-back on for its Webex and cPod licenses after its first sync.
      await eventually('write-back on for the Webex license', async () => {
        const seen = await ids(ada.id);
        await ok('POST', '/_sandbox/say', { roomId: ada.id, personEmail: ADA, text: `policy ${product}` });
        const reply = await eventually('the policy answer', async () => (await messages(ada.id)).find((x) => !seen.has(x.id) && isBot(x)));
        return /write-back on/.test(reply.markdown ?? '') ? true : undefined;
      });
      const cy = await directRoomOf(CY);
      const admins = (await rooms()).find((r) => r.title === 'License Admins')!;
      const adminsBefore = await ids(admins.id);
      await ok('POST', '/_sandbox/say', { roomId: cy.id, personEmail: CY, text: `request ${product}` });
      const approval = await eventually('the approval card for the Webex seat', async () => {
        const m = (await messages(admins.id)).find((x) => !adminsBefore.has(x.id) && isBot(x) && JSON.stringify(cardOf(x) ?? {}).includes('Webex Meeting Center'));
        return m ? { message: m, card: cardOf(m)! } : undefined;
      });
      const cyBefore = await ids(cy.id);
      await ok('POST', '/_sandbox/submit', { messageId: approval.message.id, personEmail: ADA, inputs: { ...submitData(approval.card, 'seat.approve') } });
      const assigned = await eventually('the DM that the license is really Cy\'s', async () =>
        (await messages(cy.id)).find((x) => !cyBefore.has(x.id) && isBot(x) && (x.markdown ?? '').includes('license is now yours')),
      );
      expect(assigned.markdown).toBe(`Your **${product}** license is now yours: assigned in Webex ✓.`);
      const seen = await ids(cy.id);
      await ok('POST', '/_sandbox/say', { roomId: cy.id, personEmail: CY, text: 'my seats' });
      const mySeats = await nextBotCard(cy.id, seen, 'the my-seats card');
      expect(JSON.stringify(mySeats.card)).toContain('assigned in Webex ✓');
    });
  });

  describe.skipIf(!hasChromium)(browserSuite, () => {
    let context: BrowserContext;
    let page: Page;
    let profile: string;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      profile = await mkdtemp(join(tmpdir(), 'license-bot-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
        viewport: { width: 1200, height: 820 },
      });
      context.setDefaultTimeout(10_000);
      page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (err) => pageErrors.push(err.message));
    }, 30_000);

    /** The card of the message that `card` belongs to, by message id (`.last()`/`.nth()` move as messages arrive). */
    async function pin(card: Locator): Promise<Locator> {
      const id = await card.locator('xpath=ancestor::article[1]').getAttribute('data-message-id');
      expect(id).toBeTruthy();
      return page.locator(`article[data-message-id="${id}"] > .msg-main > .card .ac-adaptiveCard`).first();
    }

    afterAll(async () => {
      await context?.close();
      if (profile) await rm(profile, { recursive: true, force: true });
    });

    it('draws the bot’s cards with the Adaptive Cards renderer and submits button presses as the chosen person, through to an approval', async () => {
      await page.goto(app.chatUrl);
      await page.locator('#person').selectOption(CY);
      await page.locator('.room[data-room-type="direct"]').click();
      await expect.poll(() => page.locator('#room-title').textContent()).toBe('License Bot');
      // Suggestions follow the role: Cy is not offered the admin-only commands.
      expect(await page.locator('.chip').allTextContents()).not.toContain('pending');
      // Wait until the page shows the space's whole history (the HTTP test above already chatted here).
      const history = (await messages((await directRoomOf(CY)).id)).length;
      await expect.poll(() => page.locator('.msg').count(), { timeout: 10_000 }).toBe(history);
      const cards = page.locator('.ac-adaptiveCard');
      const before = await cards.count();
      await page.locator('.chip', { hasText: /^licenses$/ }).click();
      await expect.poll(() => cards.count(), { timeout: 15_000 }).toBeGreaterThan(before);
      const summary = await pin(cards.nth(before));
      await expect.poll(() => summary.textContent()).toContain('Licenses');
      // The renderer drew real controls, and markdown (**bold**) became <strong>, not raw asterisks.
      expect(await summary.locator('.ac-pushButton', { hasText: 'Show seats' }).count()).toBe(1);
      expect(await summary.locator('strong').count()).toBeGreaterThan(0);
      expect(await summary.textContent()).not.toContain('**');

      const shot = join(profile, 'chat-page.png');
      await page.screenshot({ path: shot });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
      const keep = process.env['CHAT_PAGE_SCREENSHOT']; // optional: where to keep a copy for a person to look at
      if (keep) await copyFile(shot, keep);

      // Press "More", pick Zoho CRM in the new card's ChoiceSet, press "Show seats": the inputs are merged.
      const n1 = await cards.count();
      await summary.locator('.ac-pushButton', { hasText: 'More' }).click();
      await expect.poll(() => cards.count(), { timeout: 15_000 }).toBeGreaterThan(n1);
      const page2 = await pin(cards.nth(n1));
      const zohoLabel = (await page2.locator('select option').allTextContents()).find((t) =>
        t.includes('Zoho CRM'),
      );
      expect(zohoLabel).toBeDefined();
      await page2.locator('select').selectOption({ label: zohoLabel! });
      const n2 = await cards.count();
      await page2.locator('.ac-pushButton', { hasText: 'Show seats' }).click();
      await expect.poll(() => cards.count(), { timeout: 15_000 }).toBeGreaterThan(n2);
      const pool = await pin(cards.nth(n2));
      await expect.poll(() => pool.textContent()).toContain('Zoho CRM');
      await expect.poll(() => page.locator('.card-status.ok').count()).toBeGreaterThan(0);
      // Bot replies to a card sit in the card message's thread, indented under it.
      expect(await page.locator('.replies .ac-adaptiveCard').count()).toBeGreaterThan(0);

      // Request a seat with a reason typed into a pool card: open pools from the first summary card until one
      // offers "Request a seat" (Cy already holds the Zoho CRM seat from the HTTP test above).
      const options = (await summary.locator('select option').allTextContents()).filter((t) =>
        t.includes('('),
      );
      expect(options.length).toBeGreaterThan(0);
      let requestable: Locator | undefined;
      for (const label of options) {
        await summary.locator('select').selectOption({ label });
        const n = await cards.count();
        await summary.locator('.ac-pushButton', { hasText: 'Show seats' }).click();
        await expect.poll(() => cards.count(), { timeout: 15_000 }).toBeGreaterThan(n);
        const card = await pin(cards.nth(n));
        if ((await card.locator('.ac-pushButton', { hasText: 'Request a seat' }).count()) > 0) {
          requestable = card;
          break;
        }
      }
      expect(requestable, 'a pool card with a Request a seat button').toBeDefined();
      await requestable!.locator('textarea').fill('e2e from the browser');
      const repliesBefore = await page.locator('.msg.from-bot').count();
      await requestable!.locator('.ac-pushButton', { hasText: 'Request a seat' }).click();
      await expect
        .poll(() => page.locator('.msg.from-bot').count(), { timeout: 15_000 })
        .toBeGreaterThan(repliesBefore);
      const reply = page.locator('.msg.from-bot').nth(repliesBefore);
      await expect.poll(() => reply.textContent()).toMatch(/request/i);
      await page.screenshot({ path: join(profile, 'after-request.png') });
      if (keep) await copyFile(join(profile, 'after-request.png'), keep.replace(/\.png$/, '-request.png'));

      // Switch to Ada: the approval card waits in License Admins; she approves it there, Cy gets the decision.
      const poolName = (await requestable!.locator('.ac-textBlock').first().textContent())!.trim();
      expect(poolName.length).toBeGreaterThan(0);
      await page.locator('#person').selectOption(ADA);
      await expect.poll(() => page.locator('#me-role').textContent()).toMatch(/admin/i);
      expect(await page.locator('.chip').allTextContents()).toEqual(expect.arrayContaining(['pending', 'who has Zoho CRM']));
      await page.locator('.room', { hasText: 'License Admins' }).click();
      const approvalCard = page
        .locator('.ac-adaptiveCard')
        .filter({ hasText: poolName })
        .filter({ has: page.locator('.ac-pushButton', { hasText: 'Approve' }) })
        .last();
      await approvalCard.waitFor({ timeout: 15_000 });
      await expect.poll(() => approvalCard.textContent()).toContain('Cy User');
      await approvalCard.locator('.ac-pushButton', { hasText: 'Approve' }).click();
      await expect.poll(() => page.locator('.card-status.ok', { hasText: 'as Ada Admin' }).count()).toBe(1);
      await page.screenshot({ path: join(profile, 'admin.png') });
      if (keep) await copyFile(join(profile, 'admin.png'), keep.replace(/\.png$/, '-admin.png'));

      await page.locator('#person').selectOption(CY);
      await page.locator('.room[data-room-type="direct"]').click();
      const decision = page
        .locator('.msg.from-bot')
        .filter({ hasText: poolName })
        .filter({ hasText: /approved/i });
      await expect.poll(() => decision.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    });

    it('shows what people type as text, never as HTML, and mentions the bot in group spaces', async () => {
      await page.locator('.room[data-room-type="group"]', { hasText: 'Engineering' }).click();
      await expect.poll(() => page.locator('#room-title').textContent()).toBe('Engineering');
      expect(await page.locator('#mention-hint').isVisible()).toBe(true);
      const botBefore = await page.locator('.msg.from-bot').count();
      const hostile = 'help <img src=x onerror="window.__pwned=1"> **bold**';
      await page.locator('#text').fill(hostile);
      await page.locator('#send').click();
      const mine = page.locator('.msg.from-me').last();
      await expect
        .poll(() => mine.textContent(), { timeout: 10_000 })
        .toContain('<img src=x onerror="window.__pwned=1">');
      expect(await mine.locator('img').count()).toBe(0);
      expect(await mine.locator('strong').textContent()).toBe('bold');
      expect(await mine.locator('.mention-pill').textContent()).toBe('@License Bot');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      // The bot saw the mention and answered in the group space.
      await expect
        .poll(() => page.locator('.msg.from-bot').count(), { timeout: 15_000 })
        .toBeGreaterThan(botBefore);
    });

    it('shows an API error inline as a sentence, with the technical detail only in its tooltip', async () => {
      await page.locator('#text').fill('x'.repeat(7001));
      await page.locator('#send').click();
      await expect.poll(() => page.locator('#error').isVisible()).toBe(true);
      const text = await page.locator('#error-text').textContent();
      expect(text).toBe('That message is too long (at most 7000 characters).');
      expect(text).not.toMatch(/[✖→]|_sandbox|\(400\)/);
      expect(await page.locator('#error').getAttribute('title')).toMatch(
        /POST \/_sandbox\/say failed \(400\)/,
      );
      await page.locator('#error-close').click();
      expect(await page.locator('#error').isVisible()).toBe(false);
    });

    it('draws the bot’s markers (⏳ ⛔ ✅) and CJK text with real glyphs, not missing-glyph boxes', async () => {
      // Each sample is drawn in the page's own fonts next to U+10FFFD, a private-use code point no font has: without
      // an emoji or CJK font Chromium draws both as the same box, so the two screenshots would be byte-identical.
      const samples = ['⏳', '⛔', '✅', '中', 'あ', '한'];
      await page.evaluate((texts) => {
        const box = document.createElement('div');
        box.id = 'glyph-check';
        box.style.cssText =
          'position:fixed;left:0;top:0;z-index:99;background:#fff;font-size:32px;line-height:1.3';
        for (const [i, t] of [...texts, '\u{10FFFD}'].entries()) {
          const span = document.createElement('span');
          span.textContent = t;
          span.dataset['glyph'] = String(i);
          span.style.cssText = 'display:inline-block;padding:2px';
          box.append(span);
        }
        document.body.append(box);
      }, samples);
      const shot = (i: number) => page.locator(`#glyph-check [data-glyph="${i}"]`).screenshot();
      const missing = await shot(samples.length);
      for (const [i, sample] of samples.entries()) {
        expect(
          (await shot(i)).equals(missing),
          `${sample} is drawn as a missing-glyph box: install fonts-noto-color-emoji fonts-wqy-microhei`,
        ).toBe(false);
      }
      // The markers are colour emoji, as Webex shows them (a monochrome fallback would draw no coloured pixel).
      const coloured = await page.evaluate(
        (markers) => {
          const font = getComputedStyle(document.body).fontFamily;
          return markers.map((m) => {
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 48;
            const ctx = canvas.getContext('2d')!;
            ctx.font = `32px ${font}`;
            ctx.textBaseline = 'top';
            ctx.fillText(m, 4, 4);
            const d = ctx.getImageData(0, 0, 48, 48).data;
            let n = 0;
            for (let k = 0; k < d.length; k += 4)
              if (
                d[k + 3]! > 0 &&
                Math.max(d[k]!, d[k + 1]!, d[k + 2]!) - Math.min(d[k]!, d[k + 1]!, d[k + 2]!) > 40
              )
                n += 1;
            return n;
          });
        },
        samples.slice(0, 3),
      );
      for (const n of coloured) expect(n).toBeGreaterThan(50);
      await page.screenshot({ path: join(profile, 'glyphs.png') });
      const keep = process.env['CHAT_PAGE_SCREENSHOT'];
      if (keep) await copyFile(join(profile, 'glyphs.png'), keep.replace(/\.png$/, '-glyphs.png'));
      await page.evaluate(() => document.getElementById('glyph-check')?.remove());
    });

    it('reconnects by itself when the bot restarts under the open page: the banner clears, the spaces stay, chatting goes on', async () => {
      await page.locator('#person').selectOption(ADA);
      await page.locator('.room', { hasText: 'License Admins' }).click();
      await expect.poll(() => page.locator('#room-title').textContent()).toBe('License Admins');
      const adminsId = await page.locator('.room.active').getAttribute('data-room-id');
      expect(adminsId).toBeTruthy();
      // The approval cards of the tests above.
      await expect.poll(() => page.locator('.msg').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const before = await page.locator('.msg').count();
      const roomsBefore = await page.locator('.room').allTextContents();

      expect(await app.stop()).toBe(0);
      await expect.poll(() => page.locator('#error').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await page.locator('#error-text').textContent()).toMatch(/^The sandbox is not answering/);
      expect(await page.locator('.room').allTextContents()).toEqual(roomsBefore);

      app = await startAppProcess({ env: { HEALTH_TOKEN }, dataDir, port: app.port });
      await expect.poll(() => page.locator('#error').isVisible(), { timeout: 15_000 }).toBe(false);
      // The same space under the same id, what was said before still on screen (marked), a note where it ends.
      expect(await page.locator('.room.active').getAttribute('data-room-id')).toBe(adminsId);
      expect(await page.locator('.room').allTextContents()).toEqual(roomsBefore);
      await expect.poll(() => page.locator('.restart-note').count(), { timeout: 10_000 }).toBe(1);
      expect(await page.locator('.msg.stale').count()).toBe(before);

      // A button on a card from before answers with a sentence (that message is gone from the restarted API).
      const oldCard = page
        .locator('.msg.stale .card')
        .filter({ has: page.locator('.ac-pushButton', { hasText: 'Approve' }) })
        .first();
      await oldCard.locator('.ac-pushButton', { hasText: 'Approve' }).click();
      await expect
        .poll(() => oldCard.locator('.card-status').textContent())
        .toMatch(/^That card is from before the sandbox restarted/);

      // A new message gets an answer, in the same space.
      await page.locator('#text').fill('anything to approve?');
      await page.locator('#send').click();
      const fresh = page.locator('.msg.from-bot:not(.stale)');
      await expect.poll(() => fresh.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(() => fresh.first().textContent()).toMatch(/pending|request/i);
      expect(await page.locator('#error').isVisible()).toBe(false);
      await page.screenshot({ path: join(profile, 'after-restart.png') });
      const keep = process.env['CHAT_PAGE_SCREENSHOT'];
      if (keep) await copyFile(join(profile, 'after-restart.png'), keep.replace(/\.png$/, '-restart.png'));
      expect(pageErrors).toEqual([]);
    }, 90_000);
  });
});
