//! The bulk writer's machinery: rows waiting in batches written by one
//! multi-row INSERT each, and a quick hash for maps of row ids.

use rusqlite::Connection;

use crate::store::Result;

/// A quick hash for the writer's map of product ids (numbers the database
/// gave out, not anyone's input): one multiplication spreads them.
#[derive(Default, Clone, Copy)]
pub(super) struct IdHash;

pub(super) struct IdHasher(u64);

impl std::hash::BuildHasher for IdHash {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// How many rows one INSERT statement writes: one statement of many rows
/// costs much less than as many statements of one.
pub(super) const ROWS_PER_STATEMENT: usize = 100;

/// A value waiting in a batch; text is a range of the writer's `texts`.
#[derive(Clone, Copy)]
pub(super) enum Cell {
    Null,
    Int(i64),
    Text(u32, u32),
    Code(&'static str),
}

/// Rows of one table waiting to be written.
pub(super) struct Batch<'c> {
    /// `INSERT INTO table (columns) VALUES `
    head: String,
    /// What follows the rows (an `ON CONFLICT` clause), or "".
    tail: String,
    width: usize,
    /// The most rows one statement writes.
    per_statement: usize,
    pub(super) cells: Vec<Cell>,
    /// The statement writing n rows at index n - 1, prepared when first needed.
    statements: Vec<Option<rusqlite::Statement<'c>>>,
}

impl<'c> Batch<'c> {
    pub(super) fn new(head: &str, width: usize) -> Self {
        Self::with_tail(head, "", width)
    }

    /// A batch whose statements end with `tail` after their rows.
    pub(super) fn with_tail(head: &str, tail: &str, width: usize) -> Self {
        Batch {
            head: head.to_owned(),
            tail: tail.to_owned(),
            width,
            per_statement: ROWS_PER_STATEMENT,
            cells: Vec::with_capacity(width * ROWS_PER_STATEMENT * 4),
            statements: (0..ROWS_PER_STATEMENT).map(|_| None).collect(),
        }
    }

    /// The same batch writing up to `rows` rows a statement: fewer, longer
    /// statements where each one costs much on its own (one that fires
    /// triggers or updates on conflict keeps a statement journal, and
    /// closing it inside an import's savepoint walks what the savepoint
    /// kept so far).
    pub(super) fn rows_per_statement(mut self, rows: usize) -> Self {
        self.per_statement = rows.max(1);
        self.statements = (0..self.per_statement).map(|_| None).collect();
        self
    }

    pub(super) fn rows(&self) -> usize {
        self.cells.len() / self.width
    }

    /// Writes the rows waiting once they fill four statements, and empties
    /// `texts` with them (what waits stays bounded).
    pub(super) fn write_when_full(
        &mut self,
        conn: &'c Connection,
        texts: &mut String,
    ) -> Result<()> {
        if self.rows() >= 4 * self.per_statement {
            self.write(conn, texts)?;
            texts.clear();
        }
        Ok(())
    }

    pub(super) fn write(&mut self, conn: &'c Connection, texts: &str) -> Result<()> {
        let (width, rows) = (self.width, self.rows());
        let mut start = 0;
        while start < rows {
            let n = (rows - start).min(self.per_statement);
            let stmt = match &mut self.statements[n - 1] {
                Some(stmt) => stmt,
                slot @ None => {
                    let row = format!("({})", vec!["?"; width].join(", "));
                    let sql = format!("{}{}{}", self.head, vec![row; n].join(", "), self.tail);
                    slot.insert(conn.prepare(&sql)?)
                }
            };
            for (i, cell) in self.cells[start * width..(start + n) * width]
                .iter()
                .enumerate()
            {
                match *cell {
                    Cell::Null => stmt.raw_bind_parameter(i + 1, rusqlite::types::Null)?,
                    Cell::Int(v) => stmt.raw_bind_parameter(i + 1, v)?,
                    Cell::Text(a, b) => {
                        stmt.raw_bind_parameter(i + 1, &texts[a as usize..b as usize])?;
                    }
                    Cell::Code(code) => stmt.raw_bind_parameter(i + 1, code)?,
                }
            }
            stmt.raw_execute()?;
            start += n;
        }
        self.cells.clear();
        Ok(())
    }
}
