//! The emulator's wall clock: real time shifted by a fixed offset, so that a test can put the
//! server ahead of or behind its client. It is what the signature window is checked against,
//! what dates the backends' resources, and what the `Date` header of every answer shows.
//!
//! Only the wall clock moves. Durations (how long a check runs, the rate-limit window) are
//! measured on the monotonic clock, which an offset does not change.

use std::time::{SystemTime, UNIX_EPOCH};

/// 9999-12-31 23:59:59 UTC, the last second a four-digit year can show.
const LATEST: u64 = tencentcloud_sdk::calendar::LAST_FOUR_DIGIT_YEAR_SECOND;

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

/// `unix_time` as an HTTP date (IMF-fixdate), such as `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(unix_time: u64) -> String {
    tencentcloud_sdk::calendar::format_http_date(unix_time)
}

#[cfg(test)]
mod tests {
    use super::*;

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
