//! The Customers panel's create/edit form: each field checked as typed
//! (the email's uniqueness against the shop), errors inline, and a guard
//! before discarding changes.

use crate::domain::{CustomerDraft, FieldErrors};
use crate::store::{StoreError, customers};
use crate::ui::app::commands::PanelCtx;
use crate::ui::widgets::form::{DiscardGuard, FormResult, UniqueCheck, enter_pressed, text_row};

/// The create/edit form with inline field errors.
pub(super) struct CustomerForm {
    id: Option<i64>,
    draft: CustomerDraft,
    touched: Vec<&'static str>,
    email_check: UniqueCheck,
    error: Option<String>,
    store_errors: FieldErrors,
    /// The first field takes the keyboard focus when the form opens.
    focus_pending: bool,
    /// The draft as the form opened (to know whether anything changed).
    original: CustomerDraft,
    discard: DiscardGuard,
}

impl CustomerForm {
    /// Whether anything was typed into the form since it opened.
    pub fn unsaved(&self) -> bool {
        self.draft != self.original
    }

    pub(super) fn new(id: Option<i64>, draft: CustomerDraft) -> Self {
        CustomerForm {
            id,
            original: draft.clone(),
            draft,
            touched: Vec::new(),
            email_check: UniqueCheck::default(),
            error: None,
            store_errors: FieldErrors::default(),
            focus_pending: true,
            discard: DiscardGuard::default(),
        }
    }

    fn errors(
        &mut self,
        ctx: &PanelCtx,
    ) -> (Result<crate::domain::NewCustomer, FieldErrors>, FieldErrors) {
        let validated = self.draft.validate();
        let mut errors = validated.clone().err().unwrap_or_default();
        self.email_check.check(
            &mut errors,
            "email",
            &self.draft.email,
            "another customer already has this email address",
            |email| customers::email_taken(ctx.store.conn(), email, self.id),
        );
        for (field, message) in &self.store_errors.0 {
            if errors.get(field).is_none() {
                errors.add(field, message.clone());
            }
        }
        (validated, errors)
    }

    pub(super) fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> FormResult {
        let mut result = FormResult::Open;
        let title = if self.id.is_some() {
            "Edit customer"
        } else {
            "New customer"
        };
        let modal = crate::ui::widgets::form::form_modal("customer_form").show(ectx, |ui| {
            ui.set_width(480.0);
            ui.heading(title);
            ui.add_space(8.0);
            let (validated, errors) = self.errors(ctx);
            let before = self.draft.clone();
            let mut notes_focused = false;
            egui::Grid::new("customer_form_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let t = &mut self.touched;
                    let d = &mut self.draft;
                    let name = text_row(ui, "Name", "name", &mut d.name, &errors, t, "Ana Lima");
                    if std::mem::take(&mut self.focus_pending) {
                        name.request_focus();
                    }
                    text_row(
                        ui,
                        "Email",
                        "email",
                        &mut d.email,
                        &errors,
                        t,
                        "ana@example.com",
                    );
                    text_row(ui, "Phone", "phone", &mut d.phone, &errors, t, "optional");
                    text_row(
                        ui,
                        "Address",
                        "address",
                        &mut d.address,
                        &errors,
                        t,
                        "12 Main Street",
                    );
                    text_row(ui, "City", "city", &mut d.city, &errors, t, "");
                    text_row(
                        ui,
                        "Postal code",
                        "postal_code",
                        &mut d.postal_code,
                        &errors,
                        t,
                        "",
                    );
                    text_row(ui, "Country", "country", &mut d.country, &errors, t, "");
                    let label_id = ui.label("Notes").id;
                    let notes = ui
                        .add(
                            egui::TextEdit::multiline(&mut d.notes)
                                .desired_rows(2)
                                .desired_width(280.0),
                        )
                        .labelled_by(label_id);
                    notes_focused = notes.has_focus();
                    ui.end_row();
                });
            if self.draft != before {
                self.store_errors = FieldErrors::default();
                self.error = None;
            }
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(8.0);
            let valid = validated.is_ok() && errors.is_empty();
            ui.horizontal(|ui| {
                let save = ui
                    .add_enabled(valid, egui::Button::new("Save"))
                    .on_disabled_hover_text("Fix the fields marked in red first.");
                let enter = enter_pressed(ui) && !notes_focused;
                if enter && !valid {
                    // Show every problem, including those of fields not typed in yet.
                    self.touched.extend(errors.0.iter().map(|(f, _)| *f));
                }
                if (save.clicked() || enter)
                    && valid
                    && let Ok(new) = &validated
                {
                    let id = self.id;
                    let saved = ctx.write_or_return(
                        |tx| match id {
                            Some(id) => customers::update(tx, id, new).map(|()| id),
                            None => customers::insert(tx, new),
                        },
                        |_| format!("Saved {}.", new.name),
                    );
                    match saved {
                        Ok(id) => result = FormResult::Saved(id),
                        Err(StoreError::Invalid(e)) => {
                            self.touched.extend(e.0.iter().map(|(f, _)| *f));
                            self.store_errors = e;
                        }
                        Err(e) => self.error = Some(e.to_string()),
                    }
                }
                if ui.button("Cancel").clicked() {
                    result = FormResult::Cancelled;
                }
            });
        });
        let changed = self.unsaved();
        if matches!(result, FormResult::Open)
            && self.discard.closes(ectx, modal.should_close(), changed)
        {
            result = FormResult::Cancelled;
        }
        result
    }
}
