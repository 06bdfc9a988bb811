//! The shop as its invoices name it (legal name, address, tax number, terms,
//! footer, paper, logo) and how invoice and credit-note numbers are written:
//! a prefix and a zero-padded sequence (`INV-2026-00042`). Plain types and
//! their checks; the store keeps them, `documents` prints them.

use super::{FieldErrors, check_text};

/// What a shop in `country` (Settings > Shop) calls its invoice: a "TAX
/// INVOICE" in Australia and New Zealand, where GST law asks for those words
/// (an Australian tryout's read "INVOICE"), an "INVOICE" elsewhere.
pub fn invoice_title(country: &str) -> &'static str {
    match super::address::country_code(country) {
        Some("AU" | "NZ") => "TAX INVOICE",
        _ => "INVOICE",
    }
}

/// What the shop's tax number is called on its documents in `country`.
pub fn tax_number_label(country: &str) -> &'static str {
    const VAT: [&str; 30] = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB", "NO", "CH",
    ];
    match super::address::country_code(country) {
        Some("AU") => "ABN",
        Some("NZ") => "GST number",
        Some(c) if VAT.contains(&c) => "VAT number",
        _ => "Tax number",
    }
}

/// The paper the documents are laid out for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    pub const ALL: [Paper; 2] = [Paper::A4, Paper::Letter];

    pub fn code(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    pub fn from_code(code: &str) -> Paper {
        if code.eq_ignore_ascii_case("letter") {
            Paper::Letter
        } else {
            Paper::A4
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "Letter",
        }
    }

    /// Width and height in PDF points (1/72 inch).
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// How a sequence of numbers is written: `prefix` then the sequence padded
/// with zeros to `digits`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pub prefix: String,
    pub digits: u32,
}

/// The most digits a number is padded to.
pub const MAX_DIGITS: u32 = 12;

impl NumberFormat {
    pub fn invoice_default() -> Self {
        NumberFormat {
            prefix: "INV-".into(),
            digits: 5,
        }
    }

    pub fn credit_default() -> Self {
        NumberFormat {
            prefix: "CN-".into(),
            digits: 5,
        }
    }

    /// `INV-` and 42 -> `INV-00042`.
    pub fn number(&self, seq: i64) -> String {
        format!(
            "{}{seq:0width$}",
            self.prefix,
            width = self.digits.min(MAX_DIGITS) as usize
        )
    }
}

/// A logo kept in the database, as its file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    Png,
    Jpeg,
}

impl LogoKind {
    pub fn code(self) -> &'static str {
        match self {
            LogoKind::Png => "png",
            LogoKind::Jpeg => "jpeg",
        }
    }

    pub fn from_code(code: &str) -> Option<LogoKind> {
        match code {
            "png" => Some(LogoKind::Png),
            "jpeg" => Some(LogoKind::Jpeg),
            _ => None,
        }
    }

    /// What a file's first bytes say it is (PNG or JPEG), or None.
    pub fn sniff(bytes: &[u8]) -> Option<LogoKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(LogoKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(LogoKind::Jpeg)
        } else {
            None
        }
    }
}

/// The largest logo kept (the schema's CHECK says the same).
pub const MAX_LOGO_BYTES: usize = 4 * 1024 * 1024;

/// Checks a logo file's bytes: a PNG or JPEG of at most 4 MB.
pub fn check_logo(bytes: &[u8]) -> Result<LogoKind, String> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "the logo is {:.1} MB; at most 4 MB is kept. Choose a smaller picture (a logo of a few hundred pixels is plenty).",
            bytes.len() as f64 / (1024.0 * 1024.0)
        ));
    }
    LogoKind::sniff(bytes).ok_or_else(|| {
        "that file is not a PNG or JPEG picture; choose the logo as a .png or .jpg file".to_owned()
    })
}

/// The shop as its documents name it. Every text may be empty (not printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopIdentity {
    pub legal_name: String,
    /// Several lines.
    pub address: String,
    pub email: String,
    pub phone: String,
    pub tax_number: String,
    /// "Payable within 14 days", bank details… (several lines).
    pub payment_terms: String,
    /// Printed at the foot of every page (several lines).
    pub footer: String,
    pub paper: Paper,
    pub invoice_format: NumberFormat,
    pub credit_format: NumberFormat,
    /// Issue the invoice by itself when an order is paid (in the same
    /// transaction as the payment or the move to paid); otherwise an order
    /// is invoiced when its invoice is first printed.
    pub invoice_when_paid: bool,
}

impl Default for ShopIdentity {
    fn default() -> Self {
        ShopIdentity {
            legal_name: String::new(),
            address: String::new(),
            email: String::new(),
            phone: String::new(),
            tax_number: String::new(),
            payment_terms: String::new(),
            footer: String::new(),
            paper: Paper::A4,
            invoice_format: NumberFormat::invoice_default(),
            credit_format: NumberFormat::credit_default(),
            invoice_when_paid: false,
        }
    }
}

impl ShopIdentity {
    /// Checks every field: text without control characters (lines only
    /// where several are allowed), lengths bounded, prefixes on one line.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let fields: [(&'static str, &str, bool, usize); 9] = [
            ("legal_name", &self.legal_name, false, 200),
            ("address", &self.address, true, 1000),
            ("email", &self.email, false, 254),
            ("phone", &self.phone, false, 100),
            ("tax_number", &self.tax_number, false, 100),
            ("payment_terms", &self.payment_terms, true, 2000),
            ("footer", &self.footer, true, 2000),
            ("invoice_prefix", &self.invoice_format.prefix, false, 40),
            ("credit_prefix", &self.credit_format.prefix, false, 40),
        ];
        for (name, value, lines, max) in fields {
            if let Err(e) = check_text(value, lines) {
                errors.add(name, e);
            } else if value.chars().count() > max {
                errors.add(name, format!("at most {max} characters"));
            }
        }
        for (name, f) in [
            ("invoice_digits", &self.invoice_format),
            ("credit_digits", &self.credit_format),
        ] {
            if f.digits > MAX_DIGITS {
                errors.add(name, format!("at most {MAX_DIGITS} digits"));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shops_country_names_its_invoice_and_tax_number() {
        assert_eq!(invoice_title("AU"), "TAX INVOICE");
        assert_eq!(invoice_title("New Zealand"), "TAX INVOICE");
        assert_eq!(invoice_title("US"), "INVOICE");
        assert_eq!(invoice_title(""), "INVOICE");
        assert_eq!(tax_number_label("AU"), "ABN");
        assert_eq!(tax_number_label("nz"), "GST number");
        assert_eq!(tax_number_label("UK"), "VAT number");
        assert_eq!(tax_number_label("Germany"), "VAT number");
        assert_eq!(tax_number_label("US"), "Tax number");
        assert_eq!(tax_number_label("Atlantis"), "Tax number");
    }

    #[test]
    fn numbers_are_prefix_and_padded_sequence() {
        let f = NumberFormat {
            prefix: "INV-2026-".into(),
            digits: 5,
        };
        assert_eq!(f.number(42), "INV-2026-00042");
        assert_eq!(f.number(123_456), "INV-2026-123456");
        assert_eq!(NumberFormat::credit_default().number(1), "CN-00001");
    }

    #[test]
    fn logos_are_png_or_jpeg_of_at_most_4_mb() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\nrest"), Ok(LogoKind::Png));
        assert_eq!(check_logo(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok(LogoKind::Jpeg));
        assert!(check_logo(b"GIF89a").unwrap_err().contains("PNG or JPEG"));
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert!(check_logo(&big).unwrap_err().contains("at most 4 MB"));
    }
}
