/**
 * Lower-case words of a product name, SKU or query, without punctuation, emoji and filler words ("license",
 * "the"); Unicode NFKC first, so "Ｚｏｈｏ" is "zoho".
 */
export function normalizeProductName(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\b(licen[cs]es?|seats?|the|a|an|of|for|my)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
