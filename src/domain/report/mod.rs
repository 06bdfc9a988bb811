//! Reports as plain data: which report, with which parameters (`ReportSpec`),
//! and the table it produces (`ReportTable`). One definition feeds the screen,
//! the CSV and Excel files and the command line.

mod columns;
mod percent;
pub use percent::percent;

use super::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReportKind {
    #[default]
    SalesByDate,
    CustomerHistory,
    /// Everything the shop holds about one customer, for their request to
    /// see it (the GDPR's right of access).
    CustomerData,
    InventoryMovements,
    StockLevels,
    TopProducts,
    TopCustomers,
    OrderLines,
    /// Every customer, in the columns of a customers import file.
    Customers,
    /// Every product, in the columns of a products import file.
    Products,
    /// Every order line, in the columns of an orders import file.
    Orders,
    /// Tax per period and rate (and the tax refunds gave back).
    Tax,
    /// Every payment and refund, by the day it was made.
    Payments,
    /// What came in and went out per period and payment method (to match
    /// the card processor's, PayPal's and the till's statements).
    PaymentsByMethod,
    /// Revenue, cost and margin per product.
    Margin,
    /// Revenue, cost and margin per product category (`margin --by category`).
    MarginByCategory,
    /// Revenue after refunds per week of the year of the end date, beside
    /// the same week a year before (Insights > Time).
    YearOverYear,
    /// Sales per weekday and hour of the day (Insights > Time's heat map).
    WeekdayHour,
    /// Each customer's lifetime value (customer insights).
    CustomerValue,
    /// Each customer's RFM scores and segment.
    Segments,
    /// Customers by month of first sale x months since: who ordered again.
    Cohorts,
    /// Revenue by month of new against returning customers.
    NewReturning,
    /// Revenue, cost and margin per month (`margin --by month`).
    MarginByMonth,
    /// Products in ABC classes by their revenue over the range.
    Abc,
    /// The products that run out within their lead time and cover days.
    Reorder,
    /// Products in stock that did not sell for a while (a setting).
    DeadStock,
}

