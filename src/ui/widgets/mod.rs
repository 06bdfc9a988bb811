//! Pieces shared by the panels: the paged row cache behind every big table,
//! sortable column headers and form fields with inline errors.

pub mod date;
pub mod form;
pub mod paged;

pub use paged::Paged;

use crate::store::Direction;

/// A clickable column header that shows and toggles the sort.
/// Returns true when the sort changed.
pub fn sort_header<S: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    this: S,
    sort: &mut S,
    direction: &mut Direction,
) -> bool {
    let arrow = if *sort == this {
        match direction {
            Direction::Ascending => " ⏶",
            Direction::Descending => " ⏷",
        }
    } else {
        ""
    };
    let clicked = ui
        .add(
            egui::Button::new(egui::RichText::new(format!("{label}{arrow}")).strong()).frame(false),
        )
        .on_hover_text(format!("Sort by {}", label.to_lowercase()))
        .clicked();
    if clicked {
        if *sort == this {
            *direction = direction.flip();
        } else {
            *sort = this;
            *direction = Direction::Ascending;
        }
    }
    clicked
}

/// "12,345": counts on screen.
pub fn thousands(n: impl Into<i64>) -> String {
    let n: i64 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The colour of warnings (low stock) that reads well in both themes.
pub fn warn_color(ui: &egui::Ui) -> egui::Color32 {
    ui.visuals().warn_fg_color
}

/// A right-aligned table cell (numbers, amounts), kept clear of the scroll bar.
pub fn num_cell(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.add_space(10.0);
        ui.label(text)
    })
    .inner
}

/// The detail of the selected row, in a resizable, scrolling panel on the right.
pub fn detail_panel(
    ui: &mut egui::Ui,
    id: &'static str,
    width: f32,
    add: impl FnOnce(&mut egui::Ui),
) {
    egui::Panel::right(id)
        .default_size(width)
        .min_size(280.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt((id, "scroll"))
                .show(ui, add);
        });
}

/// A list that could not be read says so, in the error colour.
pub fn read_error(ui: &mut egui::Ui, what: &str, error: Option<&str>) {
    if let Some(e) = error {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("Could not read {what}: {e}"),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(1234567), "1,234,567");
        assert_eq!(super::thousands(-1000), "-1,000");
    }
}
