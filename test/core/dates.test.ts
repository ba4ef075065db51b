import * as fc from 'fast-check';
import { Construct } from 'constructs';
import { addDays, daysBetween, expiryInstant, formatIsoDate, parseIsoDate, reminderDay, today, TODAY_CONTEXT_KEY } from '../../lib/core/dates';

const DAY_MIN = parseIsoDate('0000-01-01')!;
const DAY_MAX = parseIsoDate('9999-12-31')!;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('parseIsoDate / formatIsoDate: strict YYYY-MM-DD calendar dates (UTC)', () => {
  test('Compliance: known dates parse to days since the epoch', () => {
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(parseIsoDate('1970-01-02')).toBe(1);
    expect(parseIsoDate('1969-12-31')).toBe(-1);
    expect(parseIsoDate('2024-02-29')).toBe(19782);
    expect(formatIsoDate(19782)).toBe('2024-02-29');
  });

  test('Compliance: years 0000-0099 are calendar dates too (not mapped to 19xx)', () => {
    expect(parseIsoDate('0050-01-01')).toBeDefined();
    expect(formatIsoDate(parseIsoDate('0050-01-01')!)).toBe('0050-01-01');
    expect(formatIsoDate(parseIsoDate('0000-01-01')!)).toBe('0000-01-01');
  });

  test.each([
    ['2026-02-30', 'impossible day'],
    ['2025-02-29', 'not a leap year'],
    ['2100-02-29', 'century, not a leap year'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-01-00', 'day 0'],
    ['2026-1-1', 'unpadded'],
    ['26-01-01', 'two-digit year'],
    ['2026/01/01', 'slashes'],
    ['2026-01-01T00:00:00Z', 'a timestamp'],
    [' 2026-01-01', 'leading space'],
    ['2026-01-01\n', 'trailing newline'],
    ['${var.expires}', 'a cdktf token'],
    ['${Token[TOKEN.12]}', 'an AWS CDK token'],
    ['', 'empty'],
  ])('Noncompliance: %j (%s) is not a date', (value) => {
    expect(parseIsoDate(value)).toBeUndefined();
  });

  test.each([[undefined], [null], [20260101], [new Date('2026-01-01')], [{}], [['2026-01-01']]])(
    'Noncompliance: non-string %p is not a date', (value) => {
      expect(parseIsoDate(value)).toBeUndefined();
    });

  test('property: format then parse is the identity on days (years 0000-9999)', () => {
    fc.assert(fc.property(fc.integer({ min: DAY_MIN, max: DAY_MAX }), (day) => {
      const s = formatIsoDate(day);
      expect(s).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(parseIsoDate(s)).toBe(day);
    }), { numRuns: 200 });
  });

  test('property: parse then format is the identity on valid calendar dates', () => {
    const date = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(fc.property(date, (s) => {
      expect(formatIsoDate(parseIsoDate(s)!)).toBe(s);
    }), { numRuns: 200 });
  });

  test('property: a day beyond the end of its month is rejected', () => {
    // Day 0 of the next month is the last day of this one (an independent oracle for years >= 100).
    const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
    fc.assert(fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 99 }), (y, m, d) => {
      const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
      expect(parseIsoDate(s) !== undefined).toBe(d <= daysIn(y, m));
    }), { numRuns: 200 });
  });

  test('property: strings not of the form dddd-dd-dd are rejected', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)), (s) => {
      expect(parseIsoDate(s)).toBeUndefined();
    }), { numRuns: 200 });
  });

  test('property: non-strings are rejected', () => {
    fc.assert(fc.property(fc.anything().filter((v) => typeof v !== 'string'), (v) => {
      expect(parseIsoDate(v)).toBeUndefined();
    }), { numRuns: 200 });
  });
});

describe('addDays / daysBetween / expiryInstant: date arithmetic', () => {
  test('Compliance: across month, year and leap-day boundaries', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2027-01-01', '2026-01-01')).toBe(-365);
    expect(expiryInstant('2026-06-30')).toBe('2026-06-30T00:00:00Z');
  });

  test('Noncompliance: invalid dates throw with the value in the message', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(/2026-02-30/);
    expect(() => daysBetween('2026-01-01', 'tomorrow')).toThrow(/tomorrow/);
  });

  test('property: daysBetween(d, addDays(d, n)) === n', () => {
    fc.assert(fc.property(fc.integer({ min: parseIsoDate('1900-01-01')!, max: parseIsoDate('2900-01-01')! }), fc.integer({ min: -5000, max: 5000 }),
      (day, n) => {
        const d = formatIsoDate(day);
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }), { numRuns: 200 });
  });
});

describe('today: pinned by context nhi:today, then NHI_TODAY, then the clock', () => {
  const saved = process.env.NHI_TODAY;
  afterEach(() => {
    if (saved === undefined) delete process.env.NHI_TODAY; else process.env.NHI_TODAY = saved;
  });

  test('Compliance: context on the root wins over NHI_TODAY', () => {
    process.env.NHI_TODAY = '2030-01-01';
    const root = new Construct(undefined as any, '');
    root.node.setContext(TODAY_CONTEXT_KEY, '2026-03-15');
    const child = new Construct(new Construct(root, 'Stack'), 'Id');
    expect(today(child)).toBe('2026-03-15');
  });

  test('Compliance: NHI_TODAY is used without context', () => {
    process.env.NHI_TODAY = '2030-01-01';
    expect(today(new Construct(undefined as any, ''))).toBe('2030-01-01');
    expect(today()).toBe('2030-01-01');
  });

  test('Compliance: without either, the system clock (UTC)', () => {
    delete process.env.NHI_TODAY;
    const before = new Date().toISOString().slice(0, 10);
    const t = today();
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(t);
  });

  test('Noncompliance: a pinned value that is not a date throws naming the key', () => {
    const root = new Construct(undefined as any, '');
    root.node.setContext(TODAY_CONTEXT_KEY, '2026-02-30');
    expect(() => today(root)).toThrow(/nhi:today.*"2026-02-30"/);
    process.env.NHI_TODAY = 'yesterday';
    expect(() => today()).toThrow(/NHI_TODAY.*"yesterday"/);
  });
});

describe('reminderDay: the expiry reminder is never in the past', () => {
  test('reminderDays before the expiry when that is after today', () => {
    expect(reminderDay('2027-06-30', 30, '2026-11-30')).toBe('2027-05-31');
  });
  test('declared inside the window: the first day after today', () => {
    expect(reminderDay('2026-12-15', 21, '2026-11-30')).toBe('2026-12-01');
    expect(reminderDay('2026-12-15', 15, '2026-11-30')).toBe('2026-12-01'); // planned day is today
  });
  test('no day left before the expiry: none', () => {
    expect(reminderDay('2026-12-01', 30, '2026-11-30')).toBeUndefined();
  });
  test('property: a reminder, when there is one, is after today and before the expiry', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 800 }), fc.integer({ min: 1, max: 400 }), (ahead, days) => {
      const today = '2026-11-30';
      const expires = addDays(today, ahead);
      const r = reminderDay(expires, days, today);
      if (r === undefined) return ahead === 1;
      return r > today && r < expires && (r === addDays(expires, -days) || r === addDays(today, 1));
    }));
  });
});
