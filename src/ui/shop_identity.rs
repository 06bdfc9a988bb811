//! The Settings dialog's "Shop identity" section: what invoices, packing
//! slips and credit notes print (legal name, address, contact, tax number,
//! payment terms, footer), the paper, and the invoice number's prefix,
//! digits and next number. Saved with the rest of the settings, in the same
//! transaction (`store::invoices::save_identity`).

use crate::domain::FieldErrors;
use crate::domain::invoice::{Paper, ShopIdentity};

use super::widgets::form::text_row;

pub struct IdentityForm {
    draft: ShopIdentity,
    digits: String,
    next: String,
    /// The next number when the dialog opened (saved only if changed).
    next_was: i64,
    touched: Vec<&'static str>,
}

/// What the section saves: the identity, and the next invoice number when it was changed.
pub struct IdentityChange {
    pub identity: ShopIdentity,
    pub next: Option<i64>,
}

impl IdentityForm {
    pub fn new(identity: ShopIdentity, next: i64) -> Self {
        IdentityForm {
            digits: identity.invoice_format.digits.to_string(),
            draft: identity,
            next: next.to_string(),
            next_was: next,
            touched: Vec::new(),
        }
    }

    /// The section's fields, drawn inside the dialog.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let errors = self.change().err().unwrap_or_default();
        let d = &mut self.draft;
        let t = &mut self.touched;
        egui::Grid::new("shop_identity_grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                text_row(
                    ui,
                    "Legal name",
                    "legal_name",
                    &mut d.legal_name,
                    &errors,
                    t,
                    "Thomas & Daughters Ltd",
                );
                multi_row(ui, "Address", &mut d.address);
                text_row(
                    ui,
                    "Shop email",
                    "email",
                    &mut d.email,
                    &errors,
                    t,
                    "hello@example.com",
                );
                text_row(ui, "Shop phone", "phone", &mut d.phone, &errors, t, "");
                text_row(
                    ui,
                    "Tax number",
                    "tax_number",
                    &mut d.tax_number,
                    &errors,
                    t,
                    "GB123456789",
                );
                multi_row(ui, "Payment terms", &mut d.payment_terms);
                multi_row(ui, "Footer", &mut d.footer);
                ui.label("Paper");
                ui.horizontal(|ui| {
                    for p in Paper::ALL {
                        ui.radio_value(&mut d.paper, p, p.label());
                    }
                });
                ui.end_row();
                text_row(
                    ui,
                    "Invoice prefix",
                    "invoice_prefix",
                    &mut d.invoice_format.prefix,
                    &errors,
                    t,
                    "INV-2026-",
                );
                text_row(
                    ui,
                    "Invoice digits",
                    "invoice_digits",
                    &mut self.digits,
                    &errors,
                    t,
                    "5",
                );
                text_row(
                    ui,
                    "Next invoice number",
                    "next_number",
                    &mut self.next,
                    &errors,
                    t,
                    "1",
                );
            });
        if let Ok(c) = self.change() {
            let next = c.next.unwrap_or(self.next_was);
            ui.weak(format!(
                "The next invoice will be {}.",
                c.identity.invoice_format.number(next)
            ));
        }
    }

    /// What to save, or why it cannot be.
    pub fn change(&self) -> Result<IdentityChange, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut identity = self.draft.clone();
        match self.digits.trim().parse::<u32>() {
            Ok(n) if n <= crate::domain::invoice::MAX_DIGITS => identity.invoice_format.digits = n,
            _ => errors.add("invoice_digits", "a number of digits from 0 to 12"),
        }
        let next = match self.next.trim().parse::<i64>() {
            Ok(n) if n > 0 => (n != self.next_was).then_some(n),
            _ => {
                errors.add("next_number", "a whole number, 1 or more");
                None
            }
        };
        if let Err(e) = identity.validate() {
            errors.0.extend(e.0);
        }
        if errors.is_empty() {
            Ok(IdentityChange { identity, next })
        } else {
            Err(errors)
        }
    }
}

fn multi_row(ui: &mut egui::Ui, label: &str, value: &mut String) {
    let id = ui.label(label).id;
    ui.add(
        egui::TextEdit::multiline(value)
            .desired_rows(2)
            .desired_width(280.0),
    )
    .labelled_by(id);
    ui.end_row();
}

/// Saves the section's change inside the caller's transaction.
pub fn save(
    conn: &rusqlite::Connection,
    c: &IdentityChange,
) -> Result<(), crate::store::StoreError> {
    use crate::store::invoices;
    invoices::save_identity(conn, &c.identity)?;
    if let Some(n) = c.next {
        invoices::set_next_seq(conn, invoices::Kind::Invoice, n)?;
    }
    Ok(())
}
