//! How a postal address is written on screen and on documents: the street
//! lines, then the town with its postal code in the order the country's post
//! expects ("75001 Paris", but "Leeds LS1 4AB" and "Columbus 43215"), then the
//! country by its name ("FR", as platforms export it, reads "France").

/// Countries whose post writes the postal code after the town. Their
/// two-letter codes (ISO 3166) and the names a shop types for them.
const CODE_AFTER_TOWN: [&str; 24] = [
    "US",
    "USA",
    "United States",
    "United States of America",
    "CA",
    "Canada",
    "GB",
    "UK",
    "United Kingdom",
    "Great Britain",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "IE",
    "Ireland",
    "AU",
    "Australia",
    "NZ",
    "New Zealand",
    "IN",
    "India",
    "SG",
    "Singapore",
];

/// The English names of the countries a small shop most often ships to, by
/// their two-letter code (ISO 3166-1), as Shopify and WooCommerce export them.
const NAMES: [(&str, &str); 64] = [
    ("AE", "United Arab Emirates"),
    ("AR", "Argentina"),
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CL", "Chile"),
    ("CN", "China"),
    ("CO", "Colombia"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("GR", "Greece"),
    ("HK", "Hong Kong"),
    ("HR", "Croatia"),
    ("HU", "Hungary"),
    ("ID", "Indonesia"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IN", "India"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("JP", "Japan"),
    ("KR", "South Korea"),
    ("LI", "Liechtenstein"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("MA", "Morocco"),
    ("MC", "Monaco"),
    ("MT", "Malta"),
    ("MX", "Mexico"),
    ("MY", "Malaysia"),
    ("NG", "Nigeria"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("PE", "Peru"),
    ("PH", "Philippines"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("SA", "Saudi Arabia"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("SI", "Slovenia"),
    ("SK", "Slovakia"),
    ("TH", "Thailand"),
    ("TR", "Turkey"),
    ("TW", "Taiwan"),
    ("UA", "Ukraine"),
    ("US", "United States"),
    ("VN", "Vietnam"),
    ("ZA", "South Africa"),
];

/// The country as a person reads it: a known two-letter code by its name,
/// anything else as written.
pub fn country_name(country: &str) -> &str {
    let c = country.trim();
    if c.len() == 2 {
        let upper = c.to_ascii_uppercase();
        if let Ok(i) = NAMES.binary_search_by(|(code, _)| (*code).cmp(upper.as_str())) {
            return NAMES[i].1;
        }
    }
    c
}

/// The two-letter code of a country given by its code or its English name
/// ("FR", "France", "UK" and "United Kingdom" are "GB"); None when unknown.
pub fn country_code(country: &str) -> Option<&'static str> {
    let c = country.trim();
    match c.to_ascii_uppercase().as_str() {
        "UK" | "GREAT BRITAIN" | "ENGLAND" | "SCOTLAND" | "WALES" | "NORTHERN IRELAND" => {
            return Some("GB");
        }
        "USA" | "UNITED STATES OF AMERICA" => return Some("US"),
        _ => {}
    }
    NAMES
        .iter()
        .find(|(code, name)| code.eq_ignore_ascii_case(c) || name.eq_ignore_ascii_case(c))
        .map(|(code, _)| *code)
}

/// Whether the country's post writes the postal code after the town.
fn code_after_town(country: &str) -> bool {
    let c = country.trim();
    CODE_AFTER_TOWN.iter().any(|k| k.eq_ignore_ascii_case(c))
}

/// The town with its postal code, in the country's order ("75001 Paris",
/// "Leeds LS1 4AB"); either alone when the other is empty.
pub fn place(postal_code: &str, city: &str, country: &str) -> String {
    let (postal_code, city) = (postal_code.trim(), city.trim());
    let parts = if code_after_town(country) {
        [city, postal_code]
    } else {
        [postal_code, city]
    };
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines an address is written in: each non-empty line of `name` and
/// `street` (which may hold several), the town with its postal code, the
/// country by its name. An address without a country is written as the
/// shop's `home` country writes it (its country line stays unsaid).
pub fn lines(
    name: &str,
    street: &str,
    postal_code: &str,
    city: &str,
    country: &str,
    home: &str,
) -> Vec<String> {
    let way = if country.trim().is_empty() {
        home
    } else {
        country
    };
    let town = place(postal_code, city, way);
    name.lines()
        .chain(street.lines())
        .chain([town.as_str(), country_name(country)])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_postal_code_goes_where_the_country_writes_it() {
        assert_eq!(place("75001", "Paris", "France"), "75001 Paris");
        assert_eq!(place("75001", "Paris", "FR"), "75001 Paris");
        assert_eq!(place("LS1 4AB", "Leeds", "GB"), "Leeds LS1 4AB");
        assert_eq!(place("LS1 4AB", "Leeds", "United Kingdom"), "Leeds LS1 4AB");
        assert_eq!(place("43215", "Columbus, OH", "us"), "Columbus, OH 43215");
        assert_eq!(place("", "Leeds", "GB"), "Leeds");
        assert_eq!(place("10115", "", "DE"), "10115");
        // No country: the order most of the world writes.
        assert_eq!(place("10115", "Berlin", ""), "10115 Berlin");
    }

    #[test]
    fn a_country_code_reads_as_its_name() {
        assert_eq!(country_name("FR"), "France");
        assert_eq!(country_name(" gb "), "United Kingdom");
        assert_eq!(country_name("France"), "France");
        assert_eq!(country_name("XX"), "XX");
        assert_eq!(country_name(""), "");
        // The table is sorted, so every code is found.
        assert!(NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, name) in NAMES {
            assert_eq!(country_name(code), name);
        }
    }

    #[test]
    fn an_address_is_its_lines_without_empty_ones() {
        assert_eq!(
            lines(
                "Ann Lee",
                "1 High St\n\nFlat 2",
                "LS1 4AB",
                "Leeds",
                "GB",
                "FR"
            ),
            [
                "Ann Lee",
                "1 High St",
                "Flat 2",
                "Leeds LS1 4AB",
                "United Kingdom"
            ]
        );
        assert_eq!(lines("", "", "", "", "", ""), Vec::<String>::new());
        // No country: the shop's own way, and no country line.
        assert_eq!(
            lines("Mary", "45 Elm St", "45402", "Dayton, OH", "", "US"),
            ["Mary", "45 Elm St", "Dayton, OH 45402"]
        );
        assert_eq!(
            lines("Mary", "45 Elm St", "45402", "Dayton, OH", " ", ""),
            ["Mary", "45 Elm St", "45402 Dayton, OH"]
        );
        assert_eq!(
            lines("Zoé", "", "75001", "Paris", "France", "US"),
            ["Zoé", "75001 Paris", "France"]
        );
    }
}
