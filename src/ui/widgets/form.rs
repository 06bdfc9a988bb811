//! Labelled form fields with their error shown inline beneath them.

use crate::domain::FieldErrors;

/// How far below the window's top edge a form's dialog sits.
const FORM_TOP: f32 = 16.0;

/// A form's dialog, held near the window's top rather than centred: a
/// centred dialog moves up each time a message, a row or a figure makes it
/// taller, so the field under the mouse moves away before the click. Its
/// content has the window's height less `FORM_TOP` (twice) to fill.
pub fn form_modal(name: &str) -> egui::Modal {
    let id = egui::Id::unique(name);
    let area = modal_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, FORM_TOP));
    egui::Modal::new(id).area(area)
}

/// A modal dialog (centred), as every dialog of the window is made.
pub fn modal(id: egui::Id) -> egui::Modal {
    egui::Modal::new(id).area(modal_area(id))
}

/// A modal dialog's area, in the middle order, below the lists its combo
/// boxes open (the foreground): in the foreground itself, a click that
/// opened a list and landed on the dialog in the same frame (a touchpad's
/// tap) raised the dialog over the list, which then opened behind its
/// backdrop, and a click on an item closed the dialog with what was typed.
fn modal_area(id: egui::Id) -> egui::Area {
    egui::Modal::default_area(id).order(egui::Order::Middle)
}

/// The room `form_modal` leaves below its top.
pub fn form_top() -> f32 {
    FORM_TOP
}

/// One labelled single-line text field in a two-column grid. The error for
/// `field` is shown under it once the user has typed in it (`touched`).
/// Returns the field's response.
pub fn text_row(
    ui: &mut egui::Ui,
    label: &str,
    field: &'static str,
    value: &mut String,
    errors: &FieldErrors,
    touched: &mut Vec<&'static str>,
    hint: &str,
) -> egui::Response {
    let label_id = ui.label(label).id;
    let response = ui
        .vertical(|ui| {
            let output = egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(280.0)
                .show(ui);
            let fresh = !touched.contains(&field);
            let r = select_number_on_focus(ui.ctx(), output, value, fresh).labelled_by(label_id);
            if r.changed() && !touched.contains(&field) {
                touched.push(field);
            }
            if touched.contains(&field)
                && let Some(message) = errors.get(field)
            {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            r
        })
        .inner;
    ui.end_row();
    response
}

/// When a field holding a number the user has not typed in this form yet
/// (`fresh`: an opening stock of 0, a reorder level, the price being edited)
/// gains the focus, its whole content is selected, so typing replaces it
/// ("10" into a field showing "0" gives 10, not 010); a number the user typed
/// is left as it is, to be corrected. Returns the field's response.
pub fn select_number_on_focus(
    ctx: &egui::Context,
    output: egui::text_edit::TextEditOutput,
    value: &str,
    fresh: bool,
) -> egui::Response {
    let looks_numeric = |v: &str| {
        let v = v.trim();
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | ' '))
    };
    select_all_on_focus(ctx, output, value, fresh && looks_numeric(value))
}

/// A text field holding what the form offered (not yet typed in, `fresh`)
/// selects it whole when it gets the keyboard or is clicked, so typing
/// replaces it instead of adding to it.
pub fn select_all_on_focus(
    ctx: &egui::Context,
    output: egui::text_edit::TextEditOutput,
    value: &str,
    fresh: bool,
) -> egui::Response {
    let mut state = output.state;
    // A click counts too: a dialog's first field has the keyboard already
    // as it opens, and a click there placed the cursor after the text.
    let reached = output.response.gained_focus() || output.response.clicked();
    if fresh && !value.is_empty() && reached {
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::select_all_str(value)));
        state.store(ctx, output.response.id);
    }
    output.response.response
}

/// Gives the keyboard to the field `r` (a dialog's first field as it
/// opens), its whole text chosen, so typing replaces it.
pub fn focus_all(ctx: &egui::Context, r: &egui::Response, value: &str) {
    let mut state = egui::text_edit::TextEditState::load(ctx, r.id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::select_all_str(value)));
    state.store(ctx, r.id);
    r.request_focus();
}

