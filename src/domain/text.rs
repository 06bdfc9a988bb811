//! Rules every text field obeys, and the bounds of amounts and quantities.
//!
//! Text: control characters (NUL, ESC, DEL ...) and the invisible marks that
//! turn text around (bidirectional overrides and isolates such as U+202E) are
//! refused everywhere; tab and line breaks only in fields of several lines
//! (addresses, notes, descriptions).
//!
//! Keys: emails and SKUs are the same whatever their case and the spaces
//! around them; `fold` is that rule (trimmed, Unicode lowercase), and the store
//! keeps each one's folded key under a unique index. Order references are
//! trimmed and compared exactly.

/// The most an amount (a price, a cost, an order line, an order) may be, in
/// minor units: 1,000,000,000.00 with two decimals. A database would need
/// 92 million orders at this bound before a sum of them left an `i64`.
pub const MAX_AMOUNT: i64 = 100_000_000_000;

/// The most units one order line may hold.
pub const MAX_QUANTITY: i64 = 1_000_000;

/// Whether `c` may never appear in a text field: a control character other
/// than tab and line breaks, or an invisible direction mark.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Checks a text field: `multi_line` fields may hold tabs and line breaks.
/// The message names the character and where it is.
pub fn check_text(value: &str, multi_line: bool) -> Result<(), String> {
    // Most text is printable ASCII: one quick look at the bytes (without
    // stopping early, so the compiler checks many bytes at a time).
    let outside = value
        .bytes()
        .fold(0u8, |acc, b| acc | u8::from(b.wrapping_sub(0x20) >= 0x5f));
    if outside == 0 {
        return Ok(());
    }
    for (i, c) in value.chars().enumerate() {
        let allowed_break = multi_line && matches!(c, '\t' | '\n' | '\r');
        if is_forbidden(c) || (!allowed_break && matches!(c, '\t' | '\n' | '\r')) {
            let what = match c {
                '\t' => "a tab".to_owned(),
                '\n' | '\r' => "a line break".to_owned(),
                _ => format!("an invisible control character (U+{:04X})", u32::from(c)),
            };
            return Err(format!(
                "{what} at character {} cannot be stored here; remove it and try again",
                i + 1
            ));
        }
    }
    Ok(())
}

/// The key an email or SKU is compared by: trimmed, Unicode lowercase.
pub fn fold(value: &str) -> String {
    let t = value.trim();
    if t.is_ascii() {
        t.to_ascii_lowercase()
    } else {
        t.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused() {
        for bad in [
            "\0Ana",
            "An\0a",
            "a\u{1b}[31m",
            "x\u{7f}",
            "evil\u{202E}gpj.exe",
            "\u{2066}x",
        ] {
            assert!(check_text(bad, true).is_err(), "{bad:?}");
            assert!(check_text(bad, false).is_err(), "{bad:?}");
        }
        assert!(check_text("line one\nline two\tand a tab", true).is_ok());
        assert!(check_text("line one\nline two", false).is_err());
        assert!(check_text("Zoë Ångström 東京 🙂", false).is_ok());
        let e = check_text("An\0a", false).unwrap_err();
        assert!(e.contains("U+0000") && e.contains("character 3"), "{e}");
    }

    #[test]
    fn keys_fold_case_and_spaces() {
        assert_eq!(fold(" ÄBC "), fold("äbc"));
        assert_eq!(fold("Ana@Example.COM"), "ana@example.com");
    }
}
