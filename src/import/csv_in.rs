//! Reading a spreadsheet's CSV file as it comes: UTF-8 with or without a BOM,
//! comma or semicolon (detected from the header line), quoted fields, CRLF or
//! LF. Yields each row with its line number, so problems can name it.
//!
//! The file is read front to back once, never sought, so a pipe, a FIFO or
//! standard input (`-`) can be read too; and in bounded memory: a row (or
//! header) over `MAX_ROW_BYTES` stops reading with its line, and a header of
//! more than `super::MAX_COLUMNS` columns is refused.

use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{ImportError, MAX_COLUMNS};

/// The longest row (or header) read, in bytes.
pub const MAX_ROW_BYTES: u64 = 1 << 20;

/// What a file is read through: a file, a pipe or standard input.
type Source = Box<dyn Read + Send>;

/// Reads `inner`, refusing to go more than `MAX_ROW_BYTES` (and a buffer's
/// worth) past the start of the row being read, which the reader of rows
/// moves along in `row_start`.
struct Bounded {
    inner: Source,
    read: u64,
    row_start: Arc<AtomicU64>,
}

/// The error `Bounded` stops with.
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a row longer than {} MB", MAX_ROW_BYTES >> 20)
    }
}

impl std::error::Error for RowTooLong {}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let start = self.row_start.load(Ordering::Relaxed);
        if self.read > start + MAX_ROW_BYTES + (1 << 17) {
            return Err(std::io::Error::other(RowTooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// An open CSV file, positioned after its header row.
pub struct CsvIn {
    reader: csv::Reader<BufReader<Bounded>>,
    row_start: Arc<AtomicU64>,
    /// Reading stopped for good (a row too long, an error of the file).
    stopped: bool,
    pub headers: Vec<String>,
    pub delimiter: u8,
    /// The file's size in bytes, for progress.
    pub size: u64,
    /// The file's name, for the change log.
    pub name: String,
    /// Lines end in CRLF: the csv reader counts a record's line before it
    /// reads the LF that ends the line before, so its lines are one short.
    line_offset: u64,
    record: csv::StringRecord,
}

/// One data row: its line number in the file and its fields (as many as the
/// file has; the caller checks the count against the header).
pub struct Row<'a> {
    pub line: u64,
    pub fields: &'a csv::StringRecord,
    /// Bytes read so far, for progress.
    pub offset: u64,
}

impl CsvIn {
    /// Opens `path`; `-` is standard input.
    pub fn open(path: &Path) -> Result<CsvIn, ImportError> {
        let unreadable = |e: std::io::Error| ImportError::Unreadable {
            path: super::echo(&path.display().to_string()),
            detail: e.to_string(),
        };
        let stdin = path.as_os_str() == "-";
        let (mut file, size): (Source, u64) = if stdin {
            (Box::new(std::io::stdin()), 0)
        } else {
            let file = std::fs::File::open(path).map_err(unreadable)?;
            // A pipe or a device has no size worth showing progress by.
            let size = file
                .metadata()
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map_or(0, |m| m.len());
            (Box::new(file), size)
        };
        // The start of the file, up to its first line break (or 64 KB): for
        // the BOM, the separator and the line endings.
        let mut first = Vec::with_capacity(1 << 16);
        let mut chunk = [0u8; 1 << 14];
        while first.len() < 1 << 16 && !first.contains(&b'\n') {
            match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(k) => first.extend_from_slice(&chunk[..k]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(unreadable(e)),
            }
        }
        // A spreadsheet or a picture saved under a .csv name: say what it is.
        if let Some(what) = not_text(&first) {
            return Err(ImportError::NotCsv {
                path: super::echo(&path.display().to_string()),
                detail: what.into(),
            });
        }
        if first.starts_with(&[0xEF, 0xBB, 0xBF]) {
            first.drain(..3);
        }
        let delimiter = detect_delimiter(&first);
        let line_offset = u64::from(ends_in_crlf(&first));
        let row_start = Arc::new(AtomicU64::new(0));
        let bounded = Bounded {
            inner: Box::new(std::io::Cursor::new(first).chain(file)),
            read: 0,
            row_start: row_start.clone(),
        };
        let buffered = BufReader::with_capacity(1 << 16, bounded);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(buffered);
        let headers = match reader.headers() {
            Ok(h) if h.len() > MAX_COLUMNS => {
                return Err(ImportError::NotCsv {
                    path: super::echo(&path.display().to_string()),
                    detail: format!(
                        "its first line has {} columns, and Shopkeeper reads at most {MAX_COLUMNS}; keep only the columns to import",
                        h.len()
                    ),
                });
            }
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect::<Vec<_>>(),
            Err(e) => {
                return Err(ImportError::NotCsv {
                    path: super::echo(&path.display().to_string()),
                    detail: format!("line 1: {}", csv_detail(&e)),
                });
            }
        };
        row_start.store(reader.position().byte(), Ordering::Relaxed);
        if headers.iter().all(String::is_empty) {
            return Err(ImportError::NotCsv {
                path: super::echo(&path.display().to_string()),
                detail: "the file is empty; the first line must name the columns".into(),
            });
        }
        Ok(CsvIn {
            reader,
            row_start,
            stopped: false,
            headers,
            delimiter,
            size,
            name: if stdin {
                "standard input".into()
            } else {
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            },
            line_offset,
            record: csv::StringRecord::new(),
        })
    }

    /// The next row, `Ok(None)` at the end, or the line and reason of a row
    /// that cannot be read at all (not UTF-8, an unclosed quote).
    pub fn next_row(&mut self) -> Option<Result<Row<'_>, (u64, String)>> {
        if self.stopped {
            return None;
        }
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                self.row_start
                    .store(self.reader.position().byte(), Ordering::Relaxed);
                let pos = self.record.position();
                Some(Ok(Row {
                    line: pos.map_or(0, |p| p.line()) + self.line_offset,
                    offset: pos.map_or(0, |p| p.byte()),
                    fields: &self.record,
                }))
            }
            Err(e) => {
                // After an error of the file itself, no row can be trusted.
                self.stopped |= matches!(e.kind(), csv::ErrorKind::Io(_));
                let line = match e.position() {
                    Some(p) => p.line() + self.line_offset,
                    // The row being read: the line after the last one read.
                    None => self.reader.position().line() + self.line_offset,
                };
                let detail = csv_detail(&e);
                // A bad row is reported once; reading goes on from the next one
                // where the csv reader can.
                Some(Err((line, detail)))
            }
        }
    }
}

