/** Words that make a message a question or a sentence about someone, not a product name. */
export const SENTENCE_WORDS: ReadonlySet<string> = new Set([
  'what',
  'whats',
  'how',
  'hows',
  'why',
  'when',
  'where',
  'wheres',
  'who',
  'whos',
  'whose',
  'which',
  'can',
  'could',
  'would',
  'should',
  'will',
  'shall',
  'is',
  'are',
  'am',
  'was',
  'were',
  'do',
  'does',
  'did',
  'you',
  'your',
  'we',
  'our',
  'us',
  'i',
  'im',
  'ive',
  'me',
  'it',
  'its',
  'this',
  'that',
  'there',
  'theres',
]);

/** More words than a product name a person types has (after "how many … seats" and the like are taken). */
const MAX_NAME_WORDS = 4;

/**
 * Whether a message that no command took reads as a sentence rather than a product name: it has a question
 * word or a pronoun ("what is the weather today", "can you book a room"), or more than four words.
 * `words` are the words of its normalised text.
 */
export function looksLikeSentence(words: readonly string[]): boolean {
  return words.length > MAX_NAME_WORDS || words.some((w) => SENTENCE_WORDS.has(w));
}
