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
    if value.is_none() {
        // Its room kept, greyed out: ticking From had pushed everything
        // after it (Today, Yesterday) away under the mouse.
        let text = format!("{} 📆", super::date_text(default));
        ui.add_enabled(false, egui::Button::new(text))
            .on_disabled_hover_text(format!("Tick {label} to choose the day"));
    }
    if let Some(text) = value {
        match text.parse::<jiff::civil::Date>() {
            Ok(mut date) => {
                if picker(ui, id_salt, &mut date).changed() {
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
            let response = picker(ui, id_salt, &mut date);
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

/// The date button and its calendar, shown the shop's way. Escape while the
/// calendar is open closes the calendar alone: egui_extras's calendar is not
/// one of egui's popups, so the dialog around it (Mark paid, Refund) closed
/// with it, and what was typed there was lost.
fn picker(
    ui: &mut egui::Ui,
    id_salt: &'static str,
    date: &mut jiff::civil::Date,
) -> egui::Response {
    // The calendar's layer, as egui_extras names it.
    let calendar = egui::LayerId::new(
        egui::Order::Foreground,
        ui.make_persistent_id(Some(id_salt)),
    );
    let was_open = ui.ctx().memory(|m| m.areas().visible_last_frame(&calendar));
    let response = ui.add(
        egui_extras::DatePickerButton::new(date)
            .id_salt(id_salt)
            .format(super::local_format().date.pattern())
            .calendar_week(false),
    );
    // And the keyboard stays on the button (egui drops it on Escape).
    if was_open && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
        response.request_focus();
    }
    response
}