fn csv_detail(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "this line is not UTF-8 text; save the file as \"CSV UTF-8\" and try again".into()
        }
        csv::ErrorKind::Io(io)
            if io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<RowTooLong>().is_some()) =>
        {
            format!(
                "this row is longer than {} MB, so the file was not read further; is it the right file?",
                MAX_ROW_BYTES >> 20
            )
        }
        csv::ErrorKind::Io(io) => format!("the file could not be read: {io}"),
        _ => "this line could not be read as CSV".into(),
    }
}

/// Comma or semicolon: whichever the header line has more of, outside quotes.
fn detect_delimiter(start: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for &b in start {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// Whether the first line (outside quotes) ends in CR LF.
fn ends_in_crlf(start: &[u8]) -> bool {
    let mut quoted = false;
    for (i, &b) in start.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return false,
            b'\r' if !quoted => return start.get(i + 1) == Some(&b'\n'),
            _ => {}
        }
    }
    false
}

/// What a file is when its first bytes show it is not text: an Excel
/// workbook (a zip), an old Excel file, a PDF or a picture.
fn not_text(first: &[u8]) -> Option<&'static str> {
    let says = |what: &'static str| Some(what);
    if first.starts_with(b"PK\x03\x04") {
        return says(
            "it is an Excel workbook (.xlsx) or another zip file, not text; in Excel, choose File > Save As > \"CSV UTF-8\", then import that file",
        );
    }
    if first.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return says(
            "it is an old Excel workbook (.xls), not text; in Excel, choose File > Save As > \"CSV UTF-8\", then import that file",
        );
    }
    if first.starts_with(b"%PDF") {
        return says("it is a PDF, not a CSV file; export the data as CSV instead");
    }
    if first.starts_with(b"\x89PNG")
        || first.starts_with(&[0xFF, 0xD8, 0xFF])
        || first.starts_with(b"GIF8")
    {
        return says("it is a picture, not a CSV file");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"name,email\na;b;c;d"), b',');
        assert_eq!(detect_delimiter(b"name;email;phone\r\n"), b';');
        assert_eq!(detect_delimiter(b"\"a;b;c\",x,y\n"), b',');
        assert_eq!(detect_delimiter(b""), b',');
        assert!(ends_in_crlf(b"a,b\r\nc,d\r\n"));
        assert!(!ends_in_crlf(b"a,b\nc,d\r\n"));
        assert!(!ends_in_crlf(b"\"a\r\nb\",c\n"));
    }
}
