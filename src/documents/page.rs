//! Pages as lists of what to draw (text at a point, rules, boxes, a
//! picture), laid out first and handed to krilla at the end of a document
//! (so a page can say "Page 1 of 3"). Coordinates are PDF points from the
//! top left corner; a text's y is its baseline.

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::TextDirection;

use super::text::Fonts;

/// One thing drawn on a page.
#[derive(Debug, Clone)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// An empty square (the packing slip's tick box).
    Square {
        x: f32,
        y: f32,
        side: f32,
    },
    Logo {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// A page being laid out.
#[derive(Debug, Default)]
pub struct Sheet {
    pub ops: Vec<Op>,
}

impl Sheet {
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.ops.push(Op::Text { x, y, size, text });
        }
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, fonts: &Fonts, right: f32, y: f32, size: f32, text: &str) {
        let w = fonts.width(text, size);
        self.text(right - w, y, size, text);
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        self.ops.push(Op::Rule {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
        });
    }

    pub fn square(&mut self, x: f32, y: f32, side: f32) {
        self.ops.push(Op::Square { x, y, side });
    }
}

/// Draws `sheet` as a new page of `doc`.
pub fn draw(
    doc: &mut Document,
    fonts: &Fonts,
    paper: (f32, f32),
    sheet: &Sheet,
    logo: Option<&krilla::image::Image>,
) {
    let Some(settings) = PageSettings::from_wh(paper.0, paper.1) else {
        return;
    };
    let mut page = doc.start_page_with(settings);
    let mut surface = page.surface();
    for op in &sheet.ops {
        match op {
            Op::Text { x, y, size, text } => {
                let mut x = *x;
                for piece in fonts.visual(text) {
                    let Some(f) = fonts.faces.get(piece.face) else {
                        continue;
                    };
                    let direction = if piece.rtl {
                        TextDirection::RightToLeft
                    } else {
                        TextDirection::LeftToRight
                    };
                    surface.draw_text(
                        Point::from_xy(x, *y),
                        f.font.clone(),
                        *size,
                        piece.text,
                        false,
                        direction,
                    );
                    x += fonts.width(piece.text, *size);
                }
            }
            Op::Rule {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x1, *y1);
                pb.line_to(*x2, *y2);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        width: *width,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                    surface.set_fill(Some(krilla::paint::Fill::default()));
                }
            }
            Op::Square { x, y, side } => {
                let mut pb = PathBuilder::new();
                if let Some(rect) = Rect::from_xywh(*x, *y, *side, *side) {
                    pb.push_rect(rect);
                }
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        width: 0.8,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                    surface.set_fill(Some(krilla::paint::Fill::default()));
                }
            }
            Op::Logo { x, y, w, h } => {
                if let (Some(image), Some(size)) = (logo, Size::from_wh(*w, *h)) {
                    surface.push_transform(&Transform::from_translate(*x, *y));
                    surface.draw_image(image.clone(), size);
                    surface.pop();
                }
            }
        }
    }
    surface.finish();
    page.finish();
}
