/** RECLAIM_AFTER_DAYS by default: a seat the vendor last saw used this many days ago counts as idle. */
export const DEFAULT_RECLAIM_AFTER_DAYS = 60;
/** With policy reclaim 'auto': days the holder has to answer before a bot-granted seat is released. */
export const RECLAIM_ANSWER_DAYS = 7;
/** After Keep, the holder is not asked about the same seat again for this many days. */
export const RECLAIM_KEEP_DAYS = 30;
