/**
 * Day arithmetic without `Date` objects (days since 1970-01-01, proleptic Gregorian), and cached
 * `YYYY-MM-DD` / `HH:MM:SS` strings for the generator's hot loop.
 */

/** Days since 1970-01-01 of a civil date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Month index: year * 12 + (month - 1). */
export function monthIndex(year: number, month: number): number {
  return year * 12 + month - 1;
}

/** Day number of day-of-month `day` in month index `mi`. */
export function dayInMonth(mi: number, day: number): number {
  return daysFromCivil(Math.floor(mi / 12), (mi % 12) + 1, day);
}

export function daysInMonth(mi: number): number {
  return dayInMonth(mi + 1, 1) - dayInMonth(mi, 1);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Parse a strict `YYYY-MM-DD`; null when it is not a real date. */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return null;
  const days = daysFromCivil(year, month, day);
  const back = civilFromDays(days);
  return back.month === month && back.day === day ? days : null;
}

/** Cached date strings for a range of days, and time-of-day strings. */
export class DateStrings {
  private readonly days: (string | undefined)[];
  private readonly midnights: (string | undefined)[];
  private readonly times: (string | undefined)[] = [];

  constructor(
    private readonly first: number,
    last: number,
  ) {
    this.days = new Array<string | undefined>(last - first + 1);
    this.midnights = new Array<string | undefined>(last - first + 1);
  }

  day(days: number): string {
    const i = days - this.first;
    return (this.days[i] ??= formatDay(days));
  }

  /** `YYYY-MM-DD HH:MM:SS` for a day and a second of that day. */
  timestamp(days: number, second: number): string {
    const t = (this.times[second] ??=
      `${pad2(Math.floor(second / 3600))}:${pad2(Math.floor(second / 60) % 60)}:${pad2(second % 60)}`);
    return `${this.day(days)} ${t}`;
  }

  midnight(days: number): string {
    return (this.midnights[days - this.first] ??= `${this.day(days)} 00:00:00`);
  }
}