impl ReportKind {
    /// In the order the window lists them: sales and money first, the three
    /// files for import last.
    pub const ALL: [ReportKind; 26] = [
        ReportKind::SalesByDate,
        ReportKind::TopProducts,
        ReportKind::TopCustomers,
        ReportKind::Tax,
        ReportKind::Payments,
        ReportKind::PaymentsByMethod,
        ReportKind::Margin,
        ReportKind::MarginByCategory,
        ReportKind::MarginByMonth,
        ReportKind::CustomerHistory,
        ReportKind::CustomerData,
        ReportKind::InventoryMovements,
        ReportKind::StockLevels,
        ReportKind::OrderLines,
        ReportKind::YearOverYear,
        ReportKind::WeekdayHour,
        ReportKind::CustomerValue,
        ReportKind::Segments,
        ReportKind::Cohorts,
        ReportKind::NewReturning,
        ReportKind::Abc,
        ReportKind::Reorder,
        ReportKind::DeadStock,
        ReportKind::Customers,
        ReportKind::Products,
        ReportKind::Orders,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::SalesByDate => "sales-by-date",
            ReportKind::CustomerHistory => "customer-history",
            ReportKind::CustomerData => "customer-data",
            ReportKind::InventoryMovements => "inventory-movements",
            ReportKind::StockLevels => "stock-levels",
            ReportKind::TopProducts => "top-products",
            ReportKind::TopCustomers => "top-customers",
            ReportKind::OrderLines => "order-lines",
            ReportKind::Customers => "customers",
            ReportKind::Products => "products",
            ReportKind::Orders => "orders",
            ReportKind::Tax => "tax",
            ReportKind::Payments => "payments",
            ReportKind::PaymentsByMethod => "payments-by-method",
            ReportKind::Margin => "margin",
            ReportKind::MarginByCategory => "margin-by-category",
            ReportKind::YearOverYear => "year-over-year",
            ReportKind::WeekdayHour => "weekday-hour",
            ReportKind::CustomerValue => "customer-value",
            ReportKind::Segments => "segments",
            ReportKind::Cohorts => "cohorts",
            ReportKind::NewReturning => "new-returning",
            ReportKind::MarginByMonth => "margin-by-month",
            ReportKind::Abc => "abc",
            ReportKind::Reorder => "reorder",
            ReportKind::DeadStock => "dead-stock",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportKind::SalesByDate => "Sales by date",
            ReportKind::CustomerHistory => "Customer order history",
            ReportKind::CustomerData => "A customer's data (for their request)",
            ReportKind::InventoryMovements => "Inventory movements",
            ReportKind::StockLevels => "Stock levels",
            ReportKind::TopProducts => "Top products",
            ReportKind::TopCustomers => "Top customers",
            ReportKind::OrderLines => "Order lines",
            ReportKind::Customers => "All customers (for import)",
            ReportKind::Products => "All products (for import)",
            ReportKind::Orders => "All orders (for import)",
            ReportKind::Tax => "Tax",
            ReportKind::Payments => "Payments and refunds",
            ReportKind::PaymentsByMethod => "Payments by method",
            ReportKind::Margin => "Margin by product",
            ReportKind::MarginByCategory => "Margin by category",
            ReportKind::YearOverYear => "This year against last, by week",
            ReportKind::WeekdayHour => "Sales by weekday and hour",
            ReportKind::CustomerValue => "Customer lifetime value",
            ReportKind::Segments => "Customer segments (RFM)",
            ReportKind::Cohorts => "Customer cohorts",
            ReportKind::NewReturning => "New and returning customers",
            ReportKind::MarginByMonth => "Margin by month",
            ReportKind::Abc => "ABC classes by revenue",
            ReportKind::Reorder => "What to reorder",
            ReportKind::DeadStock => "Dead stock",
        }
    }

    /// Whether the report is by day, week or month (`by`).
    pub fn uses_period(self) -> bool {
        matches!(
            self,
            ReportKind::SalesByDate | ReportKind::Tax | ReportKind::PaymentsByMethod
        )
    }

    /// Which parameters the report takes.
    pub fn uses_dates(self) -> bool {
        !matches!(
            self,
            ReportKind::StockLevels
                | ReportKind::Customers
                | ReportKind::Products
                | ReportKind::CustomerData
                | ReportKind::CustomerValue
                | ReportKind::Segments
        )
    }

    /// Whether the report stands on one day, its end date, instead of a
    /// range (it takes no start date): the reorder list and dead stock as
    /// of that day, year over year the year of that day against the year
    /// before.
    pub fn as_of(self) -> bool {
        matches!(
            self,
            ReportKind::YearOverYear | ReportKind::Reorder | ReportKind::DeadStock
        )
    }

    /// The columns summed in the totals row (none: no totals row).
    pub fn totalled(self) -> &'static [&'static str] {
        match self {
            ReportKind::SalesByDate => &[
                "orders",
                "items",
                "gross_sales",
                "discounts",
                "revenue",
                "shipping",
                "tax",
                "total",
                "refunds",
            ],
            // Every order is listed; items are not summed across sales and
            // cancelled or returned orders.
            ReportKind::CustomerHistory => &["sales", "refunded", "cancelled_or_returned"],
            // Facts of many kinds: nothing adds up.
            ReportKind::CustomerData => &[],
            ReportKind::InventoryMovements => &["change"],
            ReportKind::StockLevels => &["stock", "value"],
            ReportKind::TopProducts => &["quantity", "revenue"],
            ReportKind::TopCustomers => &["orders", "revenue"],
            ReportKind::OrderLines => &["quantity", "line_total"],
            ReportKind::Tax => &["taxable", "tax", "with_tax"],
            ReportKind::Payments => &["amount"],
            ReportKind::PaymentsByMethod => &["payments", "received", "refunds", "refunded", "net"],
            ReportKind::Margin | ReportKind::MarginByCategory | ReportKind::MarginByMonth => &[
                "quantity",
                "revenue",
                "cost",
                "margin",
                "revenue_without_cost",
            ],
            ReportKind::YearOverYear => &["this_year", "last_year"],
            ReportKind::WeekdayHour => &["orders", "revenue"],
            ReportKind::CustomerValue | ReportKind::Segments => &["orders", "revenue"],
            ReportKind::NewReturning => &["new_revenue", "returning_revenue", "revenue"],
            ReportKind::Customers
            | ReportKind::Products
            | ReportKind::Orders
            | ReportKind::Cohorts => &[],
            ReportKind::Abc => &["quantity", "revenue"],
            ReportKind::Reorder => &["suggested_quantity", "order_value"],
            ReportKind::DeadStock => &["stock", "value"],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    #[default]
    Day,
    Week,
    Month,
    /// Three months from January, April, July or October ("2026-Q1"): the
    /// period of a quarterly VAT, GST or sales-tax return.
    Quarter,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Day, Period::Week, Period::Month, Period::Quarter];

    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name.trim())
    }
}

