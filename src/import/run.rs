//! Running an import: the file opened once, a platform's export read as it
//! is, any other file through its columns (by name, chosen, `--map` or
//! remembered), all rows or none.

use std::path::Path;

use super::*;

/// Imports `path` into `store`, each column by its name (ours, ignoring
/// case, spaces and dashes). `progress(done, total)` is called now and then;
/// returning false cancels, and then nothing is written.
pub fn run(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    run_with(store, kind, path, options, None, Columns::ByName, progress)
}

/// `run`, with the user's word on whose layout the file is in (`--format`);
/// None tells it from the header. A platform's export is read as it is.
pub fn run_as(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
    options: ImportOptions,
    format: Option<Format>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    run_with(
        store,
        kind,
        path,
        options,
        format,
        Columns::ByName,
        progress,
    )
}

/// `run`, with the file's columns found as `columns` says (the file is
/// opened once, so standard input can be read). A mapping chosen or given
/// with `--map` that imported is remembered for the next file with the same
/// header (`remembered`). A problem in a column the mapping renamed names
/// the file's column and ours: "E-mail (email)".
pub fn run_mapped(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
    options: ImportOptions,
    columns: Columns,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    run_with(store, kind, path, options, None, columns, progress)
}

/// `run_as` and `run_mapped` together: a platform's export (told from the
/// header, or `format`) is read as it is, whatever `columns` says; any other
/// file through the mapping.
pub fn run_with(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
    options: ImportOptions,
    format: Option<Format>,
    columns: Columns,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let mut csv = CsvIn::open(path)?;
    if let Some(layout) = platform::detect(&csv.headers, format)? {
        return platform::run(store, layout, &mut csv, options, progress);
    }
    let headers = csv.headers.clone();
    let fields: Option<columns::Fields> = match columns {
        Columns::ByName => None,
        Columns::Chosen(fields) => Some(fields.to_vec()),
        Columns::Map(map) => {
            let mut fields: columns::Fields =
                headers.iter().map(|h| columns::ours(kind, h)).collect();
            columns::apply_map(kind, &headers, &mut fields, map)?;
            Some(fields)
        }
        // The command line: the mapping chosen for this header before, else
        // the window's guess from the names spreadsheets use ("E-mail"),
        // said in the summary; by our names alone it dropped such a column.
        Columns::Remembered => Some(
            remembered(store.conn(), kind, &headers)?
                .unwrap_or_else(|| columns::guess(kind, &headers)),
        ),
    };
    // The columns read by a name other than ours, to say so.
    let renamed: Vec<String> = match (&columns, &fields) {
        (Columns::Remembered, Some(fields)) => headers
            .iter()
            .zip(fields)
            .filter_map(|(h, f)| {
                let f = (*f)?;
                (columns::ours(kind, h) != Some(f)).then(|| format!("\"{h}\" as {f}"))
            })
            .collect(),
        _ => Vec::new(),
    };
    let mapping = match &fields {
        Some(fields) => Mapping::from_fields(kind, &headers, fields)?,
        None => Mapping::new(kind, &headers)?,
    };
    let summary = import_file(store, kind, &mut csv, &mapping, options, progress);
    let summary = summary.map_err(|e| match e {
        ImportError::Rows { mut problems, more } => {
            for p in &mut problems {
                p.column = mapping.file_column(kind, &headers, &p.column);
            }
            ImportError::Rows { problems, more }
        }
        other => other,
    })?;
    let mut summary = summary;
    if !renamed.is_empty() {
        let columns = if renamed.len() == 1 {
            "column"
        } else {
            "columns"
        };
        summary
            .notes
            .push(format!("Read the {columns} {}.", renamed.join(", ")));
    }
    let given = matches!(columns, Columns::Chosen(_) | Columns::Map(_));
    if let Some(fields) = fields.filter(|_| given && !options.dry_run) {
        let key = columns::header_key(kind, &headers);
        let text = columns::to_text(&fields);
        store.write_as(|tx| store::settings::set_text(tx, &key, &text))?;
    }
    Ok(summary)
}

/// The mapping chosen for the last file of this kind with this header that
/// imported, if it still fits.
pub fn remembered(
    conn: &rusqlite::Connection,
    kind: ImportKind,
    headers: &[String],
) -> Result<Option<columns::Fields>, StoreError> {
    let text = store::settings::text(conn, &columns::header_key(kind, headers))?;
    Ok(text.and_then(|t| columns::from_text(kind, &t, headers.len())))
}

fn import_file(
    store: &mut Store,
    kind: ImportKind,
    csv: &mut CsvIn,
    mapping: &Mapping,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    // Files are read the plain way, whatever the screen's format.
    let currency = store::settings::currency(store.conn())?.plain_style();
    let summary = match kind {
        ImportKind::Customers => customers::import(store, csv, mapping, options, progress),
        ImportKind::Products => {
            let settings = store::settings::load(store.conn())?;
            products::import(
                store,
                csv,
                mapping,
                &currency,
                settings.default_reorder_level,
                options,
                progress,
            )
        }
        ImportKind::Orders => orders::import(store, csv, mapping, &currency, options, progress),
    }?;
    Ok(ImportSummary {
        ignored: mapping.ignored.clone(),
        ..summary
    })
}
