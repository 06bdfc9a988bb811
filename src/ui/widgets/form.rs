//! Labelled form fields with their error shown inline beneath them.

use crate::domain::FieldErrors;

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
            let r = ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(280.0),
            );
            let r = r.labelled_by(label_id);
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

/// Whether Enter was pressed this frame (to save a form).
pub fn enter_pressed(ui: &egui::Ui) -> bool {
    ui.input(|i| i.key_pressed(egui::Key::Enter) && i.modifiers.is_none())
}
