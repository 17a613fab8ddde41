/**
 * Personal names as arXiv gives them ("Given Family", one string) split into the parts reference
 * managers keep apart. arXiv's metadata has no structured names, so this is a rule, not a lookup:
 * the last word is the family name, with any lowercase particles before it (van, de la, …) and
 * without a trailing generational suffix (Jr., III); a name written "Family, Given" is read so; a
 * name of one word, or one that names a group, stays whole (a CSL `literal`).
 */
export type PersonName = { family: string; given?: string; suffix?: string } | { literal: string };

const SUFFIX = /^(?:jr\.?|sr\.?|ii|iii|iv|v)$/i;
const GROUP = /\b(?:collaboration|consortium|team|group|project|initiative|network|laboratory|institute|university|organization|organisation)\b/i;
// A particle is a lowercase word before the family name ("van", "de", "der", "da", "di", "von", "le", "la", "del", "dos").
const PARTICLE = /^(?:[a-z]{1,3}|von|van|der|den|del|della|dos|das|ten|ter|zu|zur)$/;

export function splitName(fullName: string): PersonName {
  const name = fullName.replace(/\s+/g, ' ').trim();
  const commas = name.split(',').map((part) => part.trim());
  if (commas.length === 2 && commas[0] && commas[1] && !GROUP.test(name)) return { family: commas[0], given: commas[1] };
  const words = name.split(' ');
  if (words.length < 2 || GROUP.test(name) || name.includes(',')) return { literal: name };
  let suffix: string | undefined;
  if (words.length > 2 && SUFFIX.test(words.at(-1)!)) suffix = words.pop();
  let start = words.length - 1;
  while (start > 1 && PARTICLE.test(words[start - 1]!)) start -= 1;
  const family = words.slice(start).join(' ');
  const given = words.slice(0, start).join(' ');
  return suffix === undefined ? { family, given } : { family, given, suffix };
}

/** The name as one string again ("Given Family Suffix"), which is how the parts are checked. */
export function joinName(name: PersonName): string {
  if ('literal' in name) return name.literal;
  return [name.given, name.family, name.suffix].filter(Boolean).join(' ');
}
