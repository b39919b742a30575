// Calendar arithmetic on instants (proleptic Gregorian, UTC, astronomical year numbering), from
// Howard Hinnant's days_from_civil / civil_from_days algorithms; shared by CEL timestamps and
// START_TIME formatting.

/** Division rounding toward negative infinity. */
export function floorDiv(a: i64, b: i64): i64 {
  const q = a / b;
  return a % b != 0 && a < 0 != b < 0 ? q - 1 : q;
}

/** Days since 1970-01-01 of a date (month 1..12, day 1..31). */
export function daysFromCivil(year: i64, month: i64, day: i64): i64 {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar fields of an instant given in seconds since the epoch. */
export class CivilDate {
  /** The year (0 is 1 BC). */
  year: i64 = 0;
  /** 1..12. */
  month: i32 = 0;
  /** 1..31. */
  day: i32 = 0;
  /** 0..23. */
  hour: i32 = 0;
  /** 0..59. */
  minute: i32 = 0;
  /** 0..59. */
  second: i32 = 0;
  /** Days since January 1st (0..365). */
  dayOfYear: i32 = 0;
  /** 0 = Sunday. */
  dayOfWeek: i32 = 0;

  /** Splits `epochSeconds` into calendar fields. */
  constructor(epochSeconds: i64) {
    const days = floorDiv(epochSeconds, 86400);
    const rest = <i32>(epochSeconds - days * 86400);
    this.hour = rest / 3600;
    this.minute = (rest % 3600) / 60;
    this.second = rest % 60;
    this.dayOfWeek = <i32>(days + 4 - floorDiv(days + 4, 7) * 7);
    const z = days + 719468;
    const era = floorDiv(z, 146097);
    const doe = z - era * 146097;
    const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const mp = (5 * doy + 2) / 153;
    this.day = <i32>(doy - (153 * mp + 2) / 5 + 1);
    this.month = <i32>(mp < 10 ? mp + 3 : mp - 9);
    this.year = yoe + era * 400 + (this.month <= 2 ? 1 : 0);
    this.dayOfYear = <i32>(days - daysFromCivil(this.year, 1, 1));
  }
}
