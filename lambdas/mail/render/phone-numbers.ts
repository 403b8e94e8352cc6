// Hand-written rather than libphonenumber-js (~150 KB of metadata in every bundle): we only
// need to know where a detector *could* see a number, not whether the number is real.
// The corpus test checks this against libphonenumber-js itself, in twenty regions.

// What mobile clients bridge between digit groups: libphonenumber's VALID_PUNCTUATION (used by
// Android's Linkify and, by all reports, Gmail's apps: they see through soft hyphens and
// zero-width spaces), plus tab. Apple's data detectors bridge one-character `.`, `/`, `-` and
// space. A middle dot is in neither, and reads as a group separator.
const BRIDGE = String.raw`[\-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f \t\u00a0\u00ad\u200b\u2060\u3000()\uff08\uff09\uff3b\uff3d.\[\]\/~\u2053\u223c\uff5e]`;
// Any decimal digits, not only ASCII: libphonenumber reads Arabic-Indic, Devanagari, ... digits too.
const DIGIT_RUN = new RegExp(String.raw`[+\uff0b]?\p{Nd}+(?:${BRIDGE}+\p{Nd}+)*`, 'gu');
const DIGITS = /\p{Nd}+/gu;
const SEPARATOR = '\u00b7';

/**
 * The fewest digits a run needs before we treat it as a phone number. Shorter runs (a
 * year, a price like 299.00, a postal code, a LEGO set number) are left as written: no
 * mail client we know of links them, though libphonenumber calls some five-digit runs
 * "possible" (Germany, Austria, the Netherlands, Australia).
 */
export const PHONE_MIN_DIGITS = 6;

const digitCount = (run: string): number => run.match(DIGITS)?.join('').length ?? 0;

/**
 * Every run of digits a phone-number detector could take for one number (6 or more digits
 * joined by spaces, dashes, dots, slashes, parentheses, ...).
 *
 * @example
 * phoneNumberRuns('call +1 (555) 010-0199') // ['+1 (555) 010-0199']
 */
export function phoneNumberRuns(text: string): string[] {
  return [...text.matchAll(DIGIT_RUN)].map((m) => m[0]).filter((run) => digitCount(run) >= PHONE_MIN_DIGITS);
}

/**
 * Makes phone numbers inert: in every run of 6 or more digits, the separators a detector
 * bridges become a middle dot (parentheses stay), and digit groups of 6 or more are cut in
 * threes from the right, so no detector finds more than five digits in a row.
 *
 * @example
 * breakPhoneNumbers('+1 (555) 010-0199') // '+1·(555)·010·0199'
 * breakPhoneNumbers('0049 30 1234567')  // '0049·30·1·234·567'
 */
export function breakPhoneNumbers(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    if (digitCount(run) < PHONE_MIN_DIGITS) return run;
    return run
      .split(/(\p{Nd}+)/u)
      .map((part, i, parts) => {
        if (/^\p{Nd}+$/u.test(part)) return groupInThrees(part);
        // Before the first or after the last digit group: a leading + (or nothing).
        if (i === 0 || i === parts.length - 1) return part;
        return inertSeparator(part);
      })
      .join('');
  });
}

function groupInThrees(digits: string): string {
  if (digits.length < PHONE_MIN_DIGITS) return digits;
  const chars = [...digits];
  const groups: string[] = [];
  for (let end = chars.length; end > 0; end -= 3) groups.unshift(chars.slice(Math.max(0, end - 3), end).join(''));
  return groups.join(SEPARATOR);
}

/** Keeps brackets and an extension's `x` (they carry meaning), drops the bridging rest, adds the dot. */
function inertSeparator(separator: string): string {
  const kept = separator.replace(/[^()[\]x]/g, '');
  const closing = /^[)\]]*/.exec(kept)?.[0] ?? '';
  return `${closing}${SEPARATOR}${kept.slice(closing.length)}`;
}
