import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArxivCalendar, easternWallTimeToInstant } from '../../src/arxiv/calendar.ts';

const calendar = new ArxivCalendar();

test('mailing days are Monday to Friday; weekends and listed holidays have none', () => {
  assert.equal(calendar.kindOf('2026-06-26'), 'announcement'); // Friday: Thursday evening's announcement
  assert.equal(calendar.kindOf('2026-06-27'), 'weekend');
  assert.equal(calendar.kindOf('2026-06-28'), 'weekend');
  assert.equal(calendar.kindOf('2026-06-29'), 'announcement'); // Monday: Sunday evening's announcement
  assert.equal(calendar.kindOf('2023-11-24'), 'holiday'); // Thanksgiving 2023 evening skipped
  assert.equal(new ArxivCalendar(['2026-11-26']).kindOf('2026-11-27'), 'holiday');
});

test('the latest announcement day follows the 20:00 Eastern release, across daylight saving', () => {
  // Tuesday 2026-06-23, 19:59 EDT (23:59 UTC): Monday evening's mailing (dated Tuesday) is the latest.
  assert.equal(calendar.latestAnnouncementDay(new Date('2026-06-23T23:59:00Z')), '2026-06-23');
  // 20:00 EDT: Tuesday evening's announcement, dated Wednesday, is out.
  assert.equal(calendar.latestAnnouncementDay(new Date('2026-06-24T00:00:00Z')), '2026-06-24');
  // Saturday: Thursday evening's announcement (dated Friday) is still the latest.
  assert.equal(calendar.latestAnnouncementDay(new Date('2026-06-27T15:00:00Z')), '2026-06-26');
  // Winter (EST, UTC-5): Sunday 2026-01-11 20:30 EST = 01:30 UTC Monday.
  assert.equal(calendar.latestAnnouncementDay(new Date('2026-01-12T01:30:00Z')), '2026-01-12');
  assert.equal(calendar.latestAnnouncementDay(new Date('2026-01-12T00:30:00Z')), '2026-01-09');
});

test('the next announcement is named with its day and time', () => {
  const next = calendar.nextAnnouncement(new Date('2026-06-26T15:00:00Z')); // Friday
  assert.equal(next.day, '2026-06-29');
  assert.equal(next.at.toISOString(), '2026-06-29T00:00:00.000Z'); // Sunday 20:00 EDT
  assert.equal(easternWallTimeToInstant('2026-01-11', 20).toISOString(), '2026-01-12T01:00:00.000Z');
});

test('submissions are placed on the mailing day that first announced them', () => {
  // Monday 13:59 EDT → announced Monday 20:00 → mailed Tuesday.
  assert.equal(calendar.announcementDayForSubmission(new Date('2026-06-22T17:59:00Z')), '2026-06-23');
  // Monday 14:01 EDT → Tuesday evening → mailed Wednesday.
  assert.equal(calendar.announcementDayForSubmission(new Date('2026-06-22T18:01:00Z')), '2026-06-24');
  // Thursday 15:00 EDT → next announcement Sunday evening → mailed Monday.
  assert.equal(calendar.announcementDayForSubmission(new Date('2026-06-25T19:00:00Z')), '2026-06-29');
  // Saturday → Monday mailing.
  assert.equal(calendar.announcementDayForSubmission(new Date('2026-06-27T12:00:00Z')), '2026-06-29');
});

test('the computed US Eastern clock agrees with the time-zone database for every hour of 2024-2027', async () => {
  const { toEastern } = await import('../../src/arxiv/calendar.ts');
  const reference = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 3_600_000) {
    const parts = Object.fromEntries(reference.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const mine = toEastern(new Date(t));
    const expected = `${parts.year}-${parts.month}-${parts.day} ${Number(parts.hour)}`;
    if (`${mine.date} ${mine.hour}` !== expected) assert.fail(`${new Date(t).toISOString()}: ${mine.date} ${mine.hour} != ${expected}`);
  }
});

test('a calendar answers every submission time as a fresh one would (its memo is keyed right)', () => {
  const calendar = new ArxivCalendar();
  const start = Date.parse('2026-03-01T00:00:00Z'); // across the March DST change
  for (let t = start; t < start + 21 * 24 * 3_600_000; t += 17 * 60_000) {
    const submitted = new Date(t);
    assert.equal(calendar.announcementDayForSubmission(submitted), new ArxivCalendar().announcementDayForSubmission(submitted), submitted.toISOString());
  }
});
