//! Calendar arithmetic for the dates the API and HTTP use: the UTC day of a timestamp (the
//! signature's credential scope), HTTP dates (the `Date` header that corrects a skewed clock), and
//! days counted from 1970-01-01.
//!
//! All of it works on the proleptic Gregorian calendar in 400-year eras of 146 097 days, with
//! years counted from 1 March so that a leap day ends its year (Howard Hinnant's `days_from_civil`
//! and its inverse).

/// The last second of 9999-12-31 UTC, the last a four-digit year can show.
pub const LAST_FOUR_DIGIT_YEAR_SECOND: u64 = 253_402_300_799;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The `(year, month, day)` of the day `days` after 1970-01-01.
pub fn civil_from_days(days: u64) -> (u64, u32, u32) {
    // Days from 0000-03-01, the start of an era, to 1970-01-01.
    let days = days + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March: 0 is March, 11 is February.
    let shifted_month = (5 * day_of_year + 2) / 153;
    // Below 32 and 13, so the conversions are exact.
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

/// Days from 1970-01-01 to `year-month-day` (negative before it). The date is not checked; see
/// [`days_in_month`].
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The number of days in a month (1 to 12) of a year.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A Unix time as an HTTP date in the preferred format of RFC 9110 (IMF-fixdate), such as
/// `Sun, 06 Nov 1994 08:49:37 GMT`. Times after 9999 show the last second of 9999.
pub fn format_http_date(unix_time: u64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let unix_time = unix_time.min(LAST_FOUR_DIGIT_YEAR_SECOND);
    let days = unix_time / 86_400;
    let seconds = unix_time % 86_400;
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday. Both indexes are in range: `% 7`, and a month from 1 to 12.
    let weekday = WEEKDAYS[(days % 7) as usize];
    let month = MONTHS[(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {month} {year:04} {:02}:{:02}:{:02} GMT",
        seconds / 3_600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Reads an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into seconds since the Unix epoch.
/// Other formats, impossible dates and dates before 1970 give `None`.
pub fn parse_http_date(text: &str) -> Option<u64> {
    let (_weekday, rest) = text.trim().split_once(", ")?;
    let mut parts = rest.split(' ');
    let day: u32 = digits(parts.next()?, 2)?;
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|name| *name == month_name)?;
    // Below 12, so the conversion is exact.
    let month = month as u32 + 1;
    let year: i64 = digits(parts.next()?, 4)?;
    let mut clock = parts.next()?.split(':');
    let hour: u64 = digits(clock.next()?, 2)?;
    let minute: u64 = digits(clock.next()?, 2)?;
    let second: u64 = digits(clock.next()?, 2)?;
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() {
        return None;
    }
    if !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Parses exactly `count` ASCII digits.
fn digits<T: std::str::FromStr>(text: &str, count: usize) -> Option<T> {
    if text.len() == count && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_imf_fixdate() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599)
        );
        assert_eq!(
            parse_http_date("Sat, 28 Nov 2026 10:30:00 GMT"),
            Some(1_795_861_800)
        );
    }

    #[test]
    fn refuses_other_formats_and_impossible_dates() {
        for text in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 31 Apr 1994 08:49:37 GMT",
            "Sun, 29 Feb 1900 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn http_dates_are_imf_fixdates() {
        assert_eq!(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        // RFC 7231's own example.
        assert_eq!(
            format_http_date(784_111_777),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        // Leap days, and the turn of a century that is a leap year.
        assert_eq!(
            format_http_date(951_782_400),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
        assert_eq!(
            format_http_date(1_709_251_199),
            "Thu, 29 Feb 2024 23:59:59 GMT"
        );
        assert_eq!(
            format_http_date(1_709_251_200),
            "Fri, 01 Mar 2024 00:00:00 GMT"
        );
        assert_eq!(
            format_http_date(1_767_225_599),
            "Wed, 31 Dec 2025 23:59:59 GMT"
        );
        assert_eq!(
            format_http_date(4_107_542_400),
            "Mon, 01 Mar 2100 00:00:00 GMT"
        );
        assert_eq!(
            format_http_date(LAST_FOUR_DIGIT_YEAR_SECOND),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
    }

    #[test]
    fn every_day_follows_the_one_before() {
        let mut previous = civil_from_days(0);
        for days in 1..=3_000_000 {
            let (year, month, day) = civil_from_days(days);
            let next_day = (previous.0, previous.1, previous.2 + 1);
            let next_month = (previous.0, previous.1 + 1, 1);
            let next_year = (previous.0 + 1, 1, 1);
            assert!(
                [next_day, next_month, next_year].contains(&(year, month, day)),
                "{previous:?} then {:?}",
                (year, month, day)
            );
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let length = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            assert!((1..=length).contains(&day), "{year}-{month}-{day}");
            previous = (year, month, day);
        }
        assert_eq!(previous, (10_183, 9, 21));
    }

    #[test]
    fn days_and_dates_round_trip() {
        for days in (0..3_000_000).step_by(997) {
            let (year, month, day) = civil_from_days(days);
            let year = i64::try_from(year).unwrap();
            assert_eq!(days_from_civil(year, month, day), days as i64);
        }
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for text in [
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            let time = parse_http_date(text).unwrap();
            assert_eq!(format_http_date(time), text);
        }
    }
}
