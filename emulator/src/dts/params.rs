//! Small helpers shared by the DTS handlers: reading parameters, building answers and errors,
//! paging, tag filters, and the cloud's date format.

use std::cmp::Ordering;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use tencentcloud_sdk::calendar::{days_from_civil, days_in_month};

use crate::backend::{Answer, ApiError, Call, cloud_datetime};

/// How the cloud writes a date that has not happened (yet): a job not started, say.
pub(super) const ZERO_TIME: &str = "0000-00-00 00:00:00";

/// A request's parameters.
pub(super) type Params = Map<String, Value>;

/// A parameter that is present and not `null` (the gateway lets `null` through as "absent").
pub(super) fn get<'a>(params: &'a Params, name: &str) -> Option<&'a Value> {
    params.get(name).filter(|value| !value.is_null())
}

/// An optional string parameter.
pub(super) fn opt_str<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    get(params, name).and_then(Value::as_str)
}

/// An optional integer parameter.
pub(super) fn opt_i64(params: &Params, name: &str) -> Option<i64> {
    get(params, name).and_then(Value::as_i64)
}

/// An optional list of strings; other items are skipped.
pub(super) fn opt_str_list<'a>(params: &'a Params, name: &str) -> Option<Vec<&'a str>> {
    let items = get(params, name)?.as_array()?;
    Some(items.iter().filter_map(Value::as_str).collect())
}

/// An optional object parameter.
pub(super) fn opt_object<'a>(params: &'a Params, name: &str) -> Option<&'a Params> {
    get(params, name).and_then(Value::as_object)
}

/// A required string parameter. The gateway already refuses requests without one, so the error
/// is only a safety net.
pub(super) fn req_str<'a>(params: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    opt_str(params, name).ok_or_else(|| missing(name))
}

/// A required integer parameter (see [`req_str`]).
pub(super) fn req_i64(params: &Params, name: &str) -> Result<i64, ApiError> {
    opt_i64(params, name).ok_or_else(|| missing(name))
}

/// The error for a parameter that is required (perhaps only because of another one) but absent.
pub(super) fn missing(name: &str) -> ApiError {
    ApiError::new(
        "InvalidParameter",
        format!("The parameter `{name}` is required here but was not given."),
    )
}

/// A copy of a value with every `null` member of its objects dropped, so stored input echoes
/// back without members the caller meant as absent.
pub(super) fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(_, member)| !member.is_null())
                .map(|(name, member)| (name.clone(), without_nulls(member)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// The members of a JSON object as an answer; anything else gives an empty answer.
pub(super) fn answer(value: Value) -> Answer {
    match value {
        Value::Object(members) => members,
        _ => Answer::new(),
    }
}

/// A success answer with no members besides the `RequestId` the server adds.
pub(super) fn done() -> Result<Answer, ApiError> {
    Ok(Answer::new())
}

/// A date in the cloud's format, or [`ZERO_TIME`] when there is none.
pub(super) fn datetime_or_zero(unix_time: Option<u64>) -> String {
    unix_time.map_or_else(|| ZERO_TIME.to_owned(), cloud_datetime)
}

/// Reads `YYYY-MM-DD hh:mm:ss` in China Standard Time (the inverse of [`cloud_datetime`]).
/// `None` for anything else, including dates before the Unix epoch.
pub(super) fn parse_cloud_datetime(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 19
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            10 => *byte == b' ',
            13 | 16 => *byte == b':',
            _ => byte.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let small = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, small(5..7)?, small(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    u64::try_from(local - 8 * 3600).ok()
}

/// A moment read on both clocks of a call: the monotonic one that times state changes and the
/// wall clock that dates answers.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stamp {
    /// The monotonic reading.
    pub at: Instant,
    /// Seconds since the Unix epoch.
    pub unix: u64,
}

impl Stamp {
    /// The moment of a call.
    pub fn of(call: &Call<'_>) -> Self {
        Self {
            at: call.now,
            unix: call.unix_time,
        }
    }

    /// How long after this moment `now` is (zero if it is before).
    pub fn elapsed(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.at)
    }

    /// The wall-clock time `later` after this moment.
    pub fn unix_after(&self, later: Duration) -> u64 {
        self.unix.saturating_add(later.as_secs())
    }
}

/// The share of `total` that `elapsed` is, from 0 to 1; a zero `total` is already over.
pub(super) fn fraction(elapsed: Duration, total: Duration) -> f64 {
    if total.is_zero() {
        1.0
    } else {
        (elapsed.as_secs_f64() / total.as_secs_f64()).clamp(0.0, 1.0)
    }
}

/// Which page of a list to return.
#[derive(Debug, Clone, Copy)]
pub(super) struct Page {
    /// Index of the first item.
    pub offset: usize,
    /// Most items to return.
    pub limit: usize,
}

impl Page {
    /// Reads `Offset` (0 by default) and `Limit` (20 by default, at most 100); a value out of
    /// range is refused with `code`.
    pub fn read(params: &Params, code: &str) -> Result<Self, ApiError> {
        let offset = match get(params, "Offset") {
            None => 0,
            Some(value) => value
                .as_u64()
                .and_then(|offset| usize::try_from(offset).ok())
                .ok_or_else(|| {
                    ApiError::new(code, format!("`Offset` must not be negative, not {value}."))
                })?,
        };
        let limit = match get(params, "Limit") {
            None => 20,
            Some(value) => value
                .as_u64()
                .filter(|limit| (1..=100).contains(limit))
                .and_then(|limit| usize::try_from(limit).ok())
                .ok_or_else(|| {
                    ApiError::new(code, format!("`Limit` must be from 1 to 100, not {value}."))
                })?,
        };
        Ok(Self { offset, limit })
    }

    /// The items of this page.
    pub fn apply<T>(&self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect()
    }
}

/// Reads a sort direction (`ASC` or `DESC`, `DESC` by default) from `name`; another value is
/// refused with `code`.
pub(super) fn descending(params: &Params, name: &str, code: &str) -> Result<bool, ApiError> {
    match opt_str(params, name) {
        None | Some("DESC") => Ok(true),
        Some("ASC") => Ok(false),
        Some(other) => Err(ApiError::new(
            code,
            format!("`{name}` must be `ASC` or `DESC`, not `{other}`."),
        )),
    }
}

/// An ordering turned round when the sort is descending.
pub(super) fn directed(order: Ordering, descending: bool) -> Ordering {
    if descending { order.reverse() } else { order }
}

/// Whether a resource with these tags (`TagItem` objects) passes every `TagFilter` in
/// `TagFilters`: it must carry the key and, when the filter lists values, one of them.
pub(super) fn tags_match(tags: &[Value], params: &Params) -> bool {
    let Some(filters) = get(params, "TagFilters").and_then(Value::as_array) else {
        return true;
    };
    filters.iter().all(|filter| {
        let key = filter.get("TagKey").and_then(Value::as_str);
        let values: Vec<&str> = filter
            .get("TagValue")
            .and_then(Value::as_array)
            .map(|values| values.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        tags.iter().any(|tag| {
            let value = tag.get("TagValue").and_then(Value::as_str);
            tag.get("TagKey").and_then(Value::as_str) == key
                && (values.is_empty() || value.is_some_and(|value| values.contains(&value)))
        })
    })
}

/// The `Tags` parameter as stored tags (without `null` members).
pub(super) fn tags_param(params: &Params) -> Vec<Value> {
    get(params, "Tags")
        .and_then(Value::as_array)
        .map(|tags| tags.iter().map(without_nulls).collect())
        .unwrap_or_default()
}
