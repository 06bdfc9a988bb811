//! Which of our columns each column of a file feeds, when the file does not
//! use our names: a guess from the names spreadsheets and shops use ("E-mail",
//! "Qty", "Zip", "Created"), the choice made in the import dialog or given
//! with `--map "Their column=our_column,..."`, and that choice remembered
//! for the next file with the same header (in the settings, keyed by a hash
//! of the header). Checking a choice is `Mapping::from_fields`.

use super::{ImportError, ImportKind, normalise};

/// For each of the file's columns, the column of ours it feeds (None: ignored).
pub type Fields = Vec<Option<&'static str>>;

/// What a column that feeds nothing is called in a mapping.
pub const IGNORE: &str = "ignore";

/// Other names for our columns, written as `normalise` leaves them.
fn synonyms(kind: ImportKind) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        ImportKind::Customers => &[
            (
                "name",
                &[
                    "full_name",
                    "customer_name",
                    "customer",
                    "contact",
                    "contact_name",
                ],
            ),
            (
                "email",
                &[
                    "e_mail",
                    "email_address",
                    "e_mail_address",
                    "customer_email",
                    "mail",
                ],
            ),
            (
                "phone",
                &["telephone", "phone_number", "tel", "mobile", "mobile_phone"],
            ),
            (
                "address",
                &[
                    "address1",
                    "address_1",
                    "address_line_1",
                    "street",
                    "street_address",
                ],
            ),
            ("city", &["town", "town_city"]),
            (
                "postal_code",
                &[
                    "zip",
                    "zip_code",
                    "zipcode",
                    "postcode",
                    "post_code",
                    "postal",
                ],
            ),
            (
                "country",
                &[
                    "country_code",
                    "nation",
                    // WooCommerce's customers report, and a billing column.
                    "country_/_region",
                    "country/region",
                    "billing_country",
                ],
            ),
            ("notes", &["note", "comment", "comments", "remarks"]),
            (
                "customer_number",
                &["customer_id", "customer_no", "client_number", "id"],
            ),
            ("archived", &["inactive"]),
        ],
        ImportKind::Products => &[
            (
                "sku",
                &[
                    "variant_sku",
                    "item_code",
                    "product_code",
                    "code",
                    "article_number",
                    "item_number",
                ],
            ),
            (
                "name",
                &["title", "product_name", "product", "item", "item_name"],
            ),
            ("category", &["type", "product_type", "categories", "group"]),
            (
                "price",
                &[
                    "unit_price",
                    "retail_price",
                    "regular_price",
                    "variant_price",
                    "selling_price",
                    "sale_price",
                ],
            ),
            (
                "cost",
                &[
                    "cost_price",
                    "cost_per_item",
                    "unit_cost",
                    "purchase_price",
                    "buying_price",
                ],
            ),
            (
                "stock",
                &[
                    "qty",
                    "quantity",
                    "inventory",
                    "stock_quantity",
                    "on_hand",
                    "in_stock",
                    "stock_level",
                    "variant_inventory_qty",
                ],
            ),
            (
                "reorder_level",
                &[
                    "reorder_point",
                    "min_stock",
                    "minimum_stock",
                    "low_stock_amount",
                ],
            ),
            (
                "description",
                &[
                    "body",
                    "body_html",
                    "body_(html)",
                    "details",
                    "long_description",
                ],
            ),
            ("archived", &["inactive"]),
        ],
        ImportKind::Orders => &[
            (
                "order_ref",
                &[
                    "order",
                    "order_id",
                    "reference",
                    "ref",
                    "order_reference",
                    "transaction_id",
                ],
            ),
            (
                "order_date",
                &[
                    "date",
                    "created",
                    "created_at",
                    "order_created",
                    "date_created",
                    "ordered",
                    "ordered_at",
                    "placed",
                    "placed_at",
                    "purchase_date",
                    "order_time",
                ],
            ),
            (
                "customer_email",
                &[
                    "email",
                    "e_mail",
                    "email_address",
                    "buyer_email",
                    "customer_e_mail",
                ],
            ),
            ("status", &["order_status", "state"]),
            (
                "sku",
                &[
                    "item_sku",
                    "product_sku",
                    "lineitem_sku",
                    "variant_sku",
                    "product_code",
                    "item_code",
                    "code",
                ],
            ),
            (
                "quantity",
                &[
                    "qty",
                    "units",
                    "lineitem_quantity",
                    "item_quantity",
                    "count",
                ],
            ),
            (
                "unit_price",
                &[
                    "price",
                    "item_price",
                    "lineitem_price",
                    "price_each",
                    "each",
                ],
            ),
            (
                "order_number",
                &["number", "order_no", "order_#", "order_nr"],
            ),
            (
                "customer_number",
                &["customer_id", "customer_no", "client_number"],
            ),
            ("line_discount", &["lineitem_discount", "item_discount"]),
            ("order_discount", &["discount", "discount_amount"]),
            (
                "discount_code",
                &[
                    "coupon",
                    "coupon_code",
                    "promo_code",
                    "voucher",
                    "voucher_code",
                ],
            ),
            (
                "shipping",
                &[
                    "shipping_cost",
                    "shipping_amount",
                    "delivery",
                    "delivery_cost",
                    "postage",
                ],
            ),
            ("tax", &["taxes", "vat", "sales_tax", "tax_amount"]),
            ("paid", &["amount_paid", "paid_amount"]),
            ("payment_method", &["payment", "paid_by", "payment_type"]),
            ("refunded", &["refunded_amount", "refund", "refund_amount"]),
            ("unit_cost", &["cost", "cost_price", "cost_per_item"]),
        ],
    }
}

