//! How shops in a country write money and dates: what the welcome offers a
//! new shop, the one the computer's language and region suggest chosen
//! first (Settings > Shop and Formats change each part later).

use super::format::{DateStyle, DecimalMark, Grouping, NumberStyle, SymbolPlace, WeekStart};
use super::{Currency, ShopSettings};

/// One country's (or a few alike) way of writing money and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regional {
    pub name: &'static str,
    pub symbol: &'static str,
    pub decimals: u32,
    pub number: NumberStyle,
    pub date: DateStyle,
    pub week_start: WeekStart,
    /// The regions (ISO 3166 codes) that write this way.
    regions: &'static [&'static str],
}

const fn style(decimal: DecimalMark, grouping: Grouping, symbol: SymbolPlace) -> NumberStyle {
    NumberStyle {
        decimal,
        grouping,
        symbol,
    }
}

const POINT: NumberStyle = style(DecimalMark::Point, Grouping::Comma, SymbolPlace::Before);

/// The choices, "Other" (the plain defaults of a new shop) first.
pub const REGIONALS: [Regional; 18] = [
    Regional {
        name: "Other (set it in Settings later)",
        symbol: "$",
        decimals: 2,
        number: POINT,
        date: DateStyle::Iso,
        week_start: WeekStart::Monday,
        regions: &[],
    },
    Regional {
        name: "United States",
        symbol: "$",
        decimals: 2,
        number: POINT,
        date: DateStyle::MonthDayYear,
        week_start: WeekStart::Sunday,
        regions: &["US", "PR"],
    },
    Regional {
        name: "Canada",
        symbol: "$",
        decimals: 2,
        number: POINT,
        date: DateStyle::Iso,
        week_start: WeekStart::Sunday,
        regions: &["CA"],
    },
    Regional {
        name: "United Kingdom",
        symbol: "£",
        decimals: 2,
        number: POINT,
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Monday,
        regions: &["GB", "IM", "JE", "GG"],
    },
    Regional {
        name: "Ireland, Malta (euro)",
        symbol: "€",
        decimals: 2,
        number: POINT,
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Monday,
        regions: &["IE", "MT"],
    },
    Regional {
        name: "Germany, Austria, Luxembourg (euro)",
        symbol: "€",
        decimals: 2,
        number: style(DecimalMark::Comma, Grouping::Point, SymbolPlace::AfterSpace),
        date: DateStyle::DayMonthYearDots,
        week_start: WeekStart::Monday,
        regions: &["DE", "AT", "LU"],
    },
    Regional {
        name: "Italy, Spain, Netherlands, Greece… (euro)",
        symbol: "€",
        decimals: 2,
        number: style(DecimalMark::Comma, Grouping::Point, SymbolPlace::AfterSpace),
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Monday,
        regions: &[
            "IT", "ES", "NL", "GR", "SI", "HR", "CY", "LT", "SM", "VA", "AD", "MC", "ME", "XK",
        ],
    },
    Regional {
        name: "France, Belgium, Portugal, Finland… (euro)",
        symbol: "€",
        decimals: 2,
        number: style(DecimalMark::Comma, Grouping::Space, SymbolPlace::AfterSpace),
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Monday,
        regions: &["FR", "BE", "PT", "FI", "SK", "EE", "LV"],
    },
    Regional {
        name: "Switzerland",
        symbol: "CHF",
        decimals: 2,
        number: style(
            DecimalMark::Point,
            Grouping::Apostrophe,
            SymbolPlace::BeforeSpace,
        ),
        date: DateStyle::DayMonthYearDots,
        week_start: WeekStart::Monday,
        regions: &["CH", "LI"],
    },
    Regional {
        name: "Sweden",
        symbol: "kr",
        decimals: 2,
        number: style(DecimalMark::Comma, Grouping::Space, SymbolPlace::AfterSpace),
        date: DateStyle::Iso,
        week_start: WeekStart::Monday,
        regions: &["SE"],
    },
    Regional {
        name: "Norway",
        symbol: "kr",
        decimals: 2,
        number: style(DecimalMark::Comma, Grouping::Space, SymbolPlace::AfterSpace),
        date: DateStyle::DayMonthYearDots,
        week_start: WeekStart::Monday,
        regions: &["NO"],
    },
    Regional {
        name: "Denmark",
        symbol: "kr.",
        decimals: 2,
        number: style(DecimalMark::Comma, Grouping::Point, SymbolPlace::AfterSpace),
        date: DateStyle::DayMonthYearDots,
        week_start: WeekStart::Monday,
        regions: &["DK"],
    },
    Regional {
        name: "Poland",
        symbol: "zł",
        decimals: 2,
        number: style(DecimalMark::Comma, Grouping::Space, SymbolPlace::AfterSpace),
        date: DateStyle::DayMonthYearDots,
        week_start: WeekStart::Monday,
        regions: &["PL"],
    },
    Regional {
        name: "Australia, New Zealand",
        symbol: "$",
        decimals: 2,
        number: POINT,
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Monday,
        regions: &["AU", "NZ"],
    },
    Regional {
        name: "Japan",
        symbol: "¥",
        decimals: 0,
        number: POINT,
        date: DateStyle::Iso,
        week_start: WeekStart::Sunday,
        regions: &["JP"],
    },
    Regional {
        name: "India",
        symbol: "₹",
        decimals: 2,
        number: POINT,
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Sunday,
        regions: &["IN"],
    },
    Regional {
        name: "Brazil",
        symbol: "R$",
        decimals: 2,
        number: style(
            DecimalMark::Comma,
            Grouping::Point,
            SymbolPlace::BeforeSpace,
        ),
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Sunday,
        regions: &["BR"],
    },
    Regional {
        name: "Mexico",
        symbol: "$",
        decimals: 2,
        number: POINT,
        date: DateStyle::DayMonthYear,
        week_start: WeekStart::Sunday,
        regions: &["MX"],
    },
];

