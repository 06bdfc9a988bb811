//! The demo's customers and products: a believable person in one of the
//! countries (name, email, phone, address) and a product of a category
//! (name, price tag, cost, stock and reorder level), each drawn from the
//! demo's random numbers.

use super::Rng;
use super::words::{ADJECTIVES, CATEGORIES, COUNTRIES};
use crate::domain::{Money, NewCustomer, NewProduct};

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'à' | 'á' | 'â' | 'ä' => 'a',
                'è' | 'é' | 'ê' | 'ë' | 'É' => 'e',
                'ì' | 'í' | 'î' | 'ï' => 'i',
                'ò' | 'ó' | 'ô' | 'ö' => 'o',
                'ù' | 'ú' | 'û' | 'ü' => 'u',
                'ç' => 'c',
                'ñ' => 'n',
                'ß' => 's',
                c => c,
            };
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// The `i`-th demo customer (`i` makes the email unique).
pub fn customer(rng: &mut Rng, i: u64) -> NewCustomer {
    let country = rng.pick(COUNTRIES);
    let first = rng.pick(country.first);
    let last = rng.pick(country.last);
    let (city, postal) = rng.pick(country.cities);
    let domain = rng.pick(country.domains);
    let email = format!(
        "{}.{}{}@{}",
        ascii_slug(first),
        ascii_slug(last),
        i + 1,
        domain
    );
    let phone = format!(
        "{}{} {:03} {:04}",
        country.phone,
        rng.range(20, 989),
        rng.range(100, 999),
        rng.range(0, 9999)
    );
    let notes = match rng.below(20) {
        0 => Some("Prefers gift wrapping".to_owned()),
        1 => Some("Wholesale enquiries".to_owned()),
        2 => Some("Leave parcels with the neighbour".to_owned()),
        _ => None,
    };
    NewCustomer {
        name: format!("{first} {last}"),
        email: (rng.below(25) != 0).then_some(email),
        phone: (rng.below(5) != 0).then_some(phone),
        address: Some(format!(
            "{} {}",
            rng.range(1, 220),
            rng.pick(country.streets)
        )),
        city: Some((*city).to_owned()),
        postal_code: Some((*postal).to_owned()),
        country: Some(country.name.to_owned()),
        notes,
    }
}

/// The `i`-th demo product (`i` makes the SKU unique).
pub fn product(rng: &mut Rng, i: u64) -> NewProduct {
    let cat = rng.pick(CATEGORIES);
    let thing = rng.pick(cat.things);
    let adjective = rng.pick(ADJECTIVES);
    // Prices end in .00, .50, .95 or .99 like real price tags.
    let whole = rng.range(cat.price.0 / 100, cat.price.1 / 100);
    let cents = *rng.pick(&[0, 50, 95, 99]);
    let price = whole * 100 + cents;
    let cost = price * rng.range(35, 60) / 100;
    let reorder_level = *rng.pick(&[0, 3, 5, 5, 10, 10, 20]);
    let stock = match rng.below(10) {
        0 => rng.range(0, reorder_level),
        _ => rng.range(reorder_level + 1, reorder_level + 400),
    };
    NewProduct {
        sku: format!("{}-{:05}", cat.prefix, i + 1),
        name: format!("{adjective} {thing}"),
        category: Some(cat.name.to_owned()),
        description: None,
        price: Money(price),
        cost: Money(cost),
        stock,
        reorder_level,
    }
}
