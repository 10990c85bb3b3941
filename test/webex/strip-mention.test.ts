import { describe, expect, it } from 'vitest';
import { stripMention } from '../../src/webex/strip-mention.js';

const BOT_UUID = '7d2c7a8e-1111-2222-3333-444455556666';
const bot = {
  id: Buffer.from(`ciscospark://us/PEOPLE/${BOT_UUID}`).toString('base64').replace(/=+$/, ''),
  displayName: 'Seat Bot',
};
const mention = (label: string, id = bot.id): string =>
  `<spark-mention data-object-type="person" data-object-id="${id}">${label}</spark-mention>`;

describe('stripMention', () => {
  it('removes the leading display name Webex puts in group-space text', () => {
    expect(stripMention('Seat Bot request figma', `<p>${mention('Seat Bot')} request figma</p>`, bot)).toBe(
      'request figma',
    );
  });

  it('removes a shortened mention label taken from the html', () => {
    expect(stripMention('Seat, status please', `<p>${mention('Seat')}, status please</p>`, bot)).toBe(
      'status please',
    );
  });

  it('recognises a mention whose data-object-id is the bare uuid', () => {
    expect(stripMention('Seaty help', `<p>${mention('Seaty', BOT_UUID)} help</p>`, bot)).toBe('help');
  });

  it('removes a mention in the middle of the text when the html marks it', () => {
    expect(
      stripMention('hey Seat Bot release my seat', `<p>hey ${mention('Seat Bot')} release my seat</p>`, bot),
    ).toBe('hey release my seat');
  });

  it('falls back to the display name without html, and leaves other text alone', () => {
    expect(stripMention('  Seat Bot   help  ', undefined, bot)).toBe('help');
    expect(stripMention('Seatbelt check', undefined, bot)).toBe('Seatbelt check');
    expect(stripMention('help', undefined, bot)).toBe('help');
  });

  it('decodes entities in the mention label', () => {
    const b = { id: bot.id, displayName: 'R&D Bot' };
    expect(stripMention('R&D Bot list', `<p>${mention('R&amp;D Bot')} list</p>`, b)).toBe('list');
  });
});
