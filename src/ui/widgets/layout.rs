//! Layout on narrow windows: a toolbar's controls kept whole when its row
//! wraps (a label never ends a line apart from its field), a row's detail
//! drawn over the list (below its toolbar) instead of beside it when there is
//! no room for both, and a detail's facts wrapping within its width.

/// Adds `add` (a label and its field, say) as one piece of a wrapping row:
/// when the piece no longer fits on the current line it starts the next one,
/// whole. Its width is the one it had last frame (the first frame it stays on
/// the line).
pub fn whole<R>(
    ui: &mut egui::Ui,
    id_salt: impl std::hash::Hash + std::fmt::Debug,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let id = ui.scope_id().with(("whole", id_salt));
    let last: Option<f32> = ui.data(|d| d.get_temp(id));
    let at_start = ui.cursor().min.x <= ui.max_rect().min.x + 1.0;
    if let Some(width) = last
        && !at_start
        && ui.available_size_before_wrap().x < width
    {
        ui.end_row();
    }
    let r = ui.horizontal(add);
    ui.data_mut(|d| d.insert_temp(id, r.response.rect.width()));
    r.inner
}

/// Whether a detail `width` wide leaves the list at least `list_width`
/// beside it in `ui` (else the detail is drawn over the list).
pub fn room_beside(ui: &egui::Ui, width: f32, list_width: f32) -> bool {
    ui.available_width() - width >= list_width
}

/// Where the list's rows began last frame (below its toolbar): set by the
/// list scaffold, so a detail drawn over the list leaves the toolbar free.
pub fn list_top_id() -> egui::Id {
    egui::Id::unique("list_rows_top")
}

/// The detail drawn over the right-hand side of the list (a narrow window),
/// below the list's toolbar: the list keeps its full width underneath; the
/// detail scrolls.
pub fn detail_overlay(
    ui: &mut egui::Ui,
    id: &'static str,
    width: f32,
    add: impl FnOnce(&mut egui::Ui),
) {
    let area = ui.available_rect_before_wrap();
    let top = ui
        .ctx()
        .data(|d| d.get_temp::<f32>(list_top_id()))
        .filter(|t| *t > area.top() && *t < area.bottom() - 120.0)
        .unwrap_or(area.top());
    let frame = egui::Frame::window(ui.style());
    let margin = frame.total_margin().sum();
    let width = width.min(area.width() * 0.9);
    egui::Area::new(egui::Id::unique((id, "overlay")))
        .order(egui::Order::Middle)
        .pivot(egui::Align2::RIGHT_TOP)
        .fixed_pos(egui::pos2(area.right(), top))
        .show(ui.ctx(), |ui| {
            frame.show(ui, |ui| {
                // A fixed rect that clips what is wider (as the side panel
                // does), so a wide table never stretches the overlay.
                let size = egui::vec2(width - margin.x, area.bottom() - top - margin.y);
                let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                let mut inner = ui.new_child(egui::UiBuilder::new().max_rect(rect));
                inner.set_clip_rect(rect.intersect(ui.clip_rect()));
                egui::ScrollArea::vertical()
                    .id_salt((id, "scroll"))
                    .show(&mut inner, add);
            });
        });
}

/// The widest a value in a detail's facts grid may be before it wraps, so a
/// long address never widens the detail (the buttons below it would then
/// not wrap, and a detail over the list would cut them).
pub fn facts_width(ui: &egui::Ui) -> f32 {
    (ui.available_width() - 120.0).max(120.0)
}
