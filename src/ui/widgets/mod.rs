//! Pieces shared by the panels: the list scaffold and the paged row cache
//! behind every big table, sortable column headers and the columns a list
//! shows, form fields with inline errors, the customer picker, layout on
//! narrow windows, the change log of a row, and how numbers, dates and
//! statuses look (counts and dates in the shop's local format, Settings >
//! Formats).

pub mod columns;
pub mod date;
pub mod form;
pub mod layout;
pub mod list;
pub mod paged;
pub mod picker;

pub use paged::Paged;

use crate::domain::OrderStatus;
use crate::domain::format::LocalFormat;
use crate::store::changelog::{self, Change, Entity};
use crate::store::{Direction, Store};

/// The change log of one customer, product or order, read once per data change.
pub struct ChangeLog {
    key: Option<(Entity, i64, u64)>,
    rows: Result<Vec<Change>, String>,
}

impl Default for ChangeLog {
    fn default() -> Self {
        ChangeLog {
            key: None,
            rows: Ok(Vec::new()),
        }
    }
}

impl ChangeLog {
    /// A collapsed "Changes" section listing the newest changes first.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        store: &Store,
        entity: Entity,
        id: i64,
        generation: u64,
    ) {
        let key = (entity, id, generation);
        if self.key != Some(key) {
            self.rows =
                changelog::for_entity(store.conn(), entity, id, 50).map_err(|e| e.to_string());
            self.key = Some(key);
        }
        let count = self.rows.as_ref().map_or(0, Vec::len);
        egui::CollapsingHeader::new(format!("Changes ({count})"))
            .id_salt(("changes", entity))
            .show(ui, |ui| match &self.rows {
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                Ok(rows) if rows.is_empty() => {
                    ui.weak("No changes made in Shopkeeper yet.");
                }
                Ok(rows) => {
                    for c in rows {
                        ui.horizontal_wrapped(|ui| {
                            ui.weak(date_text(c.at.get(..16).unwrap_or(&c.at)));
                            let text = egui::RichText::new(&c.summary);
                            ui.label(if c.undone { text.strikethrough() } else { text })
                                .on_hover_text(format!(
                                    "by {}{}",
                                    c.who,
                                    if c.undone { "; undone" } else { "" }
                                ));
                        });
                    }
                }
            });
    }
}

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

thread_local! {
    /// The shop's local formats for this frame (set by the app at the start
    /// of each one, on the one thread that draws), so a count or a date on
    /// any panel is written the shop's way without passing it everywhere.
    static LOCAL_FORMAT: std::cell::Cell<LocalFormat> =
        const { std::cell::Cell::new(LocalFormat::DEFAULT) };
}

/// Writes counts and dates the shop's way from now on (Settings > Formats).
pub fn use_local_format(format: LocalFormat) {
    LOCAL_FORMAT.with(|f| f.set(format));
}

/// The shop's local formats, as the app last set them.
pub fn local_format() -> LocalFormat {
    LOCAL_FORMAT.with(|f| f.get())
}

/// A decimal written with a point ("VAT (5.5%)") with the shop's decimal
/// mark, as amounts are written on screen ("VAT (5,5%)").
pub fn decimal_text(text: &str) -> String {
    local_format().number.decimal_text(text)
}

/// About how wide a table's column must be for `letters` letters of its
/// header (bold) or cells, with its margins: 7.5 points a letter.
pub fn text_width(letters: usize) -> f32 {
    letters as f32 * 7.5 + 16.0
}

/// "12,345" (or "12.345", "12 345" ...): counts on screen.
pub fn thousands(n: impl Into<i64>) -> String {
    local_format().number.count(n.into())
}

/// A stored day or moment ("2026-03-31", "2026-03-31 14:05") as the shop
/// writes dates on screen; other text as it is.
pub fn date_text(stored: &str) -> String {
    local_format().date.show(stored)
}

