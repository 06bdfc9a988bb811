//! Importing a file whose columns have other names (issue 16 item 2): the
//! guess from their names, a mapping chosen by hand or with `--map`, the
//! mapping remembered for the next file with the same header, and the
//! refusals (a required column left unmapped, a bad row named by its line
//! and the file's column), each writing nothing.

use std::path::{Path, PathBuf};

use crate::common::*;
use shopkeeper::import::columns::{self, Fields};
use shopkeeper::import::{self, ImportError, ImportKind, ImportOptions, ImportSummary};
use shopkeeper::store::{self, Store};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write csv");
    path
}

fn headers(path: &Path) -> Vec<String> {
    import::preview(path, ImportKind::Customers, 0)
        .expect("preview")
        .headers
}

fn mapped(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
    fields: &Fields,
) -> Result<ImportSummary, ImportError> {
    import::run_mapped(
        store,
        kind,
        path,
        ImportOptions::default(),
        import::Columns::Chosen(fields),
        &mut |_, _| true,
    )
}

const PEOPLE: &str = "Full Name,E-mail,Zip,Town,Shoe size\n\
                      Ana Lima,ana@example.com,4000-123,Porto,38\n\
                      Bo Berg,bo@example.com,211 20,Malmö,44\n";

#[test]
fn columns_with_other_names_are_guessed_and_import() {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let file = write(dir.path(), "people.csv", PEOPLE);
    // By our names alone the file has no name column.
    let before = dump(&store);
    let err = import::run(
        &mut store,
        ImportKind::Customers,
        &file,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("missing required columns: name"),
        "{err}"
    );
    assert_eq!(dump(&store), before);

    let fields = columns::guess(ImportKind::Customers, &headers(&file));
    assert_eq!(
        fields,
        vec![
            Some("name"),
            Some("email"),
            Some("postal_code"),
            Some("city"),
            None
        ]
    );
    let summary = mapped(&mut store, ImportKind::Customers, &file, &fields).unwrap();
    assert_eq!(
        summary.message(),
        "Imported 2 customers. The column Shoe size was ignored."
    );
    let bo = store::customers::find(store.conn(), "bo@example.com")
        .unwrap()
        .expect("Bo imported");
    assert_eq!(bo.name, "Bo Berg");
    assert_eq!(bo.city.as_deref(), Some("Malmö"));
    assert_eq!(bo.postal_code.as_deref(), Some("211 20"));
    assert_checks(&store);
}

