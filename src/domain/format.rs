//! How numbers and dates are written for people: the shop's local formats
//! (decimal and thousands marks, where the currency symbol goes, the order of
//! day, month and year, the first day of the week), and counts of nouns ("1
//! customer", "3 customers"). Files never use these: they keep ISO dates and
//! plain decimals.

/// The noun that goes with `n`: `one` for exactly one, `many` otherwise
/// (English: "0 customers", "1 customer", "2 customers").
pub fn noun<'a>(n: i64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// "1 customer", "12,345 customers": a count with its noun, the one way
/// messages count things (the window groups digits the shop's way, see
/// `ui::widgets::count`).
pub fn count(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", group(n, ','), noun(n, one, many))
}

/// "1,234,567" with `separator` between groups of three digits.
pub fn group(n: i64, separator: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// The mark between whole units and cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalMark {
    #[default]
    Point,
    Comma,
}

impl DecimalMark {
    pub const ALL: [DecimalMark; 2] = [DecimalMark::Point, DecimalMark::Comma];

    pub fn char(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DecimalMark::Point => "Point (12.50)",
            DecimalMark::Comma => "Comma (12,50)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DecimalMark::Point => ".",
            DecimalMark::Comma => ",",
        }
    }
}

/// The mark between groups of three digits, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    #[default]
    Comma,
    Point,
    /// A space that never breaks a line (U+00A0).
    Space,
    Apostrophe,
    None,
}

impl Grouping {
    pub const ALL: [Grouping; 5] = [
        Grouping::Comma,
        Grouping::Point,
        Grouping::Space,
        Grouping::Apostrophe,
        Grouping::None,
    ];

    pub fn char(self) -> Option<char> {
        match self {
            Grouping::Comma => Some(','),
            Grouping::Point => Some('.'),
            Grouping::Space => Some('\u{a0}'),
            Grouping::Apostrophe => Some('\''),
            Grouping::None => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Grouping::Comma => "Comma (1,234)",
            Grouping::Point => "Point (1.234)",
            Grouping::Space => "Space (1 234)",
            Grouping::Apostrophe => "Apostrophe (1'234)",
            Grouping::None => "None (1234)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Grouping::Comma => ",",
            Grouping::Point => ".",
            Grouping::Space => "space",
            Grouping::Apostrophe => "'",
            Grouping::None => "none",
        }
    }
}

/// Where the currency symbol goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SymbolPlace {
    /// "$12.50" (a symbol that ends with a space, such as "KD ", keeps it).
    #[default]
    Before,
    /// "$ 12.50"
    BeforeSpace,
    /// "12.50$"
    After,
    /// "12.50 $"
    AfterSpace,
}

impl SymbolPlace {
    pub const ALL: [SymbolPlace; 4] = [
        SymbolPlace::Before,
        SymbolPlace::BeforeSpace,
        SymbolPlace::After,
        SymbolPlace::AfterSpace,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SymbolPlace::Before => "Before ($12)",
            SymbolPlace::BeforeSpace => "Before, with a space ($ 12)",
            SymbolPlace::After => "After (12$)",
            SymbolPlace::AfterSpace => "After, with a space (12 $)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            SymbolPlace::Before => "before",
            SymbolPlace::BeforeSpace => "before_space",
            SymbolPlace::After => "after",
            SymbolPlace::AfterSpace => "after_space",
        }
    }
}

/// The order of year, month and day on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// 2026-03-31
    #[default]
    Iso,
    /// 31/03/2026
    DayMonthYear,
    /// 03/31/2026
    MonthDayYear,
    /// 31.03.2026 (German, Swiss, Austrian, Nordic, Polish… shops)
    DayMonthYearDots,
}

impl DateStyle {
    pub const ALL: [DateStyle; 4] = [
        DateStyle::Iso,
        DateStyle::DayMonthYear,
        DateStyle::DayMonthYearDots,
        DateStyle::MonthDayYear,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DateStyle::Iso => "2026-03-31 (ISO)",
            DateStyle::DayMonthYear => "31/03/2026 (DD/MM/YYYY)",
            DateStyle::MonthDayYear => "03/31/2026 (MM/DD/YYYY)",
            DateStyle::DayMonthYearDots => "31.03.2026 (DD.MM.YYYY)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DateStyle::Iso => "iso",
            DateStyle::DayMonthYear => "dmy",
            DateStyle::MonthDayYear => "mdy",
            DateStyle::DayMonthYearDots => "dmy-dots",
        }
    }

    /// The same pattern for `strftime` (the date pickers).
    pub fn pattern(self) -> &'static str {
        match self {
            DateStyle::Iso => "%Y-%m-%d",
            DateStyle::DayMonthYear => "%d/%m/%Y",
            DateStyle::MonthDayYear => "%m/%d/%Y",
            DateStyle::DayMonthYearDots => "%d.%m.%Y",
        }
    }

    /// A stored day or moment ("2026-03-31", "2026-03-31 14:05") as the
    /// shop writes dates; the time after the day is kept as it is. Text that
    /// does not start with a day comes back unchanged.
    pub fn show(self, stored: &str) -> String {
        let b = stored.as_bytes();
        let is_day = b.len() >= 10
            && b[4] == b'-'
            && b[7] == b'-'
            && [0, 1, 2, 3, 5, 6, 8, 9]
                .iter()
                .all(|&i| b[i].is_ascii_digit())
            && (b.len() == 10 || b[10] == b' ' || b[10] == b'T');
        if !is_day || self == DateStyle::Iso {
            return stored.to_owned();
        }
        // Only ASCII before index 10, so these slices are on char boundaries.
        let (y, m, d, rest) = (&stored[..4], &stored[5..7], &stored[8..10], &stored[10..]);
        match self {
            DateStyle::Iso => stored.to_owned(),
            DateStyle::DayMonthYear => format!("{d}/{m}/{y}{rest}"),
            DateStyle::MonthDayYear => format!("{m}/{d}/{y}{rest}"),
            DateStyle::DayMonthYearDots => format!("{d}.{m}.{y}{rest}"),
        }
    }
}