/// A report and its parameters. Dates are inclusive local days 'YYYY-MM-DD'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ReportSpec {
    pub kind: ReportKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Period,
    /// customer-history: an email or a customer number.
    pub customer: Option<String>,
    /// inventory-movements: a SKU.
    pub product: Option<String>,
    /// stock-levels: only products at or below their reorder level.
    pub low_only: bool,
    /// top-products and top-customers: how many rows (default 10).
    pub limit: Option<usize>,
    /// segments: only this segment's customers (a `domain::segments::Segment` name).
    pub segment: Option<String>,
    /// The order the rows are shown in, when not the report's own: the
    /// screen and the file follow it alike.
    pub sort: Option<ReportSort>,
}

/// Rows sorted by one column (0-based), ties broken by the columns in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportSort {
    pub column: usize,
    pub descending: bool,
}

impl ReportSpec {
    pub fn new(kind: ReportKind) -> Self {
        ReportSpec {
            kind,
            ..Default::default()
        }
    }

    /// A file name for the report: "sales-by-day_2026-01-01_2026-03-31.csv".
    pub fn file_name(&self, from: &str, to: &str, extension: &str) -> String {
        let base = match self.kind {
            ReportKind::SalesByDate => format!("sales-by-{}", self.by.name()),
            ReportKind::Tax => format!("tax-by-{}", self.by.name()),
            ReportKind::PaymentsByMethod => format!("payments-by-method-by-{}", self.by.name()),
            k => k.name().to_owned(),
        };
        if self.kind.uses_dates() {
            format!("{base}_{from}_{to}.{extension}")
        } else {
            format!("{base}_{to}.{extension}")
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellKind {
    Text,
    Int,
    /// Money in minor units.
    Amount,
    /// A day 'YYYY-MM-DD'.
    Date,
    /// A percent with one decimal, as text ("-12.5"): a number in files.
    Percent,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cell {
    Empty,
    Int(i64),
    Amount(Money),
    Text(String),
}

impl Cell {
    /// The cell as plain text: amounts with the currency's digits, no symbol.
    pub fn plain(&self, currency: &super::Currency) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Int(n) => n.to_string(),
            Cell::Amount(m) => currency.format_plain(*m),
            Cell::Text(t) => t.clone(),
        }
    }
}

/// A report's result: its columns and rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportTable {
    pub kind: ReportKind,
    pub rows: Vec<Vec<Cell>>,
    /// True when more rows exist than were read (the screen shows a cap).
    pub truncated: bool,
}

impl ReportTable {
    pub fn columns(&self) -> &'static [(&'static str, CellKind)] {
        self.kind.columns()
    }

    /// The totals row of the rows read: "Total" in the first column, sums
    /// where they make sense.
    pub fn totals(&self) -> Option<Vec<Cell>> {
        let mut sum = TotalsSum::new(self.kind);
        for row in &self.rows {
            sum.add(row);
        }
        sum.finish()
    }
}

/// A report's totals row added up one row at a time: over the rows on
/// screen, or over every row of a report longer than the screen holds
/// (read again without keeping them).
#[derive(Debug, Clone)]
pub struct TotalsSum {
    kind: ReportKind,
    cells: Vec<Cell>,
    /// Whether a row had a margin (a sale with a known cost).
    margins: bool,
    /// How many rows were added.
    pub rows: u64,
}