/// The region of a language tag ("de-DE", "fr_FR.UTF-8": "DE", "FR").
fn region_of(tag: &str) -> Option<String> {
    let tag = tag.split(['.', '@']).next().unwrap_or_default();
    tag.split(['-', '_'])
        .skip(1)
        .find(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase)
}

/// The month a country's financial year starts in, where it is not January:
/// July in Australia, April in New Zealand and India (their tax years, a
/// BAS's or GST return's year). None for a shop elsewhere or not said.
pub fn financial_year_start(country: &str) -> Option<u32> {
    match super::address::country_code(country) {
        Some("AU") => Some(7),
        Some("NZ" | "IN") => Some(4),
        _ => None,
    }
}

/// Whether the shops of a country print on US Letter paper rather than A4.
pub fn uses_letter(country: &str) -> bool {
    let c = country.trim();
    [
        "US", "PR", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "DO", "SV",
    ]
    .iter()
    .any(|l| l.eq_ignore_ascii_case(c))
        || ["United States", "USA", "Canada", "Mexico"]
            .iter()
            .any(|l| l.eq_ignore_ascii_case(c))
}

impl Regional {
    /// The choice a computer's language and region suggest: a tag such as
    /// "de-DE", "fr_FR.UTF-8", "en-GB" or "sv-SE"; "Other" (0) for one
    /// without a region we know ("C", "en").
    pub fn suggested(tag: &str) -> usize {
        region_of(tag)
            .and_then(|r| {
                REGIONALS
                    .iter()
                    .position(|g| g.regions.contains(&r.as_str()))
            })
            .unwrap_or(0)
    }