/// Our column called `name` (any case, spaces or dashes), if there is one.
pub fn ours(kind: ImportKind, name: &str) -> Option<&'static str> {
    let key = normalise(name);
    kind.columns().iter().map(|(c, _)| *c).find(|c| *c == key)
}

/// The column of ours each of the file's columns feeds by its name alone:
/// our own names first (ignoring case, spaces and dashes), then the other
/// names of `synonyms` for the columns still free. A name no column
/// answers to, or whose column a column before it took, is ignored.
pub fn guess(kind: ImportKind, headers: &[String]) -> Fields {
    let mut fields: Fields = headers.iter().map(|h| ours(kind, h)).collect();
    for (i, h) in headers.iter().enumerate() {
        if fields[i].is_some() {
            continue;
        }
        let key = normalise(h);
        let found = synonyms(kind)
            .iter()
            .find(|(_, names)| names.contains(&key.as_str()))
            .map(|(c, _)| *c);
        if let Some(c) = found
            && !fields.contains(&Some(c))
        {
            fields[i] = Some(c);
        }
    }
    fields
}

/// Why a `--map` was not taken.
fn bad_map(detail: String) -> ImportError {
    ImportError::Map(detail)
}

/// Reads `--map "Their column=our_column,..."` onto `fields` (the file's
/// `headers`, each column by our name when it has one): each pair makes the
/// file's column feed ours (or `ignore`), and takes ours from a column that
/// fed it by name.
pub fn apply_map(
    kind: ImportKind,
    headers: &[String],
    fields: &mut Fields,
    map: &str,
) -> Result<(), ImportError> {
    let known = || {
        kind.columns()
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for pair in map.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((theirs, our)) = pair.rsplit_once('=') else {
            return Err(bad_map(format!(
                "\"{}\" is not a pair; write it as \"Their column=our_column\"",
                super::echo(pair)
            )));
        };
        let (theirs, our) = (theirs.trim(), our.trim());
        let Some(column) = headers.iter().position(|h| h.trim() == theirs).or_else(|| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(theirs))
        }) else {
            return Err(bad_map(format!(
                "the file has no column \"{}\"; its columns are {}",
                super::echo(theirs),
                super::names(headers)
            )));
        };
        let field = if our.eq_ignore_ascii_case(IGNORE) {
            None
        } else {
            match ours(kind, our) {
                Some(c) => Some(c),
                None => {
                    return Err(bad_map(format!(
                        "Shopkeeper has no {} column \"{}\"; use one of {}, or {IGNORE}",
                        kind.name(),
                        super::echo(our),
                        known()
                    )));
                }
            }
        };
        if let Some(f) = field {
            for other in fields.iter_mut() {
                if *other == Some(f) {
                    *other = None;
                }
            }
        }
        fields[column] = field;
    }
    Ok(())
}

/// How an import finds which of our columns each of the file's feeds.
#[derive(Debug, Clone, Copy)]
pub enum Columns<'a> {
    /// Each by our name (ignoring case, spaces and dashes); others ignored.
    ByName,
    /// As chosen, one per file column (the import dialog).
    Chosen(&'a [Option<&'static str>]),
    /// By our names, then the pairs of `--map "Their column=our_column,..."`.
    Map(&'a str),
    /// The mapping remembered for the file's header, else by our names
    /// (the command line without `--map`).
    Remembered,
}

