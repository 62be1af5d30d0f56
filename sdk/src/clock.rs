//! The clock that timestamps signatures, corrected by what the service says the time is.
//!
//! The service refuses a signature more than five minutes away from its own clock
//! (`AuthFailure.SignatureExpire`). A machine whose clock drifted would fail every call, so on that
//! error the runtime reads the service's time from the answer's `Date` header, keeps the
//! difference, and signs with the corrected time from then on.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The offset between the service's clock and this machine's, shared by the clients of one
/// configuration.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// Seconds to add to the local time.
    offset: AtomicI64,
}

impl Clock {
    /// The corrected time in seconds since the Unix epoch.
    pub(crate) fn now(&self) -> u64 {
        let local = local_unix_time();
        let offset = self.offset.load(Ordering::Relaxed);
        local.saturating_add_signed(offset)
    }

    /// Seconds added to the local time.
    pub(crate) fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// Takes the service's time, in seconds since the epoch, as the right one; returns the new
    /// offset.
    pub(crate) fn correct_to(&self, server_time: u64) -> i64 {
        let local = i128::from(local_unix_time());
        let offset = i128::from(server_time) - local;
        let offset = i64::try_from(offset).unwrap_or(if offset < 0 { i64::MIN } else { i64::MAX });
        self.offset.store(offset, Ordering::Relaxed);
        offset
    }
}

fn local_unix_time() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Reads an HTTP date in the preferred format of RFC 9110, `Sun, 06 Nov 1994 08:49:37 GMT`, into
/// seconds since the Unix epoch. Other formats and impossible dates give `None`.
pub(crate) fn parse_http_date(text: &str) -> Option<u64> {
    let rest = text.trim();
    let (_weekday, rest) = rest.split_once(", ")?;
    let mut parts = rest.split(' ');
    let day: u32 = number(parts.next()?, 2)?;
    let month = month_number(parts.next()?)?;
    let year: i64 = number(parts.next()?, 4)?;
    let mut clock = parts.next()?.split(':');
    let hour: u64 = number(clock.next()?, 2)?;
    let minute: u64 = number(clock.next()?, 2)?;
    let second: u64 = number(clock.next()?, 2)?;
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() {
        return None;
    }
    if !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Parses exactly `digits` ASCII digits.
fn number<T: std::str::FromStr>(text: &str, digits: usize) -> Option<T> {
    if text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let index = MONTHS.iter().position(|month| *month == name)?;
    u32::try_from(index + 1).ok()
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// algorithm, counting in 400-year eras that start on 1 March).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
    fn correction_moves_the_clock() {
        let clock = Clock::default();
        let local = clock.now();
        let offset = clock.correct_to(local + 3600);
        assert!((3599..=3601).contains(&offset), "{offset}");
        assert!(clock.now().abs_diff(local + 3600) <= 1);
        clock.correct_to(local.saturating_sub(600));
        assert!(clock.now().abs_diff(local - 600) <= 1);
        assert!((-601..=-599).contains(&clock.offset()));
    }
}
