/** "1 seat", "3 seats", "0 licenses": a count with its noun, plural by adding "s". */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
