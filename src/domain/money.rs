//! Money as an exact integer count of minor units (cents), parsed and formatted
//! without ever passing through a float.

use std::fmt;

use super::MAX_AMOUNT;
use super::format::{DecimalMark, NumberStyle, SymbolPlace};

/// An amount of money in minor units (cents for a currency with two decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn cents(self) -> i64 {
        self.0
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// How the shop writes money: a symbol and a number of decimals (0 to 3),
/// and on screen the shop's marks and the symbol's place (Settings > Formats).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub symbol: String,
    pub decimals: u32,
    pub style: NumberStyle,
}

impl Default for Currency {
    fn default() -> Self {
        Currency {
            symbol: "$".to_owned(),
            decimals: 2,
            style: NumberStyle::default(),
        }
    }
}

/// Why a typed amount was refused. Each message is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("enter an amount, for example 12.50")]
    Empty,
    #[error("the amount cannot be negative")]
    Negative,
    #[error("use at most {0} digits after the decimal point")]
    TooManyDecimals(u32),
    #[error("use digits and one decimal point only, for example 12.50")]
    NotANumber,
    #[error("the amount is too large: at most {0}")]
    TooLarge(String),
    #[error(
        "\"{text}\" could be read two ways; write it with \"{decimal}\" before the cents, or without a thousands separator"
    )]
    Ambiguous { text: String, decimal: char },
    #[error(
        "{found} is not the shop's currency ({shop}); convert the amount, or change the currency in Settings"
    )]
    OtherCurrency { found: String, shop: String },
}

impl Currency {
    fn scale(&self) -> i64 {
        10i64.pow(self.decimals.min(3))
    }

    /// Parses what a user typed ("12.5", "12", "0.99", "1,234.50") into minor units.
    /// A thousands separator "," is accepted before the decimal point; the
    /// shop's currency symbol before or after the number is ignored, another
    /// currency's is refused. Exponents, signs and extra decimals are refused.
    /// Where the shop writes a decimal comma (Settings > Formats), "12,50"
    /// and "1.234,50" are read that way, and "12.50" still as twelve and a
    /// half; a space or apostrophe that groups thousands is skipped.
    pub fn parse(&self, input: &str) -> Result<Money, MoneyError> {
        let grouping = self.style.grouping.char();
        let cleaned;
        let input = match grouping {
            Some(mark @ ('\u{a0}' | '\'')) => {
                let skip = |c: char| {
                    c == mark
                        || (mark == '\u{a0}' && matches!(c, ' ' | '\u{202f}'))
                        || (mark == '\'' && c == '\u{2019}')
                };
                cleaned = input
                    .trim()
                    .chars()
                    .filter(|c| !skip(*c))
                    .collect::<String>();
                cleaned.as_str()
            }
            _ => input,
        };
        match self.style.decimal {
            DecimalMark::Point => self.parse_as(input, '.', false),
            DecimalMark::Comma => self.parse_as(input, ',', true),
        }
    }

    /// Parses an amount from a file whose decimal separator is `decimal`
    /// ('.' or ','; the other one separates thousands): "12,50" and
    /// "1.234,50" with ','. A number that reads two ways ("12,345" where '.'
    /// is the decimal separator) is refused; one that reads only one way
    /// ("12.50" where ',' is) is taken that way.
    pub fn parse_in_file(&self, input: &str, decimal: char) -> Result<Money, MoneyError> {
        self.parse_as(input, decimal, true)
    }