/// Whether Enter (without Ctrl or Cmd) was pressed this frame, to save a
/// form: after a field that Enter left (a single-line field gives up the
/// keyboard on Enter), or with nothing focused. Enter on a focused button
/// (Cancel), tick box or list is theirs, not the form's. The key press is
/// taken out of the input with the modifiers it came with, so a press and
/// release within one frame still counts.
pub fn enter_pressed(ui: &egui::Ui) -> bool {
    ui.memory(|m| m.focused().is_none())
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter))
}

/// Whether Enter was pressed in the single-line field `r` this frame (it
/// leaves the field): a dialog saves on it, as on its button. Unlike
/// `enter_pressed`, Enter on a focused button (Cancel, or the button that
/// opened the dialog this frame) or on a list is not taken for it.
pub fn entered_in(ui: &egui::Ui, r: &egui::Response) -> bool {
    r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

/// What a create/edit form answered this frame.
pub enum FormResult {
    Open,
    Cancelled,
    /// Saved the row with this id.
    Saved(i64),
}

/// Whether a value that must be unique (an email, a SKU) is taken by another
/// row, asked once per change of the text rather than per frame.
#[derive(Default)]
pub struct UniqueCheck {
    last: Option<(String, Result<bool, String>)>,
}

impl UniqueCheck {
    /// Adds `taken_message` to `field` when `is_taken(value)` says so; a check
    /// that could not be made is said there too (the form cannot be saved
    /// until it can be checked).
    pub fn check(
        &mut self,
        errors: &mut FieldErrors,
        field: &'static str,
        value: &str,
        taken_message: &str,
        is_taken: impl FnOnce(&str) -> Result<bool, crate::store::StoreError>,
    ) {
        let value = value.trim();
        if value.is_empty() || errors.get(field).is_some() {
            return;
        }
        if self.last.as_ref().is_none_or(|(v, _)| v != value) {
            let answer = is_taken(value).map_err(|e| e.to_string());
            self.last = Some((value.to_owned(), answer));
        }
        match self.last.as_ref().map(|(_, a)| a) {
            Some(Ok(true)) => errors.add(field, taken_message),
            Some(Err(e)) => {
                errors.add(field, format!("could not check it against the others: {e}"))
            }
            _ => {}
        }
    }
}

/// Escape (or a click beside the form) on a form whose content changed asks
/// before throwing it away; an unchanged form closes at once.
#[derive(Default)]
pub struct DiscardGuard {
    asking: bool,
}

impl DiscardGuard {
    /// Whether the form closes now: `wants_close` is the form's modal asking
    /// to close, `changed` whether anything was typed into it.
    pub fn closes(&mut self, ctx: &egui::Context, wants_close: bool, changed: bool) -> bool {
        if wants_close && !self.asking {
            if !changed {
                return true;
            }
            self.asking = true;
            // This Escape closed the form's question, not the next one.
            return false;
        }
        if self.asking {
            match confirm(
                ctx,
                "discard_changes",
                "Discard your changes?",
                "What you typed into this form will be lost.",
                "Discard",
                "Keep editing",
            ) {
                Some(true) => {
                    self.asking = false;
                    return true;
                }
                Some(false) => self.asking = false,
                None => {}
            }
        }
        false
    }
}

/// A yes/no question in a modal window. Returns Some(true) for `yes`,
/// Some(false) when the user said `no` or closed it, None while it is open.
pub fn confirm(
    ctx: &egui::Context,
    id: &'static str,
    title: &str,
    text: &str,
    yes: &str,
    no: &str,
) -> Option<bool> {
    let mut answer = None;
    let modal = modal(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(400.0);
        ui.heading(title);
        ui.label(text);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(yes).clicked() {
                answer = Some(true);
            }
            if ui.button(no).clicked() {
                answer = Some(false);
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(false);
    }
    answer
}
