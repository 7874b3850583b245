/**
 * Whether a new password is hard enough to guess: zxcvbn-ts with the common-password and
 * keyboard dictionaries of @zxcvbn-ts/language-common. Refused: a password from the
 * common-password list, and any password zxcvbn scores below 3 of 4 ("safely unguessable:
 * moderate protection from an offline attack"). A stolen account puts the people in its case
 * files at risk, so an easy password is refused rather than merely warned about.
 */
import { ZxcvbnFactory, type FeedbackType } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** The lowest zxcvbn score (0–4) a new password may have. */
export const MIN_PASSWORD_SCORE = 3;

// The dictionaries are a few megabytes: built on first use, so commands that never set a password do not pay for them.
let factory: ZxcvbnFactory | undefined;
let common: ReadonlySet<string> | undefined;

function checker(): { zxcvbn: ZxcvbnFactory; common: ReadonlySet<string> } {
  factory ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  common ??= new Set(dictionary['passwords-common']);
  return { zxcvbn: factory, common };
}

/** zxcvbn's warning keys, in words (the library ships the words only in its language packages). */
const WARNINGS: Record<string, string> = {
  straightRow: 'it is a straight row of keys',
  keyPattern: 'it is a short keyboard pattern',
  simpleRepeat: 'it repeats one character (like "aaa")',
  extendedRepeat: 'it repeats a group of characters (like "abcabcabc")',
  sequences: 'it is a common sequence (like "abc" or "1234")',
  recentYears: 'it holds a recent year',
  dates: 'it holds a date',
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is too close to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'names on their own are easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains the username or name',
  pwned: 'it appeared in a data breach',
};

function reasonOf(feedback: FeedbackType): string {
  const why = feedback.warning ? WARNINGS[feedback.warning] : undefined;
  return `is too easy to guess${why ? `: ${why}` : ''}; use four or more unrelated words, or a longer mix of characters`;
}

/**
 * Why `password` is too weak (a phrase that follows the word "password"), or null when it is
 * strong enough. `userInputs` (username, display name) count against the password.
 *
 * @example
 *   passwordWeakness('aaaaaaaaaaaa') // 'is too easy to guess: it repeats one character (like "aaa"); …'
 */
export function passwordWeakness(password: string, userInputs: readonly string[] = []): string | null {
  const { zxcvbn, common: list } = checker();
  if (list.has(password.toLowerCase())) return 'is one of the most common passwords; choose another';
  const result = zxcvbn.check(
    password,
    userInputs.filter((s) => s.length > 0),
  );
  return result.score >= MIN_PASSWORD_SCORE ? null : reasonOf(result.feedback);
}
