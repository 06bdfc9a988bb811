//! An order's date and time as a file gives it: read once, checked (from
//! 1970, a real day and time), and kept without an allocation.

use crate::import::echo;

/// A local date and time, 'YYYY-MM-DD HH:MM:SS', kept without an allocation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Stamp([u8; 19]);

impl Stamp {
    pub(super) fn text(&self) -> &str {
        // Built only from ASCII digits and separators by `parse_stamp`.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00 00:00:00")
    }

    pub(super) fn date(&self) -> &str {
        &self.text()[..10]
    }

    pub(super) fn time(&self) -> &str {
        &self.text()[11..]
    }

    /// The stamp as the number YYYYMMDDHHMMSS, which sorts the same way.
    pub(super) fn key(&self) -> u64 {
        self.0
            .iter()
            .filter(|c| c.is_ascii_digit())
            .fold(0, |n, &c| n * 10 + u64::from(c - b'0'))
    }
}

/// Parses `2024-03-05`, `2024-03-05 14:30`, `2024-03-05T14:30:00` into a date and time.
pub fn parse_order_date(text: &str) -> Result<(String, String), String> {
    parse_stamp(text).map(|s| (s.date().to_owned(), s.time().to_owned()))
}

pub(super) fn parse_stamp(text: &str) -> Result<Stamp, String> {
    const HINT: &str = "use a date like 2024-03-05, or a date and time like 2024-03-05 14:30";
    let t = text.trim();
    if t.is_empty() {
        return Err("a date is required".into());
    }
    let bad = || {
        format!(
            "\"{}\" is not a date Shopkeeper understands; {HINT}",
            echo(t)
        )
    };
    let b = t.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(bad());
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let (mut hh, mut mm, mut ss) = (0, 0, 0);
    if b.len() > 10 {
        if !(b[10] == b' ' || b[10] == b'T') || !(b.len() == 16 || b.len() == 19) || b[13] != b':' {
            return Err(bad());
        }
        let (Some(h), Some(mi)) = (digits(11..13), digits(14..16)) else {
            return Err(bad());
        };
        (hh, mm) = (h, mi);
        if b.len() == 19 {
            match (b[16], digits(17..19)) {
                (b':', Some(sec)) => ss = sec,
                _ => return Err(bad()),
            }
        }
    }
    let valid_day = chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some();
    if !valid_day || hh > 23 || mm > 59 || ss > 59 {
        return Err(format!(
            "\"{}\" is not a real date or time; {HINT}",
            echo(t)
        ));
    }
    if y < 1970 {
        return Err(format!(
            "{} is before 1970, earlier than any order Shopkeeper keeps; check the year",
            &t[..10]
        ));
    }
    let mut out = *b"0000-00-00 00:00:00";
    let mut put = |at: usize, width: usize, mut value: u32| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, m);
    put(8, 2, d);
    put(11, 2, hh);
    put(14, 2, mm);
    put(17, 2, ss);
    Ok(Stamp(out))
}
