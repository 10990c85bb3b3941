const NUMBERS: ReadonlyMap<string, number> = new Map([
  ['a', 1],
  ['an', 1],
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['eleven', 11],
  ['twelve', 12],
  ['couple', 2],
  ['couple of', 2],
  ['a couple of', 2],
  ['few', 3],
  ['a few', 3],
]);

const UNITS: readonly (readonly [RegExp, number])[] = [
  [/^(?:days?|d)$/, 1],
  [/^(?:weeks?|wks?|w)$/, 7],
  [/^fortnights?$/, 14],
  [/^(?:months?|mo)$/, 30],
  [/^quarters?$/, 90],
  [/^(?:years?|yrs?|y)$/, 365],
];

/** Named stretches of time, counted from today. */
const PERIODS: ReadonlyMap<string, number> = new Map([
  ['today', 0],
  ['tomorrow', 1],
  ['this week', 7],
  ['next week', 14],
  ['this month', 30],
  ['end of the month', 30],
  ['end of month', 30],
  ['next month', 60],
  ['this quarter', 90],
  ['next quarter', 180],
  ['this year', 365],
  ['next year', 730],
]);

const FILLER =
  /^(?:(?:for|in|within|over|during|the|next|coming|lasting|by|before|until|till|about|around|roughly) )+/;

/**
 * Days in a stretch of time as people say it (normalised text): "2 weeks" → 14, "a month" → 30, "14d" → 14,
 * "the next 3 months" → 90, "this month" → 30, "45" → 45. Weeks and longer round up to a whole day; days are
 * taken as written (the caller refuses "1.5 days"). Undefined when it names no length ("soon", "ever").
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().replace(FILLER, '');
  const period = PERIODS.get(t) ?? PERIODS.get(text.trim());
  if (period !== undefined) return period;
  const m = /^(?<amount>\d+(?:\.\d+)?|(?:a )?couple of|(?:a )?few|[a-z]+)? ?(?<unit>[a-z]+)?$/.exec(t);
  const amountText = m?.groups?.['amount'];
  const unitText = m?.groups?.['unit'];
  if (!amountText && !unitText) return undefined;
  const amount =
    amountText === undefined
      ? undefined
      : /^\d/.test(amountText)
        ? Number(amountText)
        : NUMBERS.get(amountText);
  if (unitText === undefined) return amountText !== undefined && /^\d/.test(amountText) ? amount : undefined;
  const unit = UNITS.find(([re]) => re.test(unitText))?.[1];
  if (unit === undefined || amount === undefined) return undefined;
  return unit === 1 ? amount : Math.ceil(amount * unit);
}
