/** Lower-case words of a product name, SKU or query, without punctuation and filler words ("license", "the"). */
export function normalizeProductName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\b(licen[cs]es?|seats?|the|a|an|of|for|my)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
