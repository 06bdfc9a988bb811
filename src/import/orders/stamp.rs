//! An order's date and time as a file gives it: read once, checked (from
//! 1970, a real day and time), and kept without an allocation.

use crate::domain::format::DateStyle;
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

/// `parse_stamp`, also reading a date the way the shop writes dates
/// (`style`): "02/10/2026 10:14" is 2 October in a shop writing DD/MM/YYYY
/// (a French Excel saves its dates so; the file was refused on every line)
/// and 10 February in one writing MM/DD/YYYY; "2.10.2026" in one writing
/// DD.MM.YYYY. A day or month of one digit is read too. A shop writing ISO
/// dates reads ISO only: "02/10/2026" could be either day.
pub(super) fn parse_stamp_in(text: &str, style: DateStyle) -> Result<Stamp, String> {
    let t = text.trim();
    let Some(sep) = [b'/', b'.']
        .into_iter()
        .find(|c| t.as_bytes().get(1..3).is_some_and(|b| b.contains(c)))
    else {
        return parse_stamp(t);
    };
    let (day_first, seps): (bool, &[u8]) = match style {
        DateStyle::Iso => return parse_stamp(t).map_err(|e| with_style_hint(e, style)),
        DateStyle::DayMonthYear | DateStyle::DayMonthYearDots => (true, b"/."),
        DateStyle::MonthDayYear => (false, b"/"),
    };
    let (date, time) = t.split_once([' ', 'T']).unwrap_or((t, ""));
    let parts: Vec<&str> = date.split(sep as char).collect();
    let iso = match parts.as_slice() {
        [a, b, y]
            if seps.contains(&sep)
                && y.len() == 4
                && (1..=2).contains(&a.len())
                && (1..=2).contains(&b.len()) =>
        {
            let (d, m) = if day_first { (a, b) } else { (b, a) };
            let mut iso = format!("{y}-{m:0>2}-{d:0>2}");
            if !time.is_empty() {
                // "9:05" as "09:05".
                let time = if time.find(':') == Some(1) {
                    format!("0{time}")
                } else {
                    time.to_owned()
                };
                iso.push(' ');
                iso.push_str(&time);
            }
            iso
        }
        _ => return parse_stamp(t).map_err(|e| with_style_hint(e, style)),
    };
    parse_stamp(&iso)
        .map_err(|_| with_style_hint(format!("\"{}\" is not a real date or time", echo(t)), style))
}

/// A refusal that also names the shop's own way of writing a date.
fn with_style_hint(why: String, style: DateStyle) -> String {
    match style {
        DateStyle::Iso => why,
        other => format!(
            "{why}, or as this shop writes dates ({})",
            other.show("2024-03-05")
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, style: DateStyle) -> Result<String, String> {
        parse_stamp_in(text, style).map(|s| s.text().to_owned())
    }

    /// A file's dates as the shop writes them: a French Excel saves
    /// "02/10/2026 10:14", which a tryout's import refused on every line.
    #[test]
    fn dates_are_read_as_the_shop_writes_them() {
        use DateStyle::*;
        assert_eq!(
            read("02/10/2026 10:14", DayMonthYear).unwrap(),
            "2026-10-02 10:14:00"
        );
        assert_eq!(
            read("02/10/2026 10:14", MonthDayYear).unwrap(),
            "2026-02-10 10:14:00"
        );
        assert_eq!(
            read("2.10.2026", DayMonthYearDots).unwrap(),
            "2026-10-02 00:00:00"
        );
        assert_eq!(
            read("2/3/2026 9:05", DayMonthYear).unwrap(),
            "2026-03-02 09:05:00"
        );
        assert_eq!(
            read("31/12/2025 23:59:59", DayMonthYear).unwrap(),
            "2025-12-31 23:59:59"
        );
        // ISO stays ISO in every shop.
        for style in DateStyle::ALL {
            assert_eq!(
                read("2026-10-02 10:14", style).unwrap(),
                "2026-10-02 10:14:00"
            );
        }
        // An ISO shop cannot tell 02/10 apart: refused, as before.
        assert!(read("02/10/2026", Iso).is_err());
        // Not a real day, in the shop's order; the hint names its way.
        let err = read("31/02/2026", DayMonthYear).unwrap_err();
        assert!(
            err.contains("not a real date") && err.contains("05/03/2024"),
            "{err}"
        );
        assert!(read("10/31/2026", DayMonthYear).is_err());
        assert_eq!(
            read("10/31/2026", MonthDayYear).unwrap(),
            "2026-10-31 00:00:00"
        );
        assert!(
            read("02/10/26", DayMonthYear).is_err(),
            "two-digit years are not guessed"
        );
        assert!(read("02-10-2026", DayMonthYear).is_err());
    }
}