/// A report's or chart's period ('2026-03-04' by day or week, '2026-03' by
/// month) on screen: days the shop's way ("Week of 04/03/2026"), months in
/// words ("March 2026").
pub fn period_text(by: crate::domain::Period, key: &str) -> String {
    use crate::domain::Period;
    match by {
        Period::Day => date_text(key),
        Period::Week => format!("Week of {}", date_text(key)),
        Period::Month | Period::Quarter => by.label(key),
    }
}

/// What a panel of an empty shop shows instead of a bare table or chart: what
/// to do next. `add` names the button that makes the first one (returns true
/// when it was pressed); the import and the demo shop are sent as commands.
pub fn empty_shop_ui(
    ui: &mut egui::Ui,
    ctx: &mut crate::ui::app::commands::PanelCtx,
    title: &str,
    text: &str,
    add: Option<&str>,
    import: crate::import::ImportKind,
) -> bool {
    use crate::ui::app::commands::Command;
    let mut added = false;
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        ui.heading(title);
        ui.add_space(6.0);
        ui.label(text);
        ui.add_space(12.0);
    });
    // Whole controls side by side, wrapping on a narrow window.
    ui.horizontal_wrapped(|ui| {
        let width = ui.available_width();
        ui.add_space((width / 2.0 - 260.0).max(0.0));
        if let Some(label) = add
            && ui.button(label).clicked()
        {
            added = true;
        }
        let what = match import {
            crate::import::ImportKind::Customers => "customers",
            crate::import::ImportKind::Products => "products",
            crate::import::ImportKind::Orders => "orders",
        };
        if ui
            .button(format!("Import {what}…"))
            .on_hover_text(
                "From a spreadsheet saved as CSV: shown and checked before anything is added.",
            )
            .clicked()
        {
            ctx.send(Command::Import(import));
        }
        if ui
            .button("Look around a demo shop…")
            .on_hover_text(
                "Makes a new file beside this one, filled with made-up customers, \
                 products and orders, and opens it. Your shop is not touched.",
            )
            .clicked()
        {
            ctx.send(Command::OpenDemoShop);
        }
    });
    added
}

/// A message as a sentence on its own: its first letter capital (errors
/// start lowercase, to follow "Could not open: " and the like).
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "1 customer", "12,345 customers": a count with its noun.
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n: i64 = n.into();
    format!(
        "{} {}",
        thousands(n),
        crate::domain::format::noun(n, one, many)
    )
}

/// A status as coloured text.
pub fn status_label(ui: &mut egui::Ui, status: OrderStatus) {
    let dark = ui.visuals().dark_mode;
    let color = match (status, dark) {
        (OrderStatus::Pending, _) => ui.visuals().warn_fg_color,
        (OrderStatus::Paid, true) => egui::Color32::from_rgb(120, 170, 255),
        (OrderStatus::Paid, false) => egui::Color32::from_rgb(30, 90, 200),
        (OrderStatus::Shipped, true) => egui::Color32::from_rgb(190, 150, 255),
        (OrderStatus::Shipped, false) => egui::Color32::from_rgb(110, 60, 190),
        (OrderStatus::Delivered, true) => egui::Color32::from_rgb(110, 200, 120),
        (OrderStatus::Delivered, false) => egui::Color32::from_rgb(30, 130, 50),
        (OrderStatus::Cancelled | OrderStatus::Returned, _) => ui.visuals().weak_text_color(),
    };
    ui.label(egui::RichText::new(status.label()).color(color));
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

/// The detail of the selected row, in a resizable, scrolling panel on the
/// right; drawn over the list when the window leaves it less than
/// `list_width` beside the detail (a narrow window).
pub fn detail_panel(
    ui: &mut egui::Ui,
    id: &'static str,
    width: f32,
    list_width: f32,
    add: impl FnOnce(&mut egui::Ui),
) {
    if !layout::room_beside(ui, width, list_width) {
        layout::detail_overlay(ui, id, width, add);
        return;
    }
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
