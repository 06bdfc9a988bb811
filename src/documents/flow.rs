//! Text flowing down the pages of one document: a cursor, a new page when
//! the next block does not fit (with the document's name and the table's
//! header again), the footer and "Page 1 of 3" on every page.

use super::Shop;
use super::page::{Op, Sheet};
use super::text::Fonts;

pub const MARGIN: f32 = 42.0;
pub const BODY: f32 = 9.0;
pub const SMALL: f32 = 7.5;
pub const LINE: f32 = 12.0;

/// A column of a table: its title, where it starts and ends, how it aligns.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub left: f32,
    pub right: f32,
    pub right_aligned: bool,
}

pub struct Flow<'a> {
    pub fonts: &'a Fonts,
    pub width: f32,
    height: f32,
    footer: Vec<String>,
    /// "Invoice INV-00042": at the top of each page after the first.
    name: String,
    sheets: Vec<Sheet>,
    pub y: f32,
    /// The table being drawn, whose header a new page repeats.
    table: Option<Vec<Column>>,
}

impl<'a> Flow<'a> {
    pub fn new(shop: &Shop, fonts: &'a Fonts, name: String) -> Flow<'a> {
        let (width, height) = shop.identity.paper.size();
        let footer: Vec<String> = shop
            .identity
            .footer
            .lines()
            .flat_map(|l| fonts.wrap(l, SMALL, width - 2.0 * MARGIN))
            .filter(|l| !l.trim().is_empty())
            .collect();
        Flow {
            fonts,
            width,
            height,
            footer,
            name,
            sheets: vec![Sheet::default()],
            y: MARGIN,
            table: None,
        }
    }

    pub fn right(&self) -> f32 {
        self.width - MARGIN
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN - 14.0 - self.footer.len() as f32 * (SMALL + 2.0)
    }

    pub fn sheet(&mut self) -> &mut Sheet {
        if self.sheets.is_empty() {
            self.sheets.push(Sheet::default());
        }
        let last = self.sheets.len() - 1;
        &mut self.sheets[last]
    }

    /// Makes room for `height` points, on a new page if need be.
    pub fn need(&mut self, height: f32) {
        if self.y + height <= self.bottom() {
            return;
        }
        self.sheets.push(Sheet::default());
        self.y = MARGIN;
        let name = format!("{} (continued)", self.name);
        self.y += BODY;
        self.sheet().text(MARGIN, MARGIN + BODY, BODY, name);
        self.y += LINE;
        if let Some(columns) = self.table.clone() {
            self.header(&columns);
        }
    }

    /// A line of text at the left margin (or `x`).
    pub fn line(&mut self, x: f32, size: f32, text: &str) {
        self.need(size + 3.0);
        self.y += size + 3.0;
        let y = self.y;
        self.sheet().text(x, y, size, text);
    }

    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    pub fn rule(&mut self, width: f32) {
        let (y, right) = (self.y + 3.0, self.right());
        self.sheet().rule(MARGIN, right, y, width);
        self.y += 4.0;
    }

    /// Starts a table: its header now, and again atop each new page.
    pub fn start_table(&mut self, columns: &[Column]) {
        self.need(3.0 * LINE);
        self.header(columns);
        self.table = Some(columns.to_vec());
    }

    pub fn end_table(&mut self) {
        self.table = None;
    }

    fn header(&mut self, columns: &[Column]) {
        self.y += LINE;
        let y = self.y;
        for c in columns {
            let fonts = self.fonts;
            if c.right_aligned {
                self.sheet().text_right(fonts, c.right, y, BODY, c.title);
            } else {
                self.sheet().text(c.left, y, BODY, c.title);
            }
        }
        self.rule(0.8);
    }

    /// One row: each cell's lines (a long name wraps over several), the row
    /// kept whole on one page. Returns the row's top.
    pub fn row(&mut self, cells: &[(Column, Vec<String>)]) -> f32 {
        let lines = cells.iter().map(|(_, l)| l.len()).max().unwrap_or(1).max(1);
        let h = lines as f32 * LINE + 3.0;
        self.need(h);
        let top = self.y;
        for (c, texts) in cells {
            for (i, t) in texts.iter().enumerate() {
                let y = top + (i + 1) as f32 * LINE;
                let fonts = self.fonts;
                if c.right_aligned {
                    self.sheet().text_right(fonts, c.right, y, BODY, t);
                } else {
                    self.sheet().text(c.left, y, BODY, t.clone());
                }
            }
        }
        self.y = top + h;
        top
    }

    /// The pages, each with the footer and its number.
    pub fn finish(mut self) -> Vec<Sheet> {
        let count = self.sheets.len();
        let (width, height) = (self.width, self.height);
        let footer = std::mem::take(&mut self.footer);
        for (i, sheet) in self.sheets.iter_mut().enumerate() {
            let mut y = height - MARGIN - footer.len() as f32 * (SMALL + 2.0);
            for l in &footer {
                y += SMALL + 2.0;
                sheet.text(MARGIN, y, SMALL, l.clone());
            }
            let label = format!("Page {} of {count}", i + 1);
            let w = self.fonts.width(&label, SMALL);
            sheet.ops.push(Op::Text {
                x: width - MARGIN - w,
                y: height - MARGIN + 14.0,
                size: SMALL,
                text: label,
            });
        }
        self.sheets
    }
}
