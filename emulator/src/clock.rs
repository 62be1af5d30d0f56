//! The emulator's wall clock: real time shifted by a fixed offset, so that a test can put the
//! server ahead of or behind its client. It is what the signature window is checked against,
//! what dates the backends' resources, and what the `Date` header of every answer shows.
//!
//! Only the wall clock moves. Durations (how long a check runs, the rate-limit window) are
//! measured on the monotonic clock, which an offset does not change.

use std::time::{SystemTime, UNIX_EPOCH};

/// 9999-12-31 23:59:59 UTC, the last second a four-digit year can show.
const LATEST: u64 = 253_402_300_799;

/// Real time plus a fixed number of seconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    offset: i64,
}

impl Clock {
    /// A clock `offset` seconds ahead of real time (behind it when negative). Refused when it
    /// would read before 1970 or after 9999 now.
    pub(crate) fn new(offset: i64) -> Result<Self, String> {
        let shifted = i128::from(real_unix_now()) + i128::from(offset);
        if !(0..=i128::from(LATEST)).contains(&shifted) {
            return Err(format!(
                "a clock offset of {offset} s puts the emulator's clock outside the years 1970 \
                 to 9999"
            ));
        }
        Ok(Self { offset })
    }

    /// Seconds since the Unix epoch on this clock, kept between 1970 and the end of 9999.
    pub(crate) fn unix_now(&self) -> u64 {
        real_unix_now()
            .saturating_add_signed(self.offset)
            .min(LATEST)
    }
}

/// Seconds since the Unix epoch in real time.
fn real_unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The proleptic Gregorian date `(year, month, day)` of the day `days` after 1970-01-01.
///
/// Counts in eras of 400 years (146 097 days), each starting on 1 March so that the leap day
/// ends its year; the same arithmetic as the usual days-from-civil, run backwards.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Days from 0000-03-01 to 1970-01-01.
    let days = days + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months counted from March: 0 is March, 11 is February.
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

/// `unix_time` as an HTTP date (RFC 7231's IMF-fixdate), such as
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(unix_time: u64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let unix_time = unix_time.min(LATEST);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        // RFC 7231's own example.
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        // Leap days, and the turn of a century that is a leap year.
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(1_709_251_199), "Thu, 29 Feb 2024 23:59:59 GMT");
        assert_eq!(http_date(1_709_251_200), "Fri, 01 Mar 2024 00:00:00 GMT");
        assert_eq!(http_date(1_767_225_599), "Wed, 31 Dec 2025 23:59:59 GMT");
        assert_eq!(http_date(4_107_542_400), "Mon, 01 Mar 2100 00:00:00 GMT");
        assert_eq!(http_date(LATEST), "Fri, 31 Dec 9999 23:59:59 GMT");
        assert_eq!(http_date(u64::MAX), http_date(LATEST));
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
    fn the_offset_moves_the_clock_and_is_bounded() {
        let real = real_unix_now();
        let ahead = Clock::new(3_600).expect("an hour ahead");
        assert!(ahead.unix_now().abs_diff(real + 3_600) <= 1);
        let behind = Clock::new(-3_600).expect("an hour behind");
        assert!(behind.unix_now().abs_diff(real - 3_600) <= 1);
        assert!(Clock::new(-(real as i64) - 10).is_err());
        assert!(Clock::new(i64::MAX).is_err());
        assert!(Clock::new(i64::MIN).is_err());
    }
}