    fn parse_as(&self, input: &str, decimal: char, file: bool) -> Result<Money, MoneyError> {
        if let Some(money) = self.parse_plain(input.as_bytes(), decimal) {
            return Ok(money);
        }
        let mut s = input.trim();
        let symbol = self.symbol.trim();
        if !symbol.is_empty() {
            if let Some(rest) = s.strip_prefix(symbol) {
                s = rest.trim_start();
            } else if let Some(rest) = s.strip_suffix(symbol) {
                s = rest.trim_end();
            }
        }
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        if s.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        if let Some(other) = s.chars().find(|c| is_currency_symbol(*c)) {
            return Err(MoneyError::OtherCurrency {
                found: other.to_string(),
                shop: symbol.to_owned(),
            });
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(MoneyError::NotANumber);
        }
        let thousands = if decimal == ',' { '.' } else { ',' };
        let (mut whole, mut frac) = match s.split_once(decimal) {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        if frac.is_some_and(|f| f.contains([decimal, thousands])) {
            return Err(MoneyError::NotANumber);
        }
        let lone = frac.is_none() && whole.matches(thousands).count() == 1;
        let whole_digits: String = match strip_thousands(whole, thousands) {
            Some(digits) => {
                if file && lone && self.decimals > 0 {
                    return Err(MoneyError::Ambiguous {
                        text: s.chars().take(40).collect(),
                        decimal,
                    });
                }
                digits
            }
            // In a file, one separator that cannot be separating thousands
            // ("12.50" where ',' is the decimal one) can only be decimal.
            None if file && lone => {
                let (w, f) = whole.split_once(thousands).unwrap_or((whole, ""));
                (whole, frac) = (w, Some(f));
                whole.to_owned()
            }
            None => return Err(MoneyError::NotANumber),
        };
        let whole = whole_digits;
        if whole.is_empty() && frac.is_none_or(str::is_empty) {
            return Err(MoneyError::NotANumber);
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        let frac = frac.unwrap_or("");
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyError::NotANumber);
        }
        let decimals = self.decimals.min(3);
        if frac.len() > decimals as usize {
            return Err(MoneyError::TooManyDecimals(decimals));
        }
        let too_large = || MoneyError::TooLarge(self.format(Money(MAX_AMOUNT)));
        let whole_value: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| too_large())?
        };
        let mut frac_value: i64 = 0;
        for i in 0..decimals as usize {
            let digit = frac.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
            frac_value = frac_value * 10 + digit;
        }
        let cents = whole_value
            .checked_mul(self.scale())
            .and_then(|v| v.checked_add(frac_value))
            .ok_or_else(too_large)?;
        // Keep amounts well inside what sums of many orders can hold.
        if cents > MAX_AMOUNT {
            return Err(too_large());
        }
        Ok(Money(cents))
    }

    /// The usual case, quickly: digits, then perhaps `decimal` and at most
    /// the currency's decimals, within `MAX_AMOUNT`. None for anything else
    /// (which `parse_as` reads the long way, and explains if it must refuse).
    fn parse_plain(&self, b: &[u8], decimal: char) -> Option<Money> {
        if b.is_empty() || b.len() > 20 {
            return None;
        }
        let (whole, frac) = match b.iter().position(|&c| char::from(c) == decimal) {
            Some(i) => (&b[..i], &b[i + 1..]),
            None => (b, &b[..0]),
        };
        let decimals = self.decimals.min(3) as usize;
        if whole.is_empty()
            || whole.len() > 12
            || frac.len() > decimals
            || (frac.is_empty() && whole.len() < b.len())
            || !whole.iter().chain(frac).all(u8::is_ascii_digit)
        {
            return None;
        }
        let digits = |d: &[u8]| d.iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'));
        // The fraction's digits count from the left: "0.5" is 50 cents.
        let minor =
            digits(whole) * self.scale() + digits(frac) * 10i64.pow((decimals - frac.len()) as u32);
        (minor <= MAX_AMOUNT).then_some(Money(minor))
    }

    /// "$1,234.50" (or "1.234,50 €" ...): the way amounts appear on screen,
    /// in the shop's local format.
    pub fn format(&self, money: Money) -> String {
        let plain = self.format_plain(money);
        let (sign, digits) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        let mut number = String::with_capacity(whole.len() + whole.len() / 3 + 4);
        for (i, c) in whole.chars().enumerate() {
            if i > 0
                && (whole.len() - i).is_multiple_of(3)
                && let Some(mark) = self.style.grouping.char()
            {
                number.push(mark);
            }
            number.push(c);
        }
        if let Some(f) = frac {
            number.push(self.style.decimal.char());
            number.push_str(f);
        }
        let symbol = self.symbol.trim();
        if symbol.is_empty() {
            return format!("{sign}{number}");
        }
        match self.style.symbol {
            SymbolPlace::Before => format!("{sign}{}{number}", self.symbol),
            SymbolPlace::BeforeSpace => format!("{sign}{symbol}\u{a0}{number}"),
            SymbolPlace::After => format!("{sign}{number}{symbol}"),
            SymbolPlace::AfterSpace => format!("{sign}{number}\u{a0}{symbol}"),
        }
    }

    /// "1234,50": no symbol, no grouping, the shop's decimal mark; what a
    /// form's amount field starts with.
    pub fn format_input(&self, money: Money) -> String {
        let plain = self.format_plain(money);
        match self.style.decimal {
            DecimalMark::Point => plain,
            DecimalMark::Comma => plain.replace('.', ","),
        }
    }

    /// The same currency written the plain way ("1234.50", "$1,234.50"):
    /// for reading and writing files, whatever the screen's format.
    pub fn plain_style(&self) -> Currency {
        Currency {
            style: NumberStyle::default(),
            ..self.clone()
        }
    }

    /// "1234.50": no symbol, no separators; for files and text fields.
    pub fn format_plain(&self, money: Money) -> String {
        let decimals = self.decimals.min(3);
        let scale = self.scale();
        let sign = if money.0 < 0 { "-" } else { "" };
        let abs = money.0.unsigned_abs();
        let whole = abs / scale as u64;
        let frac = abs % scale as u64;
        if decimals == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{frac:0width$}", width = decimals as usize)
        }
    }

    /// The amount as a float, for plots only.
    pub fn to_f64(&self, money: Money) -> f64 {
        money.0 as f64 / self.scale() as f64
    }
}

