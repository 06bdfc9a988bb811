//! A cache of pages of rows for tables over large results. The table asks for
//! row `i`; the cache answers from a page it already has, or fetches that one
//! page (one indexed query). Nothing is queried per frame once a page is in
//! memory, and only a bounded number of pages is kept.

use std::collections::BTreeMap;

use crate::store::StoreError;

const PAGE: usize = 100;
const MAX_PAGES: usize = 40;

pub struct Paged<Q, T> {
    key: Option<(Q, u64)>,
    total: usize,
    pages: BTreeMap<usize, Vec<T>>,
    error: Option<String>,
}

impl<Q, T> Default for Paged<Q, T> {
    fn default() -> Self {
        Paged {
            key: None,
            total: 0,
            pages: BTreeMap::new(),
            error: None,
        }
    }
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

    /// Forgets everything; the next `sync` reloads.
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    pub fn total(&self) -> usize {
        self.total
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
}