/// The day a week starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
    Saturday,
}

impl WeekStart {
    pub const ALL: [WeekStart; 3] = [WeekStart::Monday, WeekStart::Sunday, WeekStart::Saturday];

    pub fn label(self) -> &'static str {
        match self {
            WeekStart::Monday => "Monday",
            WeekStart::Sunday => "Sunday",
            WeekStart::Saturday => "Saturday",
        }
    }

    /// The weekday as SQLite and `strftime('%w')` count them: 0 is Sunday.
    pub fn weekday_number(self) -> u8 {
        match self {
            WeekStart::Monday => 1,
            WeekStart::Sunday => 0,
            WeekStart::Saturday => 6,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            WeekStart::Monday => "monday",
            WeekStart::Sunday => "sunday",
            WeekStart::Saturday => "saturday",
        }
    }
}

/// How numbers are written on screen: the marks and where the symbol goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberStyle {
    pub decimal: DecimalMark,
    pub grouping: Grouping,
    pub symbol: SymbolPlace,
}

impl NumberStyle {
    /// A decimal written with a point ("5.5", "48.5%") with the shop's
    /// decimal mark instead ("5,5", "48,5%"): percents on screen and on
    /// documents, as amounts are written.
    pub fn decimal_text(self, text: &str) -> String {
        text.replace('.', &self.decimal.char().to_string())
    }

    /// "1,234,567" (or "1.234.567", "1 234 567" ...): a count on screen.
    pub fn count(self, n: i64) -> String {
        match self.grouping.char() {
            Some(mark) => group(n, mark),
            None => n.to_string(),
        }
    }

    /// Whether the two marks can be told apart.
    pub fn is_clear(self) -> bool {
        self.grouping.char() != Some(self.decimal.char())
    }
}

/// The shop's local formats, as chosen in Settings > Formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LocalFormat {
    pub number: NumberStyle,
    pub date: DateStyle,
    pub week_start: WeekStart,
}

impl LocalFormat {
    /// The plain way: "1,234.50", "2026-03-31", weeks from Monday.
    pub const DEFAULT: LocalFormat = LocalFormat {
        number: NumberStyle {
            decimal: DecimalMark::Point,
            grouping: Grouping::Comma,
            symbol: SymbolPlace::Before,
        },
        date: DateStyle::Iso,
        week_start: WeekStart::Monday,
    };
}

/// Reads a setting's code back; None for a code this version does not know.
pub fn from_code<T: Copy>(all: &[T], code: &str, code_of: impl Fn(T) -> &'static str) -> Option<T> {
    all.iter().copied().find(|t| code_of(*t) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percent_takes_the_shops_decimal_mark() {
        let comma = NumberStyle {
            decimal: DecimalMark::Comma,
            ..NumberStyle::default()
        };
        assert_eq!(comma.decimal_text("5.5%"), "5,5%");
        assert_eq!(comma.decimal_text(" (48.5%)"), " (48,5%)");
        assert_eq!(NumberStyle::default().decimal_text("5.5"), "5.5");
    }

    #[test]
    fn counts_of_nouns() {
        assert_eq!(count(0, "customer", "customers"), "0 customers");
        assert_eq!(count(1, "customer", "customers"), "1 customer");
        assert_eq!(count(2, "order line", "order lines"), "2 order lines");
        assert_eq!(count(12345, "row", "rows"), "12,345 rows");
        assert_eq!(group(-1000, '.'), "-1.000");
        assert_eq!(group(999, ','), "999");
    }

    #[test]
    fn dates_in_the_shops_order() {
        assert_eq!(DateStyle::Iso.show("2026-03-31"), "2026-03-31");
        assert_eq!(DateStyle::DayMonthYear.show("2026-03-31"), "31/03/2026");
        assert_eq!(
            DateStyle::DayMonthYearDots.show("2026-03-31 14:05"),
            "31.03.2026 14:05"
        );
        // Each style's code reads back as it.
        for style in DateStyle::ALL {
            assert_eq!(
                from_code(&DateStyle::ALL, style.code(), DateStyle::code),
                Some(style)
            );
        }
        assert_eq!(
            DateStyle::MonthDayYear.show("2026-03-31 14:05"),
            "03/31/2026 14:05"
        );
        // Not a day: as it was.
        for other in [
            "",
            "2026-03",
            "Week of 2026-03-02",
            "2026-3-31",
            "2026-03-31x",
            "é",
        ] {
            assert_eq!(DateStyle::DayMonthYear.show(other), other);
        }
    }

    #[test]
    fn counts_with_the_shops_grouping() {
        let style = |grouping| NumberStyle {
            grouping,
            ..NumberStyle::default()
        };
        assert_eq!(style(Grouping::Comma).count(1234567), "1,234,567");
        assert_eq!(style(Grouping::Point).count(-1234), "-1.234");
        assert_eq!(style(Grouping::Space).count(1234), "1\u{a0}234");
        assert_eq!(style(Grouping::Apostrophe).count(1234), "1'234");
        assert_eq!(style(Grouping::None).count(1234), "1234");
        assert!(
            !NumberStyle {
                decimal: DecimalMark::Point,
                grouping: Grouping::Point,
                ..NumberStyle::default()
            }
            .is_clear()
        );
        for g in Grouping::ALL {
            assert_eq!(from_code(&Grouping::ALL, g.code(), Grouping::code), Some(g));
        }
    }
}
