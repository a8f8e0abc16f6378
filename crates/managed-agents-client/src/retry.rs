//! The retry policy of spec section 9, as pure functions: which outcome is retried, and how
//! long to wait before the next attempt.

use std::time::Duration;

use http::HeaderMap;

/// The longest server-requested delay that is honoured; longer hints fall back to backoff.
const MAX_HINTED_DELAY: Duration = Duration::from_secs(60);
/// The first backoff delay.
const INITIAL_DELAY: Duration = Duration::from_millis(500);
/// The backoff ceiling.
const MAX_DELAY: Duration = Duration::from_secs(8);
/// The largest share of a backoff delay that jitter removes.
const MAX_JITTER: f64 = 0.25;

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The server answered with this status and headers.
    Status(u16, &'a HeaderMap),
    /// The connection failed or broke.
    Connection,
    /// The attempt timed out.
    Timeout,
}

/// Whether the outcome should be retried, attempts and body permitting. `x-should-retry`
/// wins over the status rule either way.
pub fn is_retryable(outcome: Outcome<'_>) -> bool {
    match outcome {
        Outcome::Status(status, headers) => status_is_retryable(status, headers),
        Outcome::Connection | Outcome::Timeout => true,
    }
}

/// The status rule: 408, 409, 429 and every status from 500 up, unless `x-should-retry`
/// says otherwise.
pub fn status_is_retryable(status: u16, headers: &HeaderMap) -> bool {
    let hint = headers
        .get("x-should-retry")
        .and_then(|value| value.to_str().ok());
    match hint {
        Some("true") => true,
        Some("false") => false,
        _ => matches!(status, 408 | 409 | 429) || status >= 500,
    }
}

/// The delay before the next attempt: the server's `retry-after-ms`, else `retry-after`
/// (seconds or an HTTP date, read against `now_unix_ms`), when between 0 and 60 seconds;
/// else exponential backoff from 0.5 s doubling up to 8 s, reduced by up to 25 % using
/// `random` (in `[0, 1)`). `retries_done` counts the retries already made.
pub fn delay(
    headers: Option<&HeaderMap>,
    retries_done: u32,
    now_unix_ms: u64,
    random: f64,
) -> Duration {
    if let Some(hinted) = headers.and_then(|headers| hinted_delay(headers, now_unix_ms))
        && hinted <= MAX_HINTED_DELAY
    {
        return hinted;
    }
    backoff(retries_done, random)
}

/// Exponential backoff with jitter.
pub fn backoff(retries_done: u32, random: f64) -> Duration {
    let factor = 2f64.powi(retries_done.min(16) as i32);
    let base = (INITIAL_DELAY.as_secs_f64() * factor).min(MAX_DELAY.as_secs_f64());
    let jitter = 1.0 - random.clamp(0.0, 1.0) * MAX_JITTER;
    Duration::from_secs_f64(base * jitter)
}

fn hinted_delay(headers: &HeaderMap, now_unix_ms: u64) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(millis) =
        header("retry-after-ms").and_then(|value| value.trim().parse::<f64>().ok())
        && millis.is_finite()
        && millis >= 0.0
    {
        // `try_from` fails on values too large for a Duration: such a hint is ignored.
        return Duration::try_from_secs_f64(millis / 1000.0).ok();
    }
    let value = header("retry-after")?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).ok())
            .flatten();
    }
    let at = parse_http_date(value)?;
    let now = now_unix_ms / 1000;
    (at >= now).then(|| Duration::from_secs(at - now))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, the form HTTP requires senders to
/// use) into seconds since the Unix epoch.
pub fn parse_http_date(value: &str) -> Option<u64> {
    let rest = value.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u64 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: u64 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| *name == month)? as u64 + 1;
    let mut clock = time.split(':').map(|part| part.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if year < 1970 || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn statuses_follow_the_spec() {
        let none = HeaderMap::new();
        for status in [408, 409, 429, 500, 502, 503, 529] {
            assert!(is_retryable(Outcome::Status(status, &none)), "{status}");
        }
        for status in [400, 401, 403, 404, 413, 422] {
            assert!(!is_retryable(Outcome::Status(status, &none)), "{status}");
        }
        assert!(is_retryable(Outcome::Connection) && is_retryable(Outcome::Timeout));
    }

    #[test]
    fn should_retry_header_wins_both_ways() {
        let no = headers(&[("x-should-retry", "false")]);
        let yes = headers(&[("x-should-retry", "true")]);
        assert!(!is_retryable(Outcome::Status(500, &no)));
        assert!(!is_retryable(Outcome::Status(409, &no)));
        assert!(is_retryable(Outcome::Status(400, &yes)));
    }

    #[test]
    fn huge_or_broken_hints_fall_back_to_backoff() {
        let backoff_delay = backoff(0, 0.5);
        for (name, value) in [
            ("retry-after", "1e30"),
            ("retry-after", "99999999999999999999"),
            ("retry-after-ms", "1e30"),
            ("retry-after-ms", "1e300"),
            ("retry-after", "-5"),
            ("retry-after", "NaN"),
            ("retry-after", "61"),
        ] {
            let hint = headers(&[(name, value)]);
            assert_eq!(
                delay(Some(&hint), 0, 0, 0.5),
                backoff_delay,
                "{name}: {value}"
            );
        }
    }

    #[test]
    fn hints_are_read_in_order() {
        let both = headers(&[("retry-after-ms", "250"), ("retry-after", "3")]);
        assert_eq!(delay(Some(&both), 0, 0, 0.5), Duration::from_millis(250));
        let seconds = headers(&[("retry-after", "3")]);
        assert_eq!(delay(Some(&seconds), 0, 0, 0.5), Duration::from_secs(3));
        let date = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        let now = 784_111_777_000 - 5_000;
        assert_eq!(delay(Some(&date), 0, now, 0.5), Duration::from_secs(5));
    }

    #[test]
    fn out_of_range_hints_fall_back_to_backoff() {
        let long = headers(&[("retry-after", "61")]);
        assert_eq!(delay(Some(&long), 0, 0, 0.0), Duration::from_millis(500));
        let negative = headers(&[("retry-after-ms", "-5")]);
        assert_eq!(delay(Some(&negative), 1, 0, 0.0), Duration::from_secs(1));
        let junk = headers(&[("retry-after", "soon")]);
        assert_eq!(delay(Some(&junk), 2, 0, 0.0), Duration::from_secs(2));
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert_eq!(
            delay(Some(&past), 0, u64::MAX / 2, 0.0),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn backoff_doubles_caps_and_jitters_down() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(3, 0.0), Duration::from_secs(4));
        assert_eq!(backoff(4, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(30, 0.0), Duration::from_secs(8));
        assert_eq!(
            backoff(0, 0.999_999),
            Duration::from_secs_f64(0.5 * (1.0 - 0.249_999_75))
        );
        assert!(backoff(2, 0.5) < backoff(2, 0.0));
        assert!(backoff(2, 1.0) >= Duration::from_millis(1500));
    }

    #[test]
    fn http_dates_parse() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Sat, 29 Feb 2020 12:00:00 GMT"),
            Some(1_582_977_600)
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
    }
}