impl TotalsSum {
    pub fn new(kind: ReportKind) -> Self {
        let totalled = kind.totalled();
        let cells = kind
            .columns()
            .iter()
            .map(|(name, cell)| {
                if !totalled.contains(name) {
                    return Cell::Empty;
                }
                match cell {
                    CellKind::Amount => Cell::Amount(Money(0)),
                    _ => Cell::Int(0),
                }
            })
            .collect();
        TotalsSum {
            kind,
            cells,
            margins: false,
            rows: 0,
        }
    }

    pub fn add(&mut self, row: &[Cell]) {
        self.rows += 1;
        // Order lines lists cancelled and returned orders' lines too; its
        // totals, as sales by date's, are of the orders that count as sales.
        if self.kind == ReportKind::OrderLines
            && let Some(Cell::Text(code)) = self.at("status").and_then(|s| row.get(s))
            && crate::domain::OrderStatus::from_code(code).is_some_and(|s| !s.is_sale())
        {
            return;
        }
        // This year against last totals last year over the weeks this year
        // has reached (its later weeks are listed, this year's left empty),
        // so that the two totals compare the same weeks.
        let skip = match (self.at("this_year"), self.at("last_year")) {
            (Some(t), Some(l)) if matches!(row.get(t), Some(Cell::Empty) | None) => Some(l),
            _ => None,
        };
        // The tax report's total taxable amount is of the sales that bore
        // tax: a row at 0 % ("No tax", an exempt rate) lists sales that did
        // not, and a tryout read goods, shipping and an untaxed order added
        // into the "Taxable" a sales-tax return asks for.
        let skip = match (self.kind, self.at("percent")) {
            (ReportKind::Tax, Some(p)) if matches!(row.get(p), Some(Cell::Text(t)) if t == "0") => {
                self.at("taxable")
            }
            _ => skip,
        };
        for (i, (total, cell)) in self.cells.iter_mut().zip(row).enumerate() {
            if Some(i) == skip {
                continue;
            }
            match (total, cell) {
                (Cell::Int(t), Cell::Int(v)) => *t = t.saturating_add(*v),
                (Cell::Amount(t), Cell::Amount(v)) => t.0 = t.0.saturating_add(v.0),
                _ => {}
            }
        }
        if !self.margins
            && let Some(m) = self.at("margin")
        {
            self.margins = matches!(row.get(m), Some(Cell::Amount(_)));
        }
    }

    fn at(&self, name: &str) -> Option<usize> {
        self.kind.columns().iter().position(|(n, _)| *n == name)
    }

    /// The totals row, or None for a report that totals nothing.
    pub fn finish(mut self) -> Option<Vec<Cell>> {
        if self.kind.totalled().is_empty() {
            return None;
        }
        if let Some(first) = self.cells.first_mut() {
            *first = Cell::Text("Total".into());
        }
        self.total_margin_percent();
        Some(self.cells)
    }

