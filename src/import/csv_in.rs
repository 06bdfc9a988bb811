//! Reading a spreadsheet's CSV file as it comes: UTF-8 with or without a BOM,
//! comma or semicolon (detected from the header line), quoted fields, CRLF or
//! LF. Yields each row with its line number, so problems can name it.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::Path;

use super::ImportError;

/// An open CSV file, positioned after its header row.
pub struct CsvIn {
    reader: csv::Reader<BufReader<File>>,
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
    pub fn open(path: &Path) -> Result<CsvIn, ImportError> {
        let unreadable = |e: std::io::Error| ImportError::Unreadable {
            path: path.display().to_string(),
            detail: e.to_string(),
        };
        let mut file = File::open(path).map_err(unreadable)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut start = [0u8; 3];
        let mut n = 0;
        while n < 3 {
            match file.read(&mut start[n..]).map_err(unreadable)? {
                0 => break,
                k => n += k,
            }
        }
        let bom = n == 3 && start == [0xEF, 0xBB, 0xBF];
        file.seek(std::io::SeekFrom::Start(if bom { 3 } else { 0 }))
            .map_err(unreadable)?;
        let mut buffered = BufReader::with_capacity(1 << 16, file);
        let start = buffered.fill_buf().map_err(unreadable)?;
        let delimiter = detect_delimiter(start);
        let line_offset = u64::from(ends_in_crlf(start));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(true)
            .from_reader(buffered);
        let headers = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect::<Vec<_>>(),
            Err(e) => {
                return Err(ImportError::NotCsv {
                    path: path.display().to_string(),
                    detail: csv_detail(&e),
                });
            }
        };
        if headers.iter().all(String::is_empty) {
            return Err(ImportError::NotCsv {
                path: path.display().to_string(),
                detail: "the file is empty; the first line must name the columns".into(),
            });
        }
        Ok(CsvIn {
            reader,
            headers,
            delimiter,
            size,
            name: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            line_offset,
            record: csv::StringRecord::new(),
        })
    }

    /// The next row, `Ok(None)` at the end, or the line and reason of a row
    /// that cannot be read at all (not UTF-8, an unclosed quote).
    pub fn next_row(&mut self) -> Option<Result<Row<'_>, (u64, String)>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let pos = self.record.position();
                Some(Ok(Row {
                    line: pos.map_or(0, |p| p.line()) + self.line_offset,
                    offset: pos.map_or(0, |p| p.byte()),
                    fields: &self.record,
                }))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) + self.line_offset;
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
