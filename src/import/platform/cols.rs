//! A platform's columns, found in a file's header by their published names
//! (any case, spaces around them ignored; a column renamed by a newer export
//! has its names listed together).

use super::super::ImportError;

/// One column a layout reads.
pub(super) struct Col {
    /// Its names, the newest last.
    pub names: &'static [&'static str],
    /// The field of ours it feeds, for the preview.
    pub field: &'static str,
    pub required: bool,
}

/// Shorthand for a layout's table of columns.
pub(super) const fn col(names: &'static [&'static str], field: &'static str) -> Col {
    Col {
        names,
        field,
        required: false,
    }
}

pub(super) const fn needed(names: &'static [&'static str], field: &'static str) -> Col {
    Col {
        names,
        field,
        required: true,
    }
}

/// Where each of a layout's columns sits in a file.
pub(super) struct Cols {
    spec: &'static [Col],
    index: Vec<Option<usize>>,
    headers: Vec<String>,
}

impl Cols {
    pub(super) fn new(headers: &[String], spec: &'static [Col]) -> Cols {
        let index = spec
            .iter()
            .map(|c| {
                c.names.iter().find_map(|n| {
                    headers
                        .iter()
                        .position(|h| h.trim().eq_ignore_ascii_case(n))
                })
            })
            .collect();
        Cols {
            spec,
            index,
            headers: headers.to_vec(),
        }
    }

    /// Refuses a file without one of the layout's required columns.
    pub(super) fn required(&self) -> Result<(), ImportError> {
        let missing: Vec<String> = self
            .spec
            .iter()
            .zip(&self.index)
            .filter(|(c, i)| c.required && i.is_none())
            .map(|(c, _)| c.names[0].to_owned())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(ImportError::Columns {
            missing,
            duplicated: Vec::new(),
        })
    }

    pub(super) fn has(&self, c: usize) -> bool {
        self.index.get(c).is_some_and(Option::is_some)
    }

    /// The cell of column `c`, trimmed ("" when the file has no such column).
    pub(super) fn get<'r>(&self, c: usize, r: &'r csv::StringRecord) -> &'r str {
        self.index
            .get(c)
            .copied()
            .flatten()
            .and_then(|i| r.get(i))
            .unwrap_or("")
            .trim()
    }

    /// Like `get`, for a preview's row of plain strings.
    pub(super) fn cell<'r>(&self, c: usize, row: &'r [String]) -> &'r str {
        self.index
            .get(c)
            .copied()
            .flatten()
            .and_then(|i| row.get(i))
            .map_or("", |s| s.trim())
    }

    /// Column `c`'s name as the file writes it, for problems.
    pub(super) fn name(&self, c: usize) -> &str {
        match self.index.get(c).copied().flatten() {
            Some(i) => &self.headers[i],
            None => self.spec.get(c).map_or("", |s| s.names[0]),
        }
    }

    /// The field of ours the file's column `i` feeds.
    pub(super) fn field_of(&self, i: usize) -> Option<&'static str> {
        self.index
            .iter()
            .position(|x| *x == Some(i))
            .map(|c| self.spec[c].field)
    }
}