#[test]
fn a_mapping_that_imported_is_remembered_for_the_same_header() {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let file = write(dir.path(), "people.csv", PEOPLE);
    let h = headers(&file);
    assert_eq!(
        import::remembered(store.conn(), ImportKind::Customers, &h).unwrap(),
        None
    );
    // The shoe size chosen as notes, by hand.
    let mut fields = columns::guess(ImportKind::Customers, &h);
    fields[4] = Some("notes");
    // A check writes nothing, not even the mapping.
    let dry = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    import::run_mapped(
        &mut store,
        ImportKind::Customers,
        &file,
        dry,
        import::Columns::Chosen(&fields),
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(
        import::remembered(store.conn(), ImportKind::Customers, &h).unwrap(),
        None
    );
    mapped(&mut store, ImportKind::Customers, &file, &fields).unwrap();
    assert_eq!(
        import::remembered(store.conn(), ImportKind::Customers, &h).unwrap(),
        Some(fields.clone())
    );
    // Only for this kind and this header.
    assert_eq!(
        import::remembered(store.conn(), ImportKind::Products, &h).unwrap(),
        None
    );
    let other = write(
        dir.path(),
        "other.csv",
        "Full Name,E-mail\nCy,cy@example.com\n",
    );
    assert_eq!(
        import::remembered(store.conn(), ImportKind::Customers, &headers(&other)).unwrap(),
        None
    );
    // The command line takes it too, for the next file with that header.
    let next = write(
        dir.path(),
        "more.csv",
        "Full Name,E-mail,Zip,Town,Shoe size\nDe Vries,de@example.com,1011,Amsterdam,41\n",
    );
    import::run_mapped(
        &mut store,
        ImportKind::Customers,
        &next,
        ImportOptions::default(),
        import::Columns::Remembered,
        &mut |_, _| true,
    )
    .unwrap();
    let de = store::customers::find(store.conn(), "de@example.com")
        .unwrap()
        .expect("De imported");
    assert_eq!(de.name, "De Vries");
    assert_eq!(
        de.notes.as_deref(),
        Some("41"),
        "the shoe size went to the notes"
    );
}

#[test]
fn a_mapping_without_a_required_column_or_with_one_twice_is_refused() {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let file = write(dir.path(), "people.csv", PEOPLE);
    let before = dump(&store);
    let unnamed: Fields = vec![None, Some("email"), None, None, None];
    let err = mapped(&mut store, ImportKind::Customers, &file, &unnamed).unwrap_err();
    match &err {
        ImportError::Columns { missing, .. } => assert_eq!(missing, &["name".to_owned()]),
        other => panic!("expected a column error, got {other}"),
    }
    assert!(
        err.to_string().contains("missing required columns: name"),
        "{err}"
    );
    let twice: Fields = vec![Some("name"), Some("email"), None, Some("name"), None];
    let err = mapped(&mut store, ImportKind::Customers, &file, &twice).unwrap_err();
    assert!(
        err.to_string().contains("columns named twice: Town"),
        "{err}"
    );
    assert_eq!(dump(&store), before, "a refused mapping wrote something");
    let h = headers(&file);
    assert_eq!(
        import::remembered(store.conn(), ImportKind::Customers, &h).unwrap(),
        None,
        "a refused mapping is not remembered"
    );
}

#[test]
fn bad_rows_of_a_mapped_file_name_the_line_and_the_files_column() {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    add_customer(&mut store, "Ana Lima", "ana@example.com");
    add_product(&mut store, "MUG-1", "Blue mug", "12.50", 5);
    let file = write(
        dir.path(),
        "sales.csv",
        "Order ID,Created,Customer Email,Item SKU,Qty,Unit Price\n\
         W1,2024-01-05,ana@example.com,MUG-1,2,12.50\n\
         W2,2024-01-06,ana@example.com,MUG-1,two,12.50\n\
         W3,05/01/2024,ana@example.com,MUG-1,1,12.50\n",
    );
    let h = import::preview(&file, ImportKind::Orders, 0)
        .unwrap()
        .headers;
    let fields = columns::guess(ImportKind::Orders, &h);
    let before = dump(&store);
    let err = mapped(&mut store, ImportKind::Orders, &file, &fields).unwrap_err();
    let found: Vec<(u64, String)> = match &err {
        ImportError::Rows { problems, .. } => problems
            .iter()
            .map(|p| (p.line, p.column.clone()))
            .collect(),
        other => panic!("expected row problems, got {other}"),
    };
    assert_eq!(
        found,
        vec![
            (3, "Qty (quantity)".to_owned()),
            (4, "Created (order_date)".to_owned())
        ]
    );
    assert!(
        err.full().contains("line 3, Qty (quantity):"),
        "{}",
        err.full()
    );
    assert_eq!(dump(&store), before, "nothing is written when a row is bad");

    // Fixed, it imports: the quantities and prices as the file gave them.
    let file = write(
        dir.path(),
        "sales.csv",
        "Order ID,Created,Customer Email,Item SKU,Qty,Unit Price\n\
         W1,2024-01-05,ana@example.com,MUG-1,2,12.50\n\
         W2,2024-01-06,ana@example.com,MUG-1,1,11.00\n",
    );
    let summary = mapped(&mut store, ImportKind::Orders, &file, &fields).unwrap();
    assert_eq!(summary.message(), "Imported 2 orders (2 order lines).");
    let stock: i64 = store
        .conn()
        .query_row("SELECT stock FROM products WHERE sku = 'MUG-1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stock, 2);
    let total: i64 = store
        .conn()
        .query_row("SELECT sum(total) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(total, 2 * 1250 + 1100);
    assert_checks(&store);
}
