//! Where each of our columns sits in a file: found by name (ours, ignoring
//! case, spaces and dashes) or from a mapping (`columns`), checked once (a
//! required column fed by none, or one fed twice, refuses the file), then
//! read row by row.

use super::{ImportError, ImportKind, columns};

/// Where each known column sits in the file.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// For each of the kind's columns (in `ImportKind::columns` order), the file's column index.
    pub(super) index: Vec<Option<usize>>,
    pub(super) width: usize,
    /// The file's columns Shopkeeper does not know, which are ignored.
    pub ignored: Vec<String>,
}

/// The most columns a file's header may have.
pub const MAX_COLUMNS: usize = 500;

impl Mapping {
    /// Matches the file's header to the kind's columns, ignoring case, spaces
    /// around names and order ("Postal code" matches `postal_code`). Other
    /// columns are ignored (unnamed ones without a word).
    pub fn new(kind: ImportKind, headers: &[String]) -> Result<Mapping, ImportError> {
        let fields: columns::Fields = headers.iter().map(|h| columns::ours(kind, h)).collect();
        Mapping::from_fields(kind, headers, &fields)
    }

    /// The file's columns feeding the columns of ours `fields` gives (one per
    /// file column; None: ignored). Refused when a required column is fed by
    /// none, or one is fed by two.
    pub fn from_fields(
        kind: ImportKind,
        headers: &[String],
        fields: &[Option<&'static str>],
    ) -> Result<Mapping, ImportError> {
        let columns = kind.columns();
        let mut index = vec![None; columns.len()];
        let (mut ignored, mut duplicated) = (Vec::new(), Vec::new());
        for (i, h) in headers.iter().enumerate() {
            let field = fields.get(i).copied().flatten();
            match field.and_then(|f| columns.iter().position(|(c, _)| *c == f)) {
                Some(c) if index[c].is_some() => duplicated.push(h.clone()),
                Some(c) => index[c] = Some(i),
                None if h.is_empty() => {}
                None => ignored.push(h.clone()),
            }
        }
        let mut missing: Vec<String> = columns
            .iter()
            .zip(&index)
            .filter(|((_, required), i)| *required && i.is_none())
            .map(|((c, _), _)| (*c).to_owned())
            .collect();
        // Orders need one of each pair: order_ref or order_number,
        // customer_email or customer_number.
        if kind == ImportKind::Orders {
            for (name, other) in [(0, 7), (2, 8)] {
                if index[name].is_none() && index[other].is_none() {
                    // Either will do: say so ("customer_number or customer_email").
                    missing.push(format!("{} or {}", columns[other].0, columns[name].0));
                }
            }
        }
        if !missing.is_empty() || !duplicated.is_empty() {
            return Err(ImportError::Columns {
                missing,
                duplicated,
            });
        }
        Ok(Mapping {
            index,
            width: headers.len(),
            ignored,
        })
    }

    /// Whether the file has the kind's column `column`.
    pub(crate) fn has(&self, column: usize) -> bool {
        self.index.get(column).is_some_and(Option::is_some)
    }

    /// How a problem names its column: ours, or, when a column of the file
    /// with another name feeds it, the file's and ours ("E-mail (email)").
    pub(super) fn file_column(&self, kind: ImportKind, headers: &[String], ours: &str) -> String {
        let file = kind
            .columns()
            .iter()
            .position(|(c, _)| *c == ours)
            .and_then(|c| self.index[c])
            .and_then(|i| headers.get(i));
        match file {
            Some(h) if normalise(h) != ours => format!("{} ({ours})", h.trim()),
            _ => ours.to_owned(),
        }
    }

    /// The field a file column feeds, for the preview.
    pub fn field_of(&self, kind: ImportKind, file_column: usize) -> Option<&'static str> {
        self.index
            .iter()
            .position(|i| *i == Some(file_column))
            .map(|c| kind.columns()[c].0)
    }

    /// A field's text. A leading `'` that an export put before `=`, `+`, `-`,
    /// `@`, tab or carriage return (so spreadsheets do not run it as a formula)
    /// is taken off again, so exported files import as they were.
    pub(super) fn get<'r>(&self, column: usize, record: &'r csv::StringRecord) -> &'r str {
        let text = self.index[column].and_then(|i| record.get(i)).unwrap_or("");
        match text.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
            _ => text,
        }
    }
}

pub(super) fn normalise(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}
