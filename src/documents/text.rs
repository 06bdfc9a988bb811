//! The documents' fonts and text: egui's Ubuntu face (Latin, Greek,
//! Cyrillic, embedded in the program already) first, then the system's
//! fallbacks for the scripts it lacks (CJK, Arabic… found once per run with
//! `crate::fonts`). A line of text is cut into runs, each drawn with the
//! first face that has its letters; widths are measured with skrifa's glyph
//! metrics (right-aligned amounts, names wrapped to their column). A line
//! that holds right-to-left letters (Arabic, Hebrew) is put in visual order
//! first with the Unicode bidirectional algorithm (`unicode-bidi`; the
//! line's direction is that of its first strong letter): `visual` gives its
//! pieces left to right, each of one face and one direction.

use std::sync::{Arc, OnceLock};

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// One face: its bytes for measuring, and krilla's handle for drawing.
pub struct Face {
    data: Arc<dyn AsRef<[u8]> + Send + Sync>,
    index: u32,
    pub font: krilla::text::Font,
}

impl Face {
    fn new(data: Arc<dyn AsRef<[u8]> + Send + Sync>, index: u32) -> Option<Face> {
        let font = krilla::text::Font::new(krilla::Data::from(Arc::clone(&data)), index)?;
        skrifa::FontRef::from_index((*data).as_ref(), index).ok()?;
        Some(Face { data, index, font })
    }

    fn skrifa(&self) -> Option<skrifa::FontRef<'_>> {
        skrifa::FontRef::from_index((*self.data).as_ref(), self.index).ok()
    }

    fn has(&self, c: char) -> bool {
        self.skrifa().is_some_and(|f| f.charmap().map(c).is_some())
    }
}

/// A piece of a line as drawn: one face, one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'t> {
    pub face: usize,
    pub text: &'t str,
    /// Shaped right to left (its glyphs laid out from its right end).
    pub rtl: bool,
}

/// The faces, best first.
pub struct Fonts {
    pub faces: Vec<Face>,
}

static SYSTEM: OnceLock<Fonts> = OnceLock::new();

impl Fonts {
    /// Ubuntu only: what every document can count on.
    pub fn builtin() -> Fonts {
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(epaint_default_fonts::UBUNTU_LIGHT);
        Fonts {
            faces: Face::new(data, 0).into_iter().collect(),
        }
    }

