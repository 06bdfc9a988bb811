//! The shop's settings as plain values, with their defaults.

use super::format::{DateStyle, LocalFormat, NumberStyle, WeekStart};
use super::{Currency, FieldErrors, check_text, parse_count};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemePreference {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemePreference {
    pub const ALL: [ThemePreference; 3] = [
        ThemePreference::System,
        ThemePreference::Light,
        ThemePreference::Dark,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ThemePreference::System => "system",
            ThemePreference::Light => "light",
            ThemePreference::Dark => "dark",
        }
    }

    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemePreference::System => "Follow the system",
            ThemePreference::Light => "Light",
            ThemePreference::Dark => "Dark",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopSettings {
    pub shop_name: String,
    /// The symbol, the decimals and (in `currency.style`) how numbers are
    /// written on screen.
    pub currency: Currency,
    pub default_reorder_level: i64,
    pub theme: ThemePreference,
    /// How dates are written on screen.
    pub date_style: DateStyle,
    pub week_start: WeekStart,
    /// Where the shop is ("US", "United Kingdom"; empty when not said): a new
    /// customer starts with it, an address without a country is written its
    /// way (`domain::address`), and the welcome chooses it from the
    /// computer's region.
    pub country: String,
}

impl ShopSettings {
    /// The shop's local formats (Settings > Formats) in one value.
    pub fn local_format(&self) -> LocalFormat {
        LocalFormat {
            number: self.currency.style,
            date: self.date_style,
            week_start: self.week_start,
        }
    }
}

impl Default for ShopSettings {
    fn default() -> Self {
        ShopSettings {
            shop_name: "My Shop".into(),
            currency: Currency::default(),
            default_reorder_level: 5,
            theme: ThemePreference::System,
            date_style: DateStyle::default(),
            week_start: WeekStart::default(),
            country: String::new(),
        }
    }
}

/// The settings form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsDraft {
    pub shop_name: String,
    pub currency_symbol: String,
    pub currency_decimals: u32,
    pub default_reorder_level: String,
    pub theme: ThemePreference,
    pub number_style: NumberStyle,
    pub date_style: DateStyle,
    pub week_start: WeekStart,
    pub country: String,
}

impl From<&ShopSettings> for SettingsDraft {
    fn from(s: &ShopSettings) -> Self {
        SettingsDraft {
            shop_name: s.shop_name.clone(),
            currency_symbol: s.currency.symbol.clone(),
            currency_decimals: s.currency.decimals,
            default_reorder_level: s.default_reorder_level.to_string(),
            theme: s.theme,
            number_style: s.currency.style,
            date_style: s.date_style,
            week_start: s.week_start,
            country: s.country.clone(),
        }
    }
}

impl SettingsDraft {
    pub fn validate(&self) -> Result<ShopSettings, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.shop_name.trim();
        if let Err(why) = check_text(name, false) {
            errors.add("shop_name", why);
        } else if name.is_empty() {
            errors.add("shop_name", "the shop needs a name");
        } else if name.chars().count() > 100 {
            errors.add("shop_name", "keep the name under 100 characters");
        }
        let symbol = self.currency_symbol.trim_end();
        if let Err(why) = check_text(symbol, false) {
            errors.add("currency_symbol", why);
        } else if symbol.chars().count() > 5 {
            errors.add(
                "currency_symbol",
                "use at most 5 characters, for example $ or EUR ",
            );
        } else if symbol
            .chars()
            .any(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            errors.add(
                "currency_symbol",
                "the symbol cannot contain digits, '.' or '-'",
            );
        }
        if !self.number_style.is_clear() {
            errors.add(
                "thousands_mark",
                "choose a thousands mark other than the decimal mark",
            );
        }
        if self.currency_decimals > 3 {
            errors.add("currency_decimals", "use 0 to 3 decimals");
        }
        let country = self.country.trim();
        if let Err(why) = check_text(country, false) {
            errors.add("country", why);
        } else if country.chars().count() > 60 {
            errors.add("country", "keep the country under 60 characters");
        }
        let level = parse_count(&self.default_reorder_level, false)
            .map_err(|e| errors.add("default_reorder_level", e))
            .ok();
        match level {
            Some(level) if errors.is_empty() => Ok(ShopSettings {
                shop_name: name.to_owned(),
                currency: Currency {
                    symbol: self.currency_symbol.trim_start().to_owned(),
                    decimals: self.currency_decimals,
                    style: self.number_style,
                },
                default_reorder_level: level,
                theme: self.theme,
                date_style: self.date_style,
                week_start: self.week_start,
                country: country.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_validate() {
        let mut d = SettingsDraft::from(&ShopSettings::default());
        assert_eq!(d.validate(), Ok(ShopSettings::default()));
        d.shop_name = " ".into();
        d.currency_symbol = "1$".into();
        d.default_reorder_level = "x".into();
        let e = d.validate().unwrap_err();
        assert!(e.get("shop_name").is_some());
        assert!(e.get("currency_symbol").is_some());
        assert!(e.get("default_reorder_level").is_some());
        let mut d = SettingsDraft::from(&ShopSettings::default());
        d.number_style.decimal = crate::domain::format::DecimalMark::Comma;
        assert!(d.validate().unwrap_err().get("thousands_mark").is_some());
        d.number_style.grouping = crate::domain::format::Grouping::Point;
        assert_eq!(d.validate().map(|s| s.currency.style), Ok(d.number_style));
    }
}
