//! Customers: the form as typed (`CustomerDraft`), the checked form
//! (`NewCustomer`) and the stored row (`Customer`).

use super::{FieldErrors, Money, check_text, optional};

/// What the user typed into the customer form, untrimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDraft {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub notes: String,
}

/// A customer that passed validation (uniqueness of the email is the store's check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub notes: Option<String>,
}

/// A stored customer with the figures kept beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub notes: Option<String>,
    pub archived: bool,
    pub created_at: String,
    /// Every order, whatever became of it (the orders list counts these).
    pub order_count: i64,
    /// Orders that count as sales: what "Orders" means for a customer.
    pub sale_count: i64,
    /// What the orders that count as sales came to.
    pub total_spent: Money,
    pub first_order_date: Option<String>,
    pub last_order_date: Option<String>,
    /// The dates of the first and last orders that count as sales.
    pub first_sale_date: Option<String>,
    pub last_sale_date: Option<String>,
}

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 2000;

impl CustomerDraft {
    pub fn validate(&self) -> Result<NewCustomer, FieldErrors> {
        let mut errors = FieldErrors::default();
        // Control characters first: a field that holds one gets only that message.
        for (field, value, multi_line) in [
            ("name", &self.name, false),
            ("email", &self.email, false),
            ("phone", &self.phone, false),
            ("address", &self.address, true),
            ("city", &self.city, false),
            ("postal_code", &self.postal_code, false),
            ("country", &self.country, false),
            ("notes", &self.notes, true),
        ] {
            if let Err(why) = check_text(value.trim(), multi_line) {
                errors.add(field, why);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "a name is required");
        } else if name.chars().count() > MAX_NAME {
            errors.add("name", format!("keep the name under {MAX_NAME} characters"));
        }
        let email = optional(&self.email);
        if let Some(e) = &email
            && let Err(why) = check_email(e)
        {
            errors.add("email", why);
        }
        let phone = optional(&self.phone);
        if let Some(p) = &phone
            && !p
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().#/x".contains(c))
        {
            errors.add(
                "phone",
                "use digits, spaces and + - ( ) only, for example +1 555-0100",
            );
        }
        for (field, value) in [
            ("address", &self.address),
            ("city", &self.city),
            ("postal_code", &self.postal_code),
            ("country", &self.country),
            ("notes", &self.notes),
        ] {
            if value.chars().count() > MAX_TEXT {
                errors.add(field, format!("keep this under {MAX_TEXT} characters"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewCustomer {
            name: name.to_owned(),
            email,
            phone,
            address: optional(&self.address),
            city: optional(&self.city),
            postal_code: optional(&self.postal_code),
            country: optional(&self.country),
            notes: optional(&self.notes),
        })
    }
}

impl From<&Customer> for CustomerDraft {
    fn from(c: &Customer) -> Self {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        CustomerDraft {
            name: c.name.clone(),
            email: s(&c.email),
            phone: s(&c.phone),
            address: s(&c.address),
            city: s(&c.city),
            postal_code: s(&c.postal_code),
            country: s(&c.country),
            notes: s(&c.notes),
        }
    }
}

/// A practical check of an email address: one "@", something before it, and a
/// domain with a dot, no spaces. (Full RFC 5322 would accept addresses no shop wants.)
pub fn check_email(email: &str) -> Result<(), String> {
    const HINT: &str = "that is not a valid email address, for example ana@example.com";
    if email.len() > 254 {
        return Err("an email address has at most 254 characters".into());
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("an email address cannot contain spaces".into());
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(HINT.into());
    };
    if local.is_empty() || domain.contains('@') || local.len() > 64 {
        return Err(HINT.into());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || !domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return Err(HINT.into());
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(HINT.into());
    }
    Ok(())
}

/// Whether every word of `search` is a whole word of `fields` (a name, an
/// email, a phone), not just the start of one: such a customer is the one
/// looked for before those a word merely starts with ("schulz835" is
/// lea.schulz835@..., before hannah.schulz83584@...). Case is ignored;
/// words are split at anything but letters and digits.
pub fn whole_words_match(search: &str, fields: &[&str]) -> bool {
    fn words(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
    }
    let have: Vec<String> = fields.iter().flat_map(|f| words(f)).collect();
    let mut wanted = words(search).peekable();
    wanted.peek().is_some() && wanted.all(|w| have.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, email: &str) -> CustomerDraft {
        CustomerDraft {
            name: name.into(),
            email: email.into(),
            ..Default::default()
        }
    }

    #[test]
    fn name_is_required_and_trimmed() {
        let c = draft("  Ana Lima ", "").validate().unwrap();
        assert_eq!(c.name, "Ana Lima");
        assert_eq!(c.email, None);
        let e = draft("   ", "").validate().unwrap_err();
        assert!(e.get("name").is_some());
    }

    #[test]
    fn email_must_be_well_formed() {
        for good in [
            "a@b.co",
            "ana.lima+shop@mail.example.com",
            "ÉLODIE@exemple.fr",
        ] {
            assert!(check_email(good).is_ok(), "{good}");
        }
        for bad in [
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana @example.com",
            "ana@@example.com",
            "ana@example..com",
            "ana@-example.com",
            ".ana@example.com",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        let e = draft("Ana", "not-an-email").validate().unwrap_err();
        assert!(e.get("email").unwrap().contains("valid email"));
    }

    #[test]
    fn phone_allows_usual_punctuation() {
        let mut d = draft("Ana", "");
        d.phone = "+1 (555) 010-0199".into();
        assert!(d.validate().is_ok());
        d.phone = "call me".into();
        assert!(d.validate().unwrap_err().get("phone").is_some());
    }

    #[test]
    fn whole_words_match_only_whole_words() {
        use super::whole_words_match as whole;
        assert!(whole("schulz835", &["Lea Schulz", "lea.schulz835@gmx.de"]));
        assert!(!whole(
            "schulz835",
            &["Hannah Schulz", "hannah.schulz83584@gmx.de"]
        ));
        assert!(whole("Lea SCHULZ", &["Lea Schulz", ""]));
        assert!(!whole("lea sch", &["Lea Schulz", ""]));
        assert!(whole("Zoë", &["Zoë Brun", ""]));
        assert!(!whole("", &["Lea Schulz"]));
    }
}
