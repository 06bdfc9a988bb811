//! A cache of pages of rows for tables over large results. The table asks for
//! row `i`; the cache answers from a page it already has, or fetches that one
//! page (one indexed query). Nothing is queried per frame once a page is in
//! memory, and only a bounded number of pages is kept.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::jobs::Latest;
use crate::store::{Store, StoreError};

/// Rows per page.
pub const PAGE: usize = 100;
const MAX_PAGES: usize = 40;

pub struct Paged<Q, T> {
    key: Option<(Q, u64)>,
    total: usize,
    pages: BTreeMap<usize, Vec<T>>,
    error: Option<String>,
    /// Reads a new query's count and first page off the UI thread.
    reader: Option<Reader<Q, T>>,
    /// The query (and data generation) asked of the reader and not yet answered.
    pending: Option<(Q, u64)>,
}

/// A background reader of (query, data generation) -> (count, first page).
type Reader<Q, T> = Latest<(Q, u64), (usize, Vec<T>)>;

/// Counts a query's rows and reads its first `limit` of them.
pub type Load<Q, T> = fn(&Store, &Q, usize) -> Result<(usize, Vec<T>), StoreError>;

impl<Q, T> Default for Paged<Q, T> {
    fn default() -> Self {
        Paged {
            key: None,
            total: 0,
            pages: BTreeMap::new(),
            error: None,
            reader: None,
            pending: None,
        }
    }
}

impl<Q, T> Paged<Q, T>
where
    Q: Clone + PartialEq + Send + 'static,
    T: Send + 'static,
{
    /// Like `sync`, but a new query is counted and its first page read on a
    /// worker thread with its own connection, so typing a search never waits
    /// for a slow count. The frame waits at most `wait` for the answer (a quick
    /// query is shown in the same frame); until it comes the list keeps
    /// showing the previous results, and the next frames look again.
    /// Returns true when a new query's results arrived (the list should start at the top).
    pub fn sync_background(
        &mut self,
        query: &Q,
        generation: u64,
        store: &Store,
        repaint: &egui::Context,
        wait: Duration,
        load: Load<Q, T>,
    ) -> bool {
        let wanted = (query.clone(), generation);
        if self.key.as_ref() == Some(&wanted) {
            self.pending = None;
            return false;
        }
        if store.path() == std::path::Path::new(":memory:") {
            // No second connection reaches an in-memory database: read here.
            let result = load(store, query, PAGE).map_err(|e| e.to_string());
            return self.accept(wanted, result);
        }
        let reader = reader(&mut self.reader, store, load);
        if self.pending.as_ref() != Some(&wanted) {
            reader.ask(wanted.clone());
            self.pending = Some(wanted);
        }
        let deadline = Instant::now() + wait;
        while let Some((key, result)) =
            reader.answer(deadline.saturating_duration_since(Instant::now()))
        {
            if self.pending.as_ref() == Some(&key) {
                return self.accept(key, result);
            }
        }
        // Look again next frame.
        repaint.request_repaint();
        false
    }

    /// Asks the reader for `query` before the list is first drawn (the
    /// window does it for the panels not shown yet once its first frame is
    /// drawn), so a panel opened later finds its count and first page read.
    /// The list's first `sync_background` then takes that answer at once.
    pub fn prefetch(&mut self, query: &Q, generation: u64, store: &Store, load: Load<Q, T>) {
        let wanted = (query.clone(), generation);
        if self.key.as_ref() == Some(&wanted)
            || self.pending.as_ref() == Some(&wanted)
            || store.path() == std::path::Path::new(":memory:")
        {
            return;
        }
        reader(&mut self.reader, store, load).ask(wanted.clone());
        self.pending = Some(wanted);
    }

    fn accept(&mut self, key: (Q, u64), result: Result<(usize, Vec<T>), String>) -> bool {
        let same_query = self.key.as_ref().is_some_and(|(q, _)| *q == key.0);
        self.pages.clear();
        match result {
            Ok((total, first)) => {
                self.total = total;
                self.error = None;
                self.pages.insert(0, first);
            }
            Err(e) => {
                self.total = 0;
                self.error = Some(e);
            }
        }
        self.key = Some(key);
        self.pending = None;
        !same_query
    }

    /// A new query was asked and its answer has not come yet.
    pub fn waiting(&self) -> bool {
        self.pending.is_some()
    }
}

/// A list's background reader, started on first use. The frame itself looks
/// for its answers while one is due, so the reader need not wake the window:
/// a wake from another thread would only add a frame at a moment nobody can
/// predict.
fn reader<'a, Q, T>(
    slot: &'a mut Option<Reader<Q, T>>,
    store: &Store,
    load: Load<Q, T>,
) -> &'a Reader<Q, T>
where
    Q: Clone + PartialEq + Send + 'static,
    T: Send + 'static,
{
    slot.get_or_insert_with(|| {
        Latest::spawn(
            store.location(),
            || {},
            move |s, (q, _): &(Q, u64)| load(s, q, PAGE).map_err(|e| e.to_string()),
        )
    })
}