    /// A margin report's total margin percent, over the same sales as each
    /// row's: every row's margin is what its sales with a known cost earned
    /// less their cost, so all of them earned the margins and costs summed.
    fn total_margin_percent(&mut self) {
        let (Some(m), Some(c), Some(p)) = (
            self.at("margin"),
            self.at("cost"),
            self.at("margin_percent"),
        ) else {
            return;
        };
        if let (Some(Cell::Amount(margin)), Some(Cell::Amount(cost))) =
            (self.cells.get(m), self.cells.get(c))
        {
            let known = margin.0.saturating_add(cost.0);
            if known > 0 && self.margins {
                self.cells[p] = Cell::Text(percent(margin.0, known));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_file_names() {
        for k in ReportKind::ALL {
            assert_eq!(ReportKind::from_name(k.name()), Some(k));
        }
        let mut s = ReportSpec::new(ReportKind::SalesByDate);
        assert_eq!(
            s.file_name("2026-01-01", "2026-03-31", "csv"),
            "sales-by-day_2026-01-01_2026-03-31.csv"
        );
        s.by = Period::Month;
        assert_eq!(s.file_name("a", "b", "xlsx"), "sales-by-month_a_b.xlsx");
        let s = ReportSpec::new(ReportKind::StockLevels);
        assert_eq!(
            s.file_name("a", "2026-05-01", "csv"),
            "stock-levels_2026-05-01.csv"
        );
    }

    #[test]
    fn the_tax_total_adds_up_the_taxable_sales_that_bore_tax() {
        let text = |t: &str| Cell::Text(t.into());
        let amount = |c: i64| Cell::Amount(Money(c));
        let row = |rate: &str, pct: &str, taxable: i64, tax: i64| {
            vec![
                text("2026-03"),
                text(rate),
                text(pct),
                amount(taxable),
                amount(tax),
                amount(taxable + tax),
            ]
        };
        let t = ReportTable {
            kind: ReportKind::Tax,
            rows: vec![
                row("Sales tax", "7.25", 12960, 939),
                row("Sales tax (refunds)", "7.25", -4050, -294),
                row("Reduced", "5.5", 1000, 55),
                row("No tax", "0", 4350, 0),
                row("No tax (refunds)", "0", -850, 0),
                row("Tax as given", "", 2000, 400),
            ],
            truncated: false,
        };
        let total = t.totals().unwrap();
        assert_eq!(total[3], amount(12960 - 4050 + 1000 + 2000));
        assert_eq!(total[4], amount(939 - 294 + 55 + 400));
        // With tax: every sale, those at 0 % too (a BAS's total sales).
        let all = 12960 - 4050 + 1000 + 4350 - 850 + 2000;
        assert_eq!(total[5], amount(all + 939 - 294 + 55 + 400));
    }

    #[test]
    fn a_margin_total_has_its_margin_percent_over_the_sales_of_a_known_cost() {
        let text = |t: &str| Cell::Text(t.into());
        let amount = |c: i64| Cell::Amount(Money(c));
        let t = ReportTable {
            kind: ReportKind::Margin,
            rows: vec![
                vec![
                    text("A"),
                    text("Alpha"),
                    Cell::Int(2),
                    amount(1000),
                    amount(400),
                    amount(600),
                    text("60.0"),
                    amount(0),
                ],
                // A cost unknown: no margin.
                vec![
                    text("B"),
                    text("Beta"),
                    Cell::Int(1),
                    amount(500),
                    amount(0),
                    Cell::Empty,
                    Cell::Empty,
                    amount(500),
                ],
                vec![
                    text(""),
                    text("Refunds not tied to a product"),
                    Cell::Int(0),
                    amount(-100),
                    amount(0),
                    amount(-100),
                    Cell::Empty,
                    amount(0),
                ],
            ],
            truncated: false,
        };
        // 500 earned over 900 of sales at a known cost (after the refund).
        let totals = t.totals().unwrap();
        assert_eq!(totals[5], amount(500));
        assert_eq!(totals[6], text("55.6"));
        // Nothing of a known cost: no percent.
        let none = ReportTable {
            rows: vec![t.rows[1].clone()],
            ..t.clone()
        };
        assert_eq!(none.totals().unwrap()[6], Cell::Empty);
    }

    #[test]
    fn totals_sum_the_right_columns() {
        let t = ReportTable {
            kind: ReportKind::SalesByDate,
            rows: vec![
                [
                    vec![Cell::Text("2026-01-01".into()), Cell::Int(2), Cell::Int(3)],
                    vec![Cell::Amount(Money(500)); 7],
                ]
                .concat(),
                [
                    vec![Cell::Text("2026-01-02".into()), Cell::Int(1), Cell::Int(1)],
                    vec![Cell::Amount(Money(250)); 7],
                ]
                .concat(),
            ],
            truncated: false,
        };
        assert_eq!(
            t.totals().unwrap(),
            [
                vec![Cell::Text("Total".into()), Cell::Int(3), Cell::Int(4)],
                vec![Cell::Amount(Money(750)); 7]
            ]
            .concat()
        );
    }
}