/// The settings key a header's remembered mapping is kept under: the kind
/// and a hash (FNV-1a, the same in every version) of the header's names.
pub fn header_key(kind: ImportKind, headers: &[String]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for h in headers {
        for b in h.trim().bytes().chain([0x1f]) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("import_columns.{}.{hash:016x}", kind.name())
}

/// A mapping as the settings keep it: a line per file column, our column's
/// name or `ignore`.
pub fn to_text(fields: &[Option<&'static str>]) -> String {
    fields
        .iter()
        .map(|f| f.unwrap_or(IGNORE))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A kept mapping read back, if it still fits a header of `width` columns
/// (anything else kept there is not used).
pub fn from_text(kind: ImportKind, text: &str, width: usize) -> Option<Fields> {
    let fields: Option<Fields> = text
        .split('\n')
        .map(|name| match name {
            IGNORE => Some(None),
            other => ours(kind, other).map(Some),
        })
        .collect();
    fields.filter(|f| f.len() == width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    /// WooCommerce's customers report names the country "Country / Region"
    /// (a French tryout's customers came in with none).
    #[test]
    fn woocommerces_country_region_is_the_country() {
        let h = headers(&["Name", "Email", "Country / Region", "Postal code", "City"]);
        assert_eq!(
            guess(ImportKind::Customers, &h),
            vec![
                Some("name"),
                Some("email"),
                Some("country"),
                Some("postal_code"),
                Some("city")
            ]
        );
    }

    #[test]
    fn names_that_shops_use_are_guessed() {
        let h = headers(&["Full Name", "E-mail", "Zip", "Town", "Favourite colour"]);
        assert_eq!(
            guess(ImportKind::Customers, &h),
            vec![
                Some("name"),
                Some("email"),
                Some("postal_code"),
                Some("city"),
                None
            ]
        );
        let h = headers(&[
            "Customer Email",
            "Created",
            "Qty",
            "Unit Price",
            "Item SKU",
            "Order ID",
        ]);
        assert_eq!(
            guess(ImportKind::Orders, &h),
            vec![
                Some("customer_email"),
                Some("order_date"),
                Some("quantity"),
                Some("unit_price"),
                Some("sku"),
                Some("order_ref")
            ]
        );
        // "Customer Email" names the customers' email too.
        let h = headers(&["Name", "Customer Email"]);
        assert_eq!(
            guess(ImportKind::Customers, &h),
            vec![Some("name"), Some("email")]
        );
        // Our own name wins over another name, wherever it stands; a second
        // column answering to a taken column is ignored.
        let h = headers(&["Qty", "Stock", "Quantity"]);
        assert_eq!(
            guess(ImportKind::Products, &h),
            vec![None, Some("stock"), None]
        );
    }

    #[test]
    fn a_map_overrides_the_names() {
        let h = headers(&["Who", "name", "Mail"]);
        let mut fields = guess(ImportKind::Customers, &h);
        assert_eq!(fields, vec![None, Some("name"), Some("email")]);
        apply_map(
            ImportKind::Customers,
            &h,
            &mut fields,
            "Who=name, Mail = ignore",
        )
        .unwrap();
        assert_eq!(fields, vec![Some("name"), None, None]);
        for (bad, says) in [
            ("Nobody=name", "the file has no column \"Nobody\""),
            ("Who=nickname", "no customers column \"nickname\""),
            ("Who", "is not a pair"),
        ] {
            let e = apply_map(ImportKind::Customers, &h, &mut fields, bad).unwrap_err();
            assert!(e.to_string().contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn a_kept_mapping_reads_back_only_where_it_fits() {
        let fields = vec![Some("name"), None, Some("email")];
        let text = to_text(&fields);
        assert_eq!(from_text(ImportKind::Customers, &text, 3), Some(fields));
        assert_eq!(from_text(ImportKind::Customers, &text, 2), None);
        assert_eq!(from_text(ImportKind::Customers, "name\nshoe size", 2), None);
        let a = header_key(ImportKind::Customers, &headers(&["A", "B"]));
        assert_eq!(
            a,
            header_key(ImportKind::Customers, &headers(&[" A", "B "]))
        );
        assert_ne!(a, header_key(ImportKind::Customers, &headers(&["AB"])));
        assert_ne!(a, header_key(ImportKind::Products, &headers(&["A", "B"])));
    }
}