    /// Ubuntu and the system's fallbacks, looked for once per run.
    pub fn shared() -> &'static Fonts {
        SYSTEM.get_or_init(|| {
            let mut fonts = Fonts::builtin();
            let fallbacks =
                crate::fonts::system_fallbacks(&[(epaint_default_fonts::UBUNTU_LIGHT, 0)]);
            for f in fallbacks {
                let data: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(f.data);
                fonts.faces.extend(Face::new(data, f.index));
            }
            fonts
        })
    }

    /// Which face draws `c`: the first that has it (the first face for a
    /// letter none has: it shows as a box).
    fn face_for(&self, c: char) -> usize {
        if c.is_ascii() {
            return 0;
        }
        self.faces.iter().position(|f| f.has(c)).unwrap_or(0)
    }

    /// `text` cut into runs of one face each; spaces and punctuation stay
    /// with the run they are in.
    pub fn runs<'t>(&self, text: &'t str) -> Vec<(usize, &'t str)> {
        let mut runs: Vec<(usize, &'t str)> = Vec::new();
        let mut start = 0;
        let mut current: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let neutral = c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_digit();
            // Spaces, digits and punctuation stay in the run they are in when
            // its face has them (a CJK face may lack Latin digits).
            if neutral && current.is_some_and(|f| self.faces.get(f).is_some_and(|f| f.has(c))) {
                continue;
            }
            let face = self.face_for(c);
            match current {
                Some(f) if f == face => {}
                Some(f) => {
                    runs.push((f, &text[start..i]));
                    start = i;
                    current = Some(face);
                }
                None => current = Some(face),
            }
        }
        if start < text.len() {
            runs.push((current.unwrap_or(0), &text[start..]));
        }
        runs
    }

    /// `text` as drawn, left to right: its runs of one direction in visual
    /// order (the Unicode bidirectional algorithm), each cut into runs of
    /// one face (right to left within a right-to-left run). A line without
    /// right-to-left letters is its `runs`, left to right.
    pub fn visual<'t>(&self, text: &'t str) -> Vec<Piece<'t>> {
        let ltr = |(face, text)| Piece {
            face,
            text,
            rtl: false,
        };
        // No right-to-left letter or mark comes before U+0590 (Hebrew).
        if text.chars().all(|c| c < '\u{0590}') {
            return self.runs(text).into_iter().map(ltr).collect();
        }
        let info = unicode_bidi::BidiInfo::new(text, None);
        if !info.has_rtl() {
            return self.runs(text).into_iter().map(ltr).collect();
        }
        let mut pieces = Vec::new();
        for para in &info.paragraphs {
            let (levels, runs) = info.visual_runs(para, para.range.clone());
            for run in runs {
                let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
                let Some(part) = text.get(run) else {
                    continue;
                };
                // A paragraph's end (a line break) is not drawn.
                let part = part.trim_end_matches(['\n', '\r']);
                let mut faces: Vec<Piece<'t>> = self
                    .runs(part)
                    .into_iter()
                    .map(|(face, text)| Piece { face, text, rtl })
                    .collect();
                if rtl {
                    faces.reverse();
                }
                pieces.extend(faces);
            }
        }
        pieces
    }

    /// How wide `text` is at `size` points: the sum of its glyphs' advances.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.runs(text)
            .into_iter()
            .map(|(face, run)| {
                let Some(font) = self.faces.get(face).and_then(Face::skrifa) else {
                    return 0.0;
                };
                let charmap = font.charmap();
                let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
                run.chars()
                    .filter_map(|c| charmap.map(c))
                    .filter_map(|g| metrics.advance_width(g))
                    .sum::<f32>()
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width` (at word boundaries;
    /// a word wider than the line is cut between letters).
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_add_up_and_long_names_wrap() {
        let fonts = Fonts::builtin();
        let one = fonts.width("0", 10.0);
        assert!(one > 3.0 && one < 8.0, "{one}");
        assert!((fonts.width("00", 10.0) - 2.0 * one).abs() < 0.01);
        let lines = fonts.wrap("A very long product name that goes on and on", 10.0, 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| fonts.width(l, 10.0) <= 60.0),
            "{lines:?}"
        );
        assert_eq!(
            lines.join(" "),
            "A very long product name that goes on and on"
        );
    }

    /// A digit after letters of a face without digits (a CJK face may
    /// lack them) goes to a face that has it, not into a box.
    #[test]
    fn digits_leave_a_face_that_lacks_them() {
        let emoji: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(epaint_default_fonts::EMOJI_ICON);
        let mut fonts = Fonts::builtin();
        fonts.faces.extend(Face::new(emoji, 0));
        let face = fonts.faces.get(1).expect("the icon face");
        let icon = ('\u{2600}'..'\u{27bf}')
            .find(|c| face.has(*c) && !fonts.faces[0].has(*c))
            .expect("an icon only that face has");
        assert!(!face.has('7'));
        let text = format!("{icon}7");
        let runs = fonts.runs(&text);
        assert_eq!(runs.last().map(|r| r.0), Some(0), "{runs:?}");
    }

    /// A Hebrew address with a house number and a Latin city: the city is
    /// drawn first (leftmost), the number reads 12 (not 21), the Hebrew
    /// words run right to left.
    #[test]
    fn a_mixed_line_is_drawn_in_visual_order() {
        let fonts = Fonts::builtin();
        let pieces = fonts.visual("רחוב הרצל 12, Tel Aviv");
        let drawn: Vec<(&str, bool)> = pieces.iter().map(|p| (p.text, p.rtl)).collect();
        assert_eq!(
            drawn,
            [
                ("Tel Aviv", false),
                (", ", true),
                ("12", false),
                ("רחוב הרצל ", true)
            ]
        );
        // A left-to-right line with an Arabic name in it keeps its order.
        let pieces = fonts.visual("Bill to: سارة أحمد (VIP) 2");
        let drawn: Vec<(&str, bool)> = pieces.iter().map(|p| (p.text, p.rtl)).collect();
        assert_eq!(
            drawn,
            [
                ("Bill to: ", false),
                ("سارة أحمد", true),
                (" (VIP) 2", false)
            ]
        );
        // Plain lines are their runs.
        assert_eq!(
            fonts.visual("Zoë Ж 12"),
            [Piece {
                face: 0,
                text: "Zoë Ж 12",
                rtl: false
            }]
        );
    }

    #[test]
    fn a_line_is_cut_into_runs_by_face() {
        let fonts = Fonts::builtin();
        assert_eq!(fonts.runs("Zoë Ж 12"), vec![(0, "Zoë Ж 12")]);
    }
}
