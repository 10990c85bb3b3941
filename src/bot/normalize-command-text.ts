import { correctCommandWord } from './correct-command-word.js';

/** A message as the command phrasings read it, with the way back to what the person wrote. */
export interface CommandText {
  /**
   * Unicode NFKC ("Ｚｏｈｏ" → "zoho", "？" → "?"), lower case, emoji and punctuation as single spaces ("«", "¿",
   * "、", "。" included), apostrophes dropped ("who's" → "whos"), keyword slips fixed ("relase" → "release"),
   * greetings and courtesy words at either end removed ("hi", "can you", "please", "thanks").
   * `@ . _ + -` stay between letters or digits, so emails survive.
   */
  readonly text: string;
  /** What the person wrote for `text.slice(start, end)`: their case, spelling and inner punctuation. */
  original(start: number, end: number): string;
}

/** One character of the normalised text and the span of the written text it came from. */
interface Unit {
  ch: string;
  kind: 'word' | 'apostrophe' | 'joiner' | 'space';
  from: number;
  to: number;
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{1F3FB}-\u{1F3FF}]/u;
const KEYCAP = /^([0-9#*])\uFE0F?\u20E3$/u;
/** Zero-width, bidi and variation-selector characters: nothing at all (a pasted zero-width space joins nothing). */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
const APOSTROPHES = new Set(["'", '’', '‘', 'ʼ', '`', '´']);
const JOINERS = new Set(['@', '.', '_', '+', '-']);

const LEADING =
  /^(?:(?:hey|hi|hiya|hello)(?: there)?|yo|ok|okay|so|um|uh|well|hmm|please|pls|plz|kindly|bot|license bot|dear bot|(?:can|could|would|will) you(?: please)?|tell me|let me know|i wonder|i was wondering|(?:i want|i would like|id like) to know|do you know)(?: |$)/;
const TRAILING = /(?:^| )(?:please|pls|plz|thanks|thank you|thank u|thx|ty|cheers)$/;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function unitsOf(raw: string): Unit[] {
  const units: Unit[] = [];
  for (const { segment, index } of segmenter.segment(raw)) {
    const from = index;
    const to = index + segment.length;
    const keycap = KEYCAP.exec(segment);
    const text = keycap ? (keycap[1] ?? '') : EMOJI.test(segment) ? ' ' : segment;
    for (const ch of text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '')) {
      const kind = /[\p{L}\p{N}\p{M}]/u.test(ch)
        ? 'word'
        : APOSTROPHES.has(ch)
          ? 'apostrophe'
          : JOINERS.has(ch)
            ? 'joiner'
            : 'space';
      // One unit per UTF-16 code unit, so positions in the text are positions in `units`.
      for (const unit of kind === 'space' ? [' '] : ch.split('')) units.push({ ch: unit, kind, from, to });
    }
  }
  return units;
}

/** Apostrophes inside words vanish, joiners stay only between word characters, the rest is single spaces. */
function squeeze(units: readonly Unit[]): Unit[] {
  const out: Unit[] = [];
  units.forEach((u, i) => {
    const last = out[out.length - 1];
    const between = last?.kind === 'word' && units[i + 1]?.kind === 'word';
    if (u.kind === 'word') out.push(u);
    else if (u.kind === 'apostrophe' && between) return;
    else if (u.kind === 'joiner' && between) out.push(u);
    else if (last !== undefined && last.kind !== 'space') out.push({ ...u, ch: ' ', kind: 'space' });
  });
  while (out[out.length - 1]?.kind === 'space') out.pop();
  return out;
}

/** Each word replaced by the keyword it was meant to be; the new letters keep the whole word's span. */
function correctWords(units: readonly Unit[]): Unit[] {
  const out: Unit[] = [];
  let start = 0;
  for (let i = 0; i <= units.length; i++) {
    if (i < units.length && units[i]?.kind !== 'space') continue;
    const word = units.slice(start, i);
    const written = word.map((u) => u.ch).join('');
    const fixed = correctCommandWord(written);
    if (fixed === written) out.push(...word);
    else {
      const from = word[0]?.from ?? 0;
      const to = word[word.length - 1]?.to ?? from;
      for (const ch of fixed) out.push({ ch, kind: 'word', from, to });
    }
    const space = units[i];
    if (space) out.push(space);
    start = i + 1;
  }
  return out;
}

/** Greetings and courtesy words at either end, as often as they repeat ("hi bot, please …, thanks"). */
function trimCourtesy(units: Unit[]): Unit[] {
  for (;;) {
    const text = units.map((u) => u.ch).join('');
    const lead = LEADING.exec(text);
    if (lead) {
      units = units.slice(lead[0].length);
      continue;
    }
    const trail = TRAILING.exec(text);
    if (trail) {
      units = units.slice(0, trail.index);
      continue;
    }
    return units;
  }
}

let last: { raw: string; result: CommandText } | undefined;

/** The one normaliser of command text (product names have normalizeProductName on top of it). */
export function normalizeCommandText(raw: string): CommandText {
  if (last?.raw === raw) return last.result;
  const units = trimCourtesy(correctWords(squeeze(unitsOf(raw))));
  const result: CommandText = {
    text: units.map((u) => u.ch).join(''),
    original: (start, end) => {
      const first = units[start];
      const final = units[end - 1];
      return first && final && end > start ? raw.slice(first.from, final.to) : '';
    },
  };
  last = { raw, result };
  return result;
}
