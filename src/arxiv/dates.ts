/** Dates as arXiv's three sources write them, normalised to UTC timestamps or to the calendar date they name. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC?|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[+-]\d{4})?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function digitsAt(value: string, start: number, count: number): number {
  let number = 0;
  for (let i = start; i < start + count; i += 1) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * Whether `value` already is the normalised form, "YYYY-MM-DDTHH:MM:SSZ" naming a real instant
 * (as the API's own dates are): then normalising it gives it back unchanged. Years before 1000 go
 * the long way, which has its own rules for them.
 */
function isCanonicalTimestamp(value: string): boolean {
  if (value.length !== 20 || value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':' || value[19] !== 'Z') return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= daysInMonth;
}

/**
 * Normalises a date as arXiv sends it (ISO 8601 with or without time/offset, or RFC 2822 like
 * "Mon, 2 Apr 2007 19:18:42 GMT") to UTC "YYYY-MM-DDTHH:MM:SSZ". A date without time means midnight
 * UTC; a time without an offset is taken as UTC. Returns null for anything else.
 */
export function toIsoTimestamp(raw: string): string | null {
  const value = raw.trim();
  if (isCanonicalTimestamp(value)) return value;
  let millis: number;
  const iso = ISO_DATE.exec(value);
  if (iso) {
    const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = iso;
    millis = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
    if (Number.isNaN(millis) || new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDate() !== Number(day)) return null;
  } else if (RFC_2822.test(value)) {
    millis = Date.parse(value);
  } else {
    return null;
  }
  if (Number.isNaN(millis)) return null;
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The calendar date (YYYY-MM-DD) a timestamp names in its own offset: "Thu, 24 Sep 2026 00:00:00 -0400"
 * is 2026-09-24 (an announcement day in New York), not the UTC date. Null when unparseable.
 */
export function toCalendarDate(raw: string): string | null {
  const value = raw.trim();
  if (toIsoTimestamp(value) === null) return null;
  const iso = ISO_DATE.exec(value);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const rfc = RFC_2822.exec(value)!;
  const month = MONTHS.indexOf(rfc[2]!.toLowerCase());
  if (month === -1) return null;
  return `${rfc[3]}-${String(month + 1).padStart(2, '0')}-${rfc[1]!.padStart(2, '0')}`;
}
