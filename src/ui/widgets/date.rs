//! Date fields: a date picker for an optional or a required day, kept as
//! 'YYYY-MM-DD'.

/// A labelled optional date: a checkbox turns the filter on, the picker sets
/// the day. Returns true when the value changed.
pub fn optional_date(
    ui: &mut egui::Ui,
    label: &str,
    id_salt: &'static str,
    value: &mut Option<String>,
    default: &str,
) -> bool {
    let mut on = value.is_some();
    let mut changed = false;
    if ui.checkbox(&mut on, label).changed() {
        *value = on.then(|| default.to_owned());
        changed = true;
    }
    if let Some(text) = value {
        match text.parse::<jiff::civil::Date>() {
            Ok(mut date) => {
                let response = ui.add(
                    egui_extras::DatePickerButton::new(&mut date)
                        .id_salt(id_salt)
                        .format(super::local_format().date.pattern())
                        .calendar_week(false),
                );
                if response.changed() {
                    *text = date.to_string();
                    changed = true;
                }
            }
            // Never shown as some other day: say so, and offer the default.
            Err(_) => {
                let warning = format!("\"{text}\" is not a date");
                ui.colored_label(ui.visuals().error_fg_color, warning);
                if ui.small_button(default).clicked() {
                    *text = default.to_owned();
                    changed = true;
                }
            }
        }
    }
    changed
}

/// A required day: the picker, or (for text that is not a date) a warning
/// and a button back to `default`. Returns true when the value changed.
pub fn date_field(
    ui: &mut egui::Ui,
    id_salt: &'static str,
    value: &mut String,
    default: &str,
) -> bool {
    match value.parse::<jiff::civil::Date>() {
        Ok(mut date) => {
            // Shown the shop's way, as `optional_date` shows it.
            let response = ui.add(
                egui_extras::DatePickerButton::new(&mut date)
                    .id_salt(id_salt)
                    .format(super::local_format().date.pattern())
                    .calendar_week(false),
            );
            if response.changed() {
                *value = date.to_string();
            }
            response.changed()
        }
        Err(_) => {
            let warning = format!("\"{value}\" is not a date");
            ui.colored_label(ui.visuals().error_fg_color, warning);
            let reset = ui.small_button(default).clicked();
            if reset {
                *value = default.to_owned();
            }
            reset
        }
    }
}

/// Today as 'YYYY-MM-DD' in local time.
pub fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}
