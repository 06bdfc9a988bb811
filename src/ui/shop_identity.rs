//! The Settings dialog's "Shop identity" section: what invoices, packing
//! slips and credit notes print (legal name, address, contact, tax number,
//! payment terms, footer), the paper, the invoice number's prefix,
//! digits and next number, whether an order gets its number when it is
//! paid, and the logo (a PNG or JPEG of at most 4 MB,
//! chosen with the open dialog: the app asks when `wants_logo` is set).
//! Saved with the rest of the settings, in the same transaction
//! (`store::invoices::save_identity`, `set_logo`).

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
    /// Whether the shop has a logo now (before this dialog's change).
    has_logo: bool,
    /// None: unchanged; Some(None): remove it; Some(Some(bytes)): the new one.
    logo: Option<Option<Vec<u8>>>,
    logo_error: Option<String>,
    /// "Choose logo…" was pressed: the app shows the open dialog and hands
    /// the file to `take_logo_file`.
    pub wants_logo: bool,
}

/// What the section holds as typed, to tell whether it was changed (a new
/// logo counts as a change).
#[derive(PartialEq)]
pub struct IdentityState(ShopIdentity, String, String, bool);

/// What the section saves: the identity, and the next invoice number when it was changed.
pub struct IdentityChange {
    pub identity: ShopIdentity,
    pub next: Option<i64>,
    pub logo: Option<Option<Vec<u8>>>,
}

impl IdentityForm {
    pub fn new(identity: ShopIdentity, next: i64, has_logo: bool) -> Self {
        IdentityForm {
            digits: identity.invoice_format.digits.to_string(),
            draft: identity,
            next: next.to_string(),
            next_was: next,
            touched: Vec::new(),
            has_logo,
            logo: None,
            logo_error: None,
            wants_logo: false,
        }
    }

    pub fn state(&self) -> IdentityState {
        IdentityState(
            self.draft.clone(),
            self.digits.clone(),
            self.next.clone(),
            self.logo.is_some(),
        )
    }

    /// The file chosen as the logo: kept if it is a PNG or JPEG of at most
    /// 4 MB, else the reason is shown and the logo stays as it was.
    pub fn take_logo_file(&mut self, bytes: Result<Vec<u8>, String>) {
        match bytes.and_then(|b| crate::domain::invoice::check_logo(&b).map(|_| b)) {
            Ok(b) => {
                self.logo = Some(Some(b));
                self.logo_error = None;
            }
            Err(e) => self.logo_error = Some(e),
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
                logo_ui(
                    ui,
                    &mut self.logo,
                    self.has_logo,
                    &self.logo_error,
                    &mut self.wants_logo,
                );
                text_row(
                    ui,
                    "Legal name",
                    "legal_name",
                    &mut d.legal_name,
                    &errors,
                    t,
                    "Your business's registered name",
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
                    "VAT, GST or sales tax number",
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
        // Below the grid, the whole width its own: in the grid's second
        // column it was cut to "…when it is paic".
        ui.checkbox(
            &mut self.draft.invoice_when_paid,
            "Give an order its invoice number when it is paid",
        )
        .on_hover_text("Otherwise an order gets its number the first time its invoice is printed");
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
            Ok(IdentityChange {
                identity,
                next,
                logo: self.logo.clone(),
            })
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
    if let Some(logo) = &c.logo {
        invoices::set_logo(conn, logo.as_deref())?;
    }
    Ok(())
}

fn logo_ui(
    ui: &mut egui::Ui,
    logo: &mut Option<Option<Vec<u8>>>,
    has_logo: bool,
    error: &Option<String>,
    wants: &mut bool,
) {
    ui.label("Logo");
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            let now = match &*logo {
                Some(Some(b)) => format!("new picture, {} KB", b.len().div_ceil(1024)),
                Some(None) => "none".to_owned(),
                None if has_logo => "kept".to_owned(),
                None => "none".to_owned(),
            };
            ui.weak(now);
            if ui.button("Choose logo…").clicked() {
                *wants = true;
            }
            let has = matches!(*logo, Some(Some(_))) || (has_logo && logo.is_none());
            if has && ui.button("Remove logo").clicked() {
                *logo = Some(None);
            }
        });
        if let Some(e) = &*error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    });
    ui.end_row();
}