impl<Q: Clone + PartialEq, T> Paged<Q, T> {
    /// Makes the cache follow `query` at data `generation`: when either changed,
    /// forgets every page and counts again. Returns true when the query itself
    /// changed (a new search or filter, so the list should start at the top).
    pub fn sync(
        &mut self,
        query: &Q,
        generation: u64,
        count: impl FnOnce(&Q) -> Result<usize, StoreError>,
    ) -> bool {
        let same_query = self.key.as_ref().is_some_and(|(q, _)| q == query);
        if self
            .key
            .as_ref()
            .is_some_and(|(q, g)| q == query && *g == generation)
        {
            return false;
        }
        self.key = Some((query.clone(), generation));
        self.pages.clear();
        match count(query) {
            Ok(n) => {
                self.total = n;
                self.error = None;
            }
            Err(e) => {
                self.total = 0;
                self.error = Some(e.to_string());
            }
        }
        !same_query
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// A query was answered at least once ([`Paged::total`] is not a guess).
    pub fn loaded(&self) -> bool {
        self.key.is_some()
    }

    /// The last error of a count or fetch, for the panel to show.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Row `index`, fetching its page with `fetch(offset, limit)` when needed.
    pub fn get(
        &mut self,
        index: usize,
        fetch: impl FnOnce(usize, usize) -> Result<Vec<T>, StoreError>,
    ) -> Option<&T> {
        let page = index / PAGE;
        if !self.pages.contains_key(&page) {
            if self.pending.is_some() || self.error.is_some() {
                // The shown pages belong to the previous query and the new
                // one's come soon; or reading failed, which is shown and not
                // tried again every frame (the next change of data or query does).
                return None;
            }
            match fetch(page * PAGE, PAGE) {
                Ok(rows) => {
                    if self.pages.len() >= MAX_PAGES {
                        // Drop the page farthest from the one being read.
                        let far = self.pages.keys().copied().max_by_key(|p| p.abs_diff(page));
                        if let Some(far) = far {
                            self.pages.remove(&far);
                        }
                    }
                    self.pages.insert(page, rows);
                }
                Err(e) => {
                    self.error = Some(e.to_string());
                    return None;
                }
            }
        }
        self.pages
            .get(&page)
            .and_then(|rows| rows.get(index % PAGE))
    }

    /// Pages currently held (for tests and measurements).
    pub fn pages_held(&self) -> usize {
        self.pages.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fetches_each_page_once_and_bounds_memory() {
        let mut p: Paged<u8, usize> = Paged::default();
        assert!(p.sync(&0, 0, |_| Ok(100_000)));
        assert!(!p.sync(&0, 0, |_| panic!("no recount")));
        let mut fetches = 0;
        for i in 0..(PAGE * 3) {
            let v = p.get(i, |o, l| {
                fetches += 1;
                Ok((o..o + l).collect())
            });
            assert_eq!(v, Some(&i));
        }
        assert_eq!(fetches, 3);
        for i in (0..100_000).step_by(PAGE) {
            p.get(i, |o, l| Ok((o..o + l).collect()));
        }
        assert!(p.pages_held() <= MAX_PAGES);
        assert!(!p.sync(&0, 1, |_| Ok(5)), "new data, same query");
        assert_eq!(p.total(), 5);
        assert!(p.sync(&1, 1, |_| Ok(7)), "a new query");
        assert_eq!(p.pages_held(), 0);
    }

    fn slow_count(store: &Store, q: &u8, limit: usize) -> Result<(usize, Vec<usize>), StoreError> {
        let _ = store;
        std::thread::sleep(Duration::from_millis(30));
        let n = usize::from(*q) * 10;
        Ok((n, (0..n.min(limit)).collect()))
    }

    #[test]
    fn a_slow_query_is_read_in_the_background_while_the_old_rows_stay() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path().join("shop.sqlite3")).expect("open");
        let ctx = egui::Context::default();
        let mut p: Paged<u8, usize> = Paged::default();
        // A patient frame gets its answer at once.
        assert!(p.sync_background(&1, 0, &store, &ctx, Duration::from_secs(10), slow_count));
        assert_eq!(p.total(), 10);
        assert!(!p.waiting());
        // An impatient one keeps the old rows and looks again later.
        assert!(!p.sync_background(&2, 0, &store, &ctx, Duration::ZERO, slow_count));
        assert!(p.waiting());
        assert_eq!(p.total(), 10);
        assert_eq!(
            p.get(3, |_, _| panic!("no fetch for the old query")),
            Some(&3)
        );
        assert_eq!(p.get(150, |_, _| panic!("no fetch while waiting")), None);
        let mut arrived = false;
        for _ in 0..200 {
            if p.sync_background(&2, 0, &store, &ctx, Duration::from_millis(10), slow_count) {
                arrived = true;
                break;
            }
        }
        assert!(arrived, "the answer came");
        assert_eq!(p.total(), 20);
        assert!(!p.waiting());
        // Only the latest of many quick questions is answered.
        for q in 3..9 {
            p.sync_background(&q, 0, &store, &ctx, Duration::ZERO, slow_count);
        }
        let mut arrived = false;
        for _ in 0..200 {
            if p.sync_background(&8, 0, &store, &ctx, Duration::from_millis(10), slow_count) {
                arrived = true;
                break;
            }
        }
        assert!(arrived);
        assert_eq!(p.total(), 80);
    }
}
