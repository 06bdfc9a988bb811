//! The skeleton every list panel shares (Customers, Products, Orders): the
//! search box, the paged rows of the current query, the selected row's detail
//! (read once per data change, closed when its row is gone, a failed read shown
//! in its place) and what the create/edit form answered.

use rusqlite::Connection;

use super::form::FormResult;
use super::paged::{PAGE, Paged};
use super::read_error;
use crate::store::{Store, StoreError};
use crate::ui::app::commands::PanelCtx;

/// A list's query: it knows how to count its rows and read a page of them.
pub trait ListQuery: Clone + PartialEq + Send + 'static {
    type Row: Send + 'static;
    /// What the list holds, for messages ("Could not read customers").
    const WHAT: &'static str;

    fn count(&self, conn: &Connection) -> Result<usize, StoreError>;

    /// The id of a row (what the list selects).
    fn row_id(row: &Self::Row) -> i64;

    /// Rows `offset..offset + limit`; `total` is the count already known.
    fn page(
        &self,
        conn: &Connection,
        offset: usize,
        limit: usize,
        total: usize,
    ) -> Result<Vec<Self::Row>, StoreError>;
}

/// A query's count and first page, read by the list's background reader.
fn load<Q: ListQuery>(
    store: &Store,
    q: &Q,
    limit: usize,
) -> Result<(usize, Vec<Q::Row>), StoreError> {
    let n = q.count(store.conn())?;
    Ok((n, q.page(store.conn(), 0, limit, n)?))
}

/// A list panel's state: query, rows, selection and the selected row's detail `D`.
pub struct List<Q: ListQuery, D> {
    pub query: Q,
    pub rows: Paged<Q, Q::Row>,
    selected: Option<i64>,
    /// (data generation, id, the detail or why it could not be read).
    detail: Option<(u64, i64, Result<D, String>)>,
    /// Where the selected row was last drawn (its index, its id).
    cursor: Option<(usize, i64)>,
    /// Up (-1) or Down (+1) pressed in the search box, not yet applied.
    step: isize,
}

impl<Q: ListQuery + Default, D> Default for List<Q, D> {
    fn default() -> Self {
        List {
            query: Q::default(),
            rows: Paged::default(),
            selected: None,
            detail: None,
            cursor: None,
            step: 0,
        }
    }
}

impl<Q: ListQuery, D: Clone> List<Q, D> {
    /// Nothing to list and no search or filter asked: the shop has none of
    /// these yet (the panel says what to do next instead of a bare table).
    pub fn shop_has_none(&self) -> bool
    where
        Q: Default,
    {
        self.query == Q::default()
            && self.rows.loaded()
            && !self.rows.waiting()
            && self.rows.error().is_none()
            && self.rows.total() == 0
    }

    pub fn selected(&self) -> Option<i64> {
        self.selected
    }

    pub fn select(&mut self, id: i64) {
        self.selected = Some(id);
    }

    /// Closes the detail.
    pub fn close(&mut self) {
        self.selected = None;
    }

    /// Up or Down was pressed in the list's search box (see [`arrows`]).
    pub fn add_step(&mut self, step: isize) {
        self.step += step;
    }

    /// Applies Up and Down: selects the row before or after the selected
    /// one (the first row when none is selected, or it was not drawn), and
    /// returns its index, for the table to scroll to. Before the table reads
    /// which row is selected.
    pub fn take_step(&mut self, conn: &Connection) -> Option<usize> {
        let step = std::mem::take(&mut self.step);
        let last = self.rows.total().checked_sub(1)?;
        if step == 0 {
            return None;
        }
        let at = match (self.cursor, self.selected) {
            (Some((i, drawn)), Some(id)) if drawn == id => i.saturating_add_signed(step).min(last),
            _ => 0,
        };
        let query = self.query.clone();
        let id = row(&mut self.rows, conn, &query, at).map(Q::row_id)?;
        self.selected = Some(id);
        self.cursor = Some((at, id));
        Some(at)
    }

    /// The table drew the selected row at this index (None: not drawn).
    pub fn drawn(&mut self, at: Option<(usize, i64)>) {
        if at.is_some() {
            self.cursor = at;
        }
    }

    /// Makes the rows follow the query and the data: a new query is counted
    /// in the background (see [`Paged::sync_background`]). Shows a failed read
    /// once, in place of the rows. Returns true when the table should start at
    /// the top (the query changed).
    pub fn sync(&mut self, ui: &mut egui::Ui, ctx: &PanelCtx) -> bool {
        let top = ui.cursor().top();
        ui.ctx()
            .data_mut(|d| d.insert_temp(super::layout::list_top_id(), top));
        let to_top = self.rows.sync_background(
            &self.query,
            ctx.generation,
            ctx.store,
            ui.ctx(),
            ctx.search_wait,
            load::<Q>,
        );
        read_error(ui, Q::WHAT, self.rows.error());
        to_top
    }

    /// Reads the list's rows in the background before it is first shown
    /// (see [`Paged::prefetch`]).
    pub fn prefetch(&mut self, ctx: &PanelCtx) {
        self.rows
            .prefetch(&self.query, ctx.generation, ctx.store, load::<Q>);
    }