    /// The country (ISO 3166 code) a shop choosing this way is in: the
    /// computer's own region when it writes this way, else the way's first
    /// ("" for "Other").
    pub fn country(&self, tag: &str) -> &'static str {
        let own = region_of(tag);
        self.regions
            .iter()
            .find(|r| own.as_deref() == Some(**r))
            .or(self.regions.first())
            .copied()
            .unwrap_or_default()
    }

    /// The money as this way writes it.
    pub fn currency(&self, decimals: u32) -> Currency {
        Currency {
            symbol: self.symbol.to_owned(),
            decimals,
            style: self.number,
        }
    }

    /// Settings written this way: the symbol, marks, dates and first day of
    /// the week, and the decimals when `with_decimals` (a shop holding no
    /// prices yet).
    pub fn apply(&self, settings: &mut ShopSettings, with_decimals: bool) {
        let decimals = if with_decimals {
            self.decimals
        } else {
            settings.currency.decimals
        };
        settings.currency = self.currency(decimals);
        settings.date_style = self.date;
        settings.week_start = self.week_start;
    }

    /// An example: "1.234,56 € · 31/03/2026".
    pub fn example(&self) -> String {
        let m = super::Money(123_456 * 10i64.pow(self.decimals) / 100);
        format!(
            "{}  ·  {}",
            self.currency(self.decimals).format(m),
            self.date.show("2026-03-31")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_computers_region_suggests_its_way_of_writing() {
        let name = |tag: &str| REGIONALS[Regional::suggested(tag)].name;
        let germany = "Germany, Austria, Luxembourg (euro)";
        let france = "France, Belgium, Portugal, Finland… (euro)";
        assert_eq!(name("de-DE"), germany);
        assert_eq!(name("de_AT.UTF-8"), germany);
        assert_eq!(
            name("it_IT.UTF-8"),
            "Italy, Spain, Netherlands, Greece… (euro)"
        );
        assert_eq!(name("fr-FR"), france);
        assert_eq!(name("fr_BE@euro"), france);
        assert_eq!(name("en-GB"), "United Kingdom");
        assert_eq!(name("en_US.UTF-8"), "United States");
        assert_eq!(name("zh-Hans-CN"), REGIONALS[0].name);
        assert_eq!(
            name("sr-Latn-ME"),
            "Italy, Spain, Netherlands, Greece… (euro)"
        );
        for unknown in ["C", "POSIX", "en", "", "xx-YY"] {
            assert_eq!(Regional::suggested(unknown), 0, "{unknown}");
        }
    }

    #[test]
    fn a_way_names_the_shops_country_and_its_paper() {
        let way = |tag: &str| REGIONALS[Regional::suggested(tag)];
        assert_eq!(way("en_US.UTF-8").country("en_US.UTF-8"), "US");
        assert_eq!(way("de-AT").country("de-AT"), "AT");
        // Chosen by hand, not the computer's region: the way's first.
        assert_eq!(way("en_US").country("fr_FR"), "US");
        assert_eq!(REGIONALS[0].country("en_US"), "");
        assert!(uses_letter("US") && uses_letter("ca") && uses_letter("United States"));
        assert!(!uses_letter("GB") && !uses_letter("") && !uses_letter("France"));
        assert_eq!(financial_year_start("AU"), Some(7));
        assert_eq!(financial_year_start("New Zealand"), Some(4));
        assert_eq!(financial_year_start("US"), None);
        assert_eq!(financial_year_start(""), None);
    }

    #[test]
    fn each_way_writes_an_example_a_shopkeeper_there_knows() {
        let example = |name: &str| {
            REGIONALS
                .iter()
                .find(|g| g.name.starts_with(name))
                .map(Regional::example)
                .unwrap_or_default()
        };
        assert_eq!(example("United States"), "$1,234.56  ·  03/31/2026");
        assert_eq!(example("Germany"), "1.234,56\u{a0}€  ·  31.03.2026");
        assert_eq!(example("Italy"), "1.234,56\u{a0}€  ·  31/03/2026");
        assert_eq!(example("Japan"), "¥1,234  ·  2026-03-31");
        assert_eq!(example("Switzerland"), "CHF\u{a0}1'234.56  ·  31.03.2026");
        // "Other" is a new shop's plain defaults.
        let mut s = ShopSettings::default();
        REGIONALS[0].apply(&mut s, true);
        assert_eq!(s, ShopSettings::default());
        // A shop with prices keeps its decimals.
        let japan = REGIONALS.iter().find(|g| g.name == "Japan");
        japan.expect("Japan is offered").apply(&mut s, false);
        assert_eq!((s.currency.symbol.as_str(), s.currency.decimals), ("¥", 2));
        for g in REGIONALS {
            assert!(g.number.is_clear(), "{}", g.name);
        }
    }
}
