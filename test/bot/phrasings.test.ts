import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/bot/command-table.js';
import { normalizeText } from '../../src/bot/command.js';
import { POINTER_EXAMPLES } from '../../src/bot/help-pointer.js';

/** The command the bot runs for a message and its arguments, the way bot.ts looks them up. */
function understand(message: string): { command: string; args: Record<string, string | undefined> } | null {
  const text = normalizeText(message);
  for (const c of COMMANDS) {
    const args = c.match(text);
    if (args) return { command: c.name, args };
  }
  return null;
}

type Row = [message: string, command: string, args: Record<string, string>];

const PHRASINGS: Row[] = [
  // help
  ['help', 'help', {}],
  ['Help me please', 'help', {}],
  ['what can you do?', 'help', {}],
  ['How does this work?', 'help', {}],
  ['I need help', 'help', {}],
  ['hepl', 'help', {}],
  // the summary of every license
  ['licenses', 'licenses', {}],
  ['licences', 'licenses', {}],
  ['lisences', 'licenses', {}],
  ['show me all licenses', 'licenses', {}],
  ['What licenses do we have?', 'licenses', {}],
  ['how many seats are left?', 'licenses', {}],
  ['any free seats?', 'licenses', {}],
  ["what's available?", 'licenses', {}],
  // my seats
  ['my seats', 'my seats', {}],
  ['show me my licenses', 'my seats', {}],
  ['what licences do I have?', 'my seats', {}],
  ['what do I have', 'my seats', {}],
  ['my requests', 'my seats', {}],
  // expiring
  ['expiring', 'expiring', {}],
  ['expiring in 30 days', 'expiring', { days: '30' }],
  ['what expires this month?', 'expiring', { days: '30' }],
  ['what is expiring soon?', 'expiring', {}],
  ['which licenses expire next week?', 'expiring', { days: '14' }],
  ['upcoming renewals in the next 3 months', 'expiring', { days: '90' }],
  ['anything expiring within 2 weeks?', 'expiring', { days: '14' }],
  // pending (admins)
  ['pending', 'pending', {}],
  ['approve', 'pending', {}],
  ['anything to approve?', 'pending', {}],
  ['what needs my approval?', 'pending', {}],
  ['show pending requests', 'pending', {}],
  ['who is waiting?', 'pending', {}],
  // digest
  ['digest on', 'digest', { state: 'on' }],
  ['turn off the daily digest', 'digest', { state: 'off' }],
  ['enable daily digest here', 'digest', { state: 'on' }],
  ['stop the digest', 'digest', { state: 'off' }],
  // sync (admins)
  ['sync', 'sync', {}],
  ['sync zoho crm', 'sync', { vendor: 'zoho crm' }],
  ['refresh the data from Meraki', 'sync', { vendor: 'meraki' }],
  ['resync everything now', 'sync', {}],
  // who has (admins)
  ['who has Zoho CRM', 'who has', { product: 'Zoho CRM' }],
  ["who's using Zoho?", 'who has', { product: 'Zoho' }],
  ['who is using the Figma licence?', 'who has', { product: 'Figma' }],
  ['holders of Jira', 'who has', { product: 'Jira' }],
  ['list the Slack users', 'who has', { product: 'Slack' }],
  // grant and revoke (admins)
  [
    'grant zoho crm to cy@example.com for 30 days',
    'grant',
    { product: 'zoho crm', email: 'cy@example.com', days: '30' },
  ],
  [
    'give Cy.User@Example.com a Figma seat for 2 weeks',
    'grant',
    { product: 'Figma', email: 'cy.user@example.com', days: '14' },
  ],
  [
    'assign Jira to [cy@example.com](mailto:cy@example.com)',
    'grant',
    { product: 'Jira', email: 'cy@example.com' },
  ],
  ['revoke zoho crm from cy@example.com', 'revoke', { product: 'zoho crm', email: 'cy@example.com' }],
  ['remove cy@example.com from Figma', 'revoke', { product: 'Figma', email: 'cy@example.com' }],
  ['take the Jira seat back from cy@example.com', 'revoke', { product: 'Jira', email: 'cy@example.com' }],
  // release
  ['release figma professional', 'release', { product: 'figma professional' }],
  ['relase Figma', 'release', { product: 'Figma' }],
  ['give my Jira seat back', 'release', { product: 'Jira' }],
  ["I don't need Miro anymore", 'release', { product: 'Miro' }],
  ['I want to release Zoho', 'release', { product: 'Zoho' }],
  ['cancel my Figma request', 'release', { product: 'Figma' }],
  ["I'm done with Sketch", 'release', { product: 'Sketch' }],
  // request
  [
    'request webex meetings for 14 days because onboarding',
    'request',
    { product: 'webex meetings', days: '14', reason: 'onboarding' },
  ],
  ['I need JetBrains for 2 weeks', 'request', { product: 'JetBrains', days: '14' }],
  ['I need JetBrains for a month', 'request', { product: 'JetBrains', days: '30' }],
  ['can I get a Miro seat because I design', 'request', { product: 'Miro', reason: 'I design' }],
  [
    "I'd like a Figma license for two weeks, because I'm redesigning the app!",
    'request',
    { product: 'Figma', days: '14', reason: "I'm redesigning the app" },
  ],
  ['could I have access to Jira Software?', 'request', { product: 'Jira Software' }],
  ['please give me Slack for 10 days', 'request', { product: 'Slack', days: '10' }],
  ['reqeust Figma for 1 week', 'request', { product: 'Figma', days: '7' }],
  ['sign me up for Adobe Acrobat', 'request', { product: 'Adobe Acrobat' }],
  // one pool
  ['how many Webex Meetings seats are left?', 'seats', { product: 'Webex Meetings' }],
  ['do we have any Figma seats?', 'seats', { product: 'Figma' }],
  ['any free Zoho seats', 'seats', { product: 'Zoho' }],
  ['are there Jira licenses available?', 'seats', { product: 'Jira' }],
  ['is Figma available?', 'seats', { product: 'Figma' }],
  ['how many seats does Slack have?', 'seats', { product: 'Slack' }],
  ['seats Zoho CRM', 'seats', { product: 'Zoho CRM' }],
  ['what about Miro?', 'seats', { product: 'Miro' }],
  ['does anyone have a spare Figma seat?', 'seats', { product: 'Figma' }],
  // punctuation, scripts and emoji of other keyboards
  ['how many Ｚｏｈｏ seats are left？', 'seats', { product: 'Zoho' }],
  ['«Figma» seats?', 'seats', { product: 'Figma' }],
  ['¿any free Zoho seats?', 'seats', { product: 'Zoho' }],
  ['who has Zoho、please。', 'who has', { product: 'Zoho' }],
  ['licenses。', 'licenses', {}],
  ['【help】', 'help', {}],
  ['how many 🎨 Figma seats are left? 🙏', 'seats', { product: 'Figma' }],
  ['⏳ what expires next week?', 'expiring', { days: '14' }],
  ['✅ approve', 'pending', {}],
  ['Hi bot, can you show me my seats please? Thanks!', 'my seats', {}],
  // anything else is a product name as written (or a sentence for the help pointer)
  ['Figma Professional', 'seats', { product: 'Figma Professional', bare: 'yes' }],
  ['Ｚｏｈｏ ＣＲＭ', 'seats', { product: 'Zoho CRM', bare: 'yes' }],
  ['what is the weather today?', 'seats', { product: 'what is the weather today', bare: 'yes' }],
  ['👋', 'seats', { product: '', bare: 'yes' }],
];

describe('the phrasings people use, each to one command and its arguments', () => {
  it(`covers at least 60 phrasings`, () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(PHRASINGS)('%s → %s %o', (message, command, args) => {
    expect(understand(message)).toEqual({ command, args });
  });

  it('parses the examples the help pointer offers, with a real product name in them', () => {
    const commands = POINTER_EXAMPLES.map((e) => understand(e.replace('<product>', 'Sketch Teams'))?.command);
    expect(commands).toEqual(['licenses', 'seats', 'request']);
  });
});