    /// The selected row's detail, read with `read` when the selection or the
    /// data changed (never per frame). A row that no longer exists closes the
    /// detail; any other failure is shown here and not asked again until the
    /// data changes.
    pub fn detail(
        &mut self,
        ui: &mut egui::Ui,
        ctx: &PanelCtx,
        read: impl FnOnce(&Connection, i64) -> Result<D, StoreError>,
    ) -> Option<D> {
        let id = self.selected?;
        let fresh = self
            .detail
            .as_ref()
            .is_some_and(|(g, i, _)| *g == ctx.generation && *i == id);
        if !fresh {
            let read = match read(ctx.store.conn(), id) {
                Ok(d) => Ok(d),
                Err(StoreError::NotFound(_)) => {
                    self.selected = None;
                    self.detail = None;
                    return None;
                }
                Err(e) => Err(e.to_string()),
            };
            self.detail = Some((ctx.generation, id, read));
        }
        match &self.detail.as_ref()?.2 {
            Ok(d) => Some(d.clone()),
            Err(e) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("Could not read it: {e}"),
                );
                if ui.button("Close").clicked() {
                    self.selected = None;
                }
                None
            }
        }
    }

    /// Acts on what the create/edit form answered: true when the form closes.
    /// A saved row is shown in the detail.
    pub fn form_done(&mut self, result: FormResult) -> bool {
        match result {
            FormResult::Open => false,
            FormResult::Cancelled => true,
            FormResult::Saved(id) => {
                self.selected = Some(id);
                true
            }
        }
    }
}

/// Row `index` of `rows`, reading its page of `query` when needed.
pub fn row<'a, Q: ListQuery>(
    rows: &'a mut Paged<Q, Q::Row>,
    conn: &Connection,
    query: &Q,
    index: usize,
) -> Option<&'a Q::Row> {
    let total = rows.total();
    rows.get(index, |offset, limit| {
        query.page(conn, offset, limit.min(PAGE), total)
    })
}

/// What the archive buttons say for one kind of row.
pub struct ArchiveWords {
    /// The Archive button's hover text.
    pub hint: &'static str,
    /// Said once a row is archived.
    pub archived: &'static str,
    /// Said once a row is back in the list.
    pub restored: &'static str,
}

/// The Archive / Unarchive / Delete… buttons of a row's detail: a row that
/// others name (orders) is archived, hidden and kept; one nothing names may
/// be deleted, after a confirmation. Returns true when Delete… was clicked.
pub fn archive_or_delete(
    ui: &mut egui::Ui,
    ctx: &mut PanelCtx,
    archived: bool,
    in_use: bool,
    words: &ArchiveWords,
    set_archived: impl FnOnce(&Connection, bool) -> Result<(), StoreError>,
) -> bool {
    if archived {
        if ui.button("Unarchive").clicked() {
            ctx.write(|tx| set_archived(tx, false), |_| words.restored.into());
        }
    } else if in_use {
        if ui.button("Archive").on_hover_text(words.hint).clicked() {
            ctx.write(|tx| set_archived(tx, true), |_| words.archived.into());
        }
    } else {
        return ui.button("Delete…").clicked();
    }
    false
}

/// Up and Down in a list's search (or find) box `field`: -1, +1, or 0.
/// They move the selection through the rows, whose cells are no stops for
/// Tab (a keyboard tryout tabbed through every cell of every row, unseen,
/// and never reached the detail's buttons). The focus stays in the box.
pub fn arrows(ui: &egui::Ui, field: &egui::Response) -> isize {
    if !field.has_focus() {
        return 0;
    }
    let step = ui.input_mut(|i| {
        if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown) {
            1
        } else if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp) {
            -1
        } else {
            0
        }
    });
    if step != 0 {
        ui.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
    }
    step
}

/// What a list's rows sense: a click selects, and they are no stops for Tab
/// (Up and Down in the search box move through them: see [`arrows`]).
pub fn row_sense() -> egui::Sense {
    egui::Sense::CLICK
}

/// The labelled search box of a list's toolbar, with a button that clears it:
/// one piece that wraps whole. Returns Up or Down pressed in it ([`arrows`]).
pub fn search_box(ui: &mut egui::Ui, text: &mut String, hint: &str) -> isize {
    super::layout::whole(ui, "search_box", |ui| search_box_ui(ui, text, hint))
}

/// A list's "New …" button, which Ctrl+N presses too (not while a dialog
/// or form is open over the list).
pub fn new_button(ui: &mut egui::Ui, label: &str) -> bool {
    let new = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::N);
    let clicked = ui.button(label).on_hover_text("Ctrl+N").clicked();
    let pressed = ui.ctx().memory(|m| m.top_modal_layer()).is_none()
        && ui.input_mut(|i| i.consume_shortcut(&new));
    clicked || pressed
}

fn search_box_ui(ui: &mut egui::Ui, text: &mut String, hint: &str) -> isize {
    let label = ui.label("Search").id;
    let field = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(220.0),
        )
        .labelled_by(label)
        .on_hover_text("Ctrl+F; Up and Down move through the list");
    // Ctrl+F finds, as in Orders (not while a dialog is open over the list).
    let find = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::F);
    if ui.ctx().memory(|m| m.top_modal_layer()).is_none()
        && ui.input_mut(|i| i.consume_shortcut(&find))
    {
        // The last search chosen whole: typing replaces it, as in Orders.
        super::form::focus_all(ui.ctx(), &field, text);
    }
    if !text.is_empty()
        && ui
            .small_button("×")
            .on_hover_text("Clear the search")
            .clicked()
    {
        text.clear();
    }
    arrows(ui, &field)
}

/// The detail's title line with its close button. Returns true when closed.
pub fn detail_heading(
    ui: &mut egui::Ui,
    title: impl Into<egui::RichText>,
    beside: impl FnOnce(&mut egui::Ui),
) -> bool {
    let mut close = false;
    ui.horizontal(|ui| {
        ui.heading(title);
        beside(ui);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("×").on_hover_text("Close").clicked() {
                close = true;
            }
        });
    });
    close
}