/// Whether `c` is a currency sign (of any currency).
fn is_currency_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '¢' | '£' | '¤' | '¥' | '֏' | '؋' | '৳' | '฿' | '៛' | '\u{20A0}'..='\u{20C0}' | '﷼'
    )
}

/// "1,234" -> "1234"; None when the separators are not in groups of three.
fn strip_thousands(whole: &str, separator: char) -> Option<String> {
    if !whole.contains(separator) {
        return Some(whole.to_owned());
    }
    let groups: Vec<&str> = whole.split(separator).collect();
    let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
    if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    Some(groups.concat())
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Currency::default().format(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::default()
    }

    #[test]
    fn parses_exact_amounts() {
        let c = usd();
        assert_eq!(c.parse("12.50"), Ok(Money(1250)));
        assert_eq!(c.parse("12.5"), Ok(Money(1250)));
        assert_eq!(c.parse("12"), Ok(Money(1200)));
        assert_eq!(c.parse("0.99"), Ok(Money(99)));
        assert_eq!(c.parse(" 1,234.05 "), Ok(Money(123405)));
        assert_eq!(c.parse("$3"), Ok(Money(300)));
        assert_eq!(c.parse(".5"), Ok(Money(50)));
        assert_eq!(c.parse("0"), Ok(Money(0)));
    }

    #[test]
    fn refuses_what_is_not_an_exact_amount() {
        let c = usd();
        assert_eq!(c.parse("12.555"), Err(MoneyError::TooManyDecimals(2)));
        assert_eq!(c.parse("-1"), Err(MoneyError::Negative));
        assert_eq!(c.parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(c.parse("1e3"), Err(MoneyError::NotANumber));
        assert_eq!(c.parse(""), Err(MoneyError::Empty));
        assert_eq!(c.parse("   "), Err(MoneyError::Empty));
        assert_eq!(c.parse("."), Err(MoneyError::NotANumber));
        assert_eq!(c.parse("1.2.3"), Err(MoneyError::NotANumber));
        assert_eq!(c.parse("12,34"), Err(MoneyError::NotANumber));
        assert_eq!(c.parse("+5"), Err(MoneyError::NotANumber));
        assert!(matches!(
            c.parse("99999999999999999999"),
            Err(MoneyError::TooLarge(_))
        ));
        assert_eq!(c.parse("1,000,000,000.00"), Ok(Money(MAX_AMOUNT)));
        assert_eq!(
            c.parse("1000000000.01"),
            Err(MoneyError::TooLarge("$1,000,000,000.00".into()))
        );
    }

    #[test]
    fn files_with_a_decimal_comma_and_symbols_before_or_after() {
        let c = usd();
        let semi = |t: &str| c.parse_in_file(t, ',');
        let comma = |t: &str| c.parse_in_file(t, '.');
        assert_eq!(semi("12,50"), Ok(Money(1250)));
        assert_eq!(semi("1.234,50"), Ok(Money(123450)));
        assert_eq!(semi("1,5"), Ok(Money(150)));
        assert_eq!(semi("1.234.567"), Ok(Money(123456700)));
        assert_eq!(semi("12.50"), Ok(Money(1250)));
        assert!(matches!(semi("12.345"), Err(MoneyError::Ambiguous { .. })));
        assert_eq!(semi("12,345"), Err(MoneyError::TooManyDecimals(2)));
        assert!(matches!(comma("12,345"), Err(MoneyError::Ambiguous { .. })));
        let e = comma("12,345").unwrap_err().to_string();
        assert!(e.contains("12,345") && e.contains("\".\""), "{e}");
        assert_eq!(comma("1,234.50"), Ok(Money(123450)));
        assert_eq!(comma("12,50"), Ok(Money(1250)));
        assert_eq!(comma("1,234,567"), Ok(Money(123456700)));
        for t in ["$9.99", "$ 9.99", "9.99$", "9.99 $", "\u{a0}$\u{a0}9.99"] {
            assert_eq!(comma(t), Ok(Money(999)), "{t}");
            assert_eq!(c.parse(t), Ok(Money(999)), "{t}");
        }
        for t in ["€ 9.99", "€9.99", "9.99€", "9.99 €", "£1", "$€1"] {
            assert!(
                matches!(comma(t), Err(MoneyError::OtherCurrency { .. })),
                "{t}"
            );
            assert!(
                matches!(c.parse(t), Err(MoneyError::OtherCurrency { .. })),
                "{t}"
            );
        }
        let euro = Currency {
            symbol: "€".into(),
            decimals: 2,
            ..Currency::default()
        };
        assert_eq!(euro.parse_in_file("€ 9,99", ','), Ok(Money(999)));
        assert_eq!(euro.parse_in_file("9,99 €", ','), Ok(Money(999)));
        assert!(matches!(
            euro.parse_in_file("$1,234.50", '.'),
            Err(MoneyError::OtherCurrency { .. })
        ));
        // A yen shop has no cents: "1,234" is a thousand and more.
        let yen = Currency {
            symbol: "¥".into(),
            decimals: 0,
            ..Currency::default()
        };
        assert_eq!(yen.parse_in_file("¥1,234", '.'), Ok(Money(1234)));
    }

    #[test]
    fn the_quick_way_reads_what_the_long_way_would() {
        let c = usd();
        assert_eq!(c.parse_plain(b"0.5", '.'), Some(Money(50)));
        assert_eq!(c.parse_plain(b"12.5", '.'), Some(Money(1250)));
        assert_eq!(c.parse_plain(b"12,05", ','), Some(Money(1205)));
        assert_eq!(c.parse_plain(b"7", '.'), Some(Money(700)));
        assert_eq!(
            c.parse_plain(b"1000000000.00", '.'),
            Some(Money(MAX_AMOUNT))
        );
        for other in [
            "1000000000.01",
            "12.",
            ".5",
            "1.234",
            "1,5",
            " 1",
            "1e3",
            "",
        ] {
            assert_eq!(c.parse_plain(other.as_bytes(), '.'), None, "{other}");
        }
        let kd = Currency {
            symbol: "KD ".into(),
            decimals: 3,
            ..Currency::default()
        };
        assert_eq!(kd.parse_plain(b"1.5", '.'), Some(Money(1500)));
    }

    #[test]
    fn every_message_says_why() {
        for bad in ["12.555", "-1", "abc", "1e3", ""] {
            let err = usd().parse(bad).unwrap_err();
            assert!(err.to_string().len() > 10, "{bad}: {err}");
        }
    }

    #[test]
    fn formats_with_the_shop_currency() {
        let c = usd();
        assert_eq!(c.format(Money(123450)), "$1,234.50");
        assert_eq!(c.format(Money(5)), "$0.05");
        assert_eq!(c.format(Money(-5)), "-$0.05");
        assert_eq!(c.format_plain(Money(123450)), "1234.50");
        let yen = Currency {
            symbol: "¥".into(),
            decimals: 0,
            ..Currency::default()
        };
        assert_eq!(yen.format(Money(1234567)), "¥1,234,567");
        assert_eq!(yen.parse("1500"), Ok(Money(1500)));
        assert_eq!(yen.parse("1500.5"), Err(MoneyError::TooManyDecimals(0)));
        let dinar = Currency {
            symbol: "KD ".into(),
            decimals: 3,
            ..Currency::default()
        };
        assert_eq!(dinar.parse("1.5"), Ok(Money(1500)));
        assert_eq!(dinar.format(Money(1500)), "KD 1.500");
    }

    #[test]
    fn parse_and_format_round_trip() {
        let c = usd();
        for cents in [0, 1, 10, 99, 100, 12345, 987654321] {
            assert_eq!(c.parse(&c.format_plain(Money(cents))), Ok(Money(cents)));
            assert_eq!(c.parse(&c.format(Money(cents))), Ok(Money(cents)));
        }
    }

    #[test]
    fn formats_and_reads_the_shops_local_way() {
        let euro = Currency {
            symbol: "€".into(),
            decimals: 2,
            style: NumberStyle {
                decimal: DecimalMark::Comma,
                grouping: crate::domain::format::Grouping::Point,
                symbol: SymbolPlace::AfterSpace,
            },
        };
        assert_eq!(euro.format(Money(123450)), "1.234,50\u{a0}€");
        assert_eq!(euro.format(Money(-5)), "-0,05\u{a0}€");
        assert_eq!(euro.format_input(Money(123450)), "1234,50");
        assert_eq!(euro.format_plain(Money(123450)), "1234.50");
        assert_eq!(euro.plain_style().format(Money(123450)), "€1,234.50");
        for typed in ["12,50", "12,5", "12.50", "12,50 €", "€ 12,50"] {
            assert_eq!(euro.parse(typed), Ok(Money(1250)), "{typed}");
        }
        assert_eq!(euro.parse("1.234,50"), Ok(Money(123450)));
        assert_eq!(euro.parse("12,555"), Err(MoneyError::TooManyDecimals(2)));
        assert!(matches!(
            euro.parse("1.234"),
            Err(MoneyError::Ambiguous { .. })
        ));
        // Swiss: apostrophes group, the point is decimal, the symbol before with a space.
        let chf = Currency {
            symbol: "CHF".into(),
            decimals: 2,
            style: NumberStyle {
                decimal: DecimalMark::Point,
                grouping: crate::domain::format::Grouping::Apostrophe,
                symbol: SymbolPlace::BeforeSpace,
            },
        };
        assert_eq!(chf.format(Money(123456789)), "CHF\u{a0}1'234'567.89");
        assert_eq!(chf.parse("1'234.50"), Ok(Money(123450)));
        // French: spaces group, a comma is decimal.
        let fr = Currency {
            symbol: "€".into(),
            decimals: 2,
            style: NumberStyle {
                decimal: DecimalMark::Comma,
                grouping: crate::domain::format::Grouping::Space,
                symbol: SymbolPlace::After,
            },
        };
        assert_eq!(fr.format(Money(123450)), "1\u{a0}234,50€");
        for typed in [
            "1 234,50",
            "1\u{a0}234,50",
            "1234,50€",
            fr.format(Money(123450)).as_str(),
        ] {
            assert_eq!(fr.parse(typed), Ok(Money(123450)), "{typed}");
        }
        // Every amount reads back from what the screen and the form show.
        for c in [&euro, &chf, &fr] {
            for cents in [0, 5, 99, 123456, 987654321] {
                assert_eq!(c.parse(&c.format(Money(cents))), Ok(Money(cents)));
                assert_eq!(c.parse(&c.format_input(Money(cents))), Ok(Money(cents)));
            }
        }
    }
}
