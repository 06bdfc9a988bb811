//! The system's fonts as fallbacks for scripts a program's own fonts lack,
//! shared by the window (`ui::fonts`, egui's fonts) and the documents
//! (`documents`, which embed egui's Ubuntu face in PDFs). No egui here.
//!
//! The system's fonts are listed with [`fontdb`]; for each script in
//! [`SCRIPTS`] still wanted, the first regular upright sans face whose
//! character map covers it (checked with [`skrifa`], not by file names) is
//! chosen. Fonts of coloured bitmaps only (Noto Color Emoji) are skipped:
//! both egui and the PDFs draw outlines, so they would come out as blobs.

use std::collections::BTreeSet;

use skrifa::MetadataProvider;
use skrifa::raw::TableProvider;

/// A sample letter for each script a fallback is looked for, with the name
/// the script is known by (for the log of what was found).
pub const SCRIPTS: &[(&str, char)] = &[
    ("Chinese", '王'),
    ("Japanese kana", 'の'),
    ("Korean", '한'),
    ("Arabic", 'م'),
    ("Hebrew", 'ש'),
    ("Devanagari", 'क'),
    ("Bengali", 'ক'),
    ("Tamil", 'த'),
    ("Thai", 'ก'),
    ("Georgian", 'ა'),
    ("Armenian", 'Ա'),
    ("Ethiopic", 'አ'),
    ("Greek", 'λ'),
    ("Cyrillic", 'Ж'),
    ("Vietnamese", 'ệ'),
    ("Emoji", '😀'),
];

/// One face chosen as a fallback: its bytes, index in its file, and the
/// scripts it was chosen for.
pub struct Fallback {
    pub name: String,
    pub data: Vec<u8>,
    pub index: u32,
    pub scripts: Vec<&'static str>,
}

/// The scripts of [`SCRIPTS`] that none of `fonts` (bytes and index in
/// their file) can draw, asked of their character maps.
pub fn scripts_lacking(fonts: &[(&[u8], u32)]) -> Vec<(&'static str, char)> {
    SCRIPTS
        .iter()
        .copied()
        .filter(|script| {
            !fonts
                .iter()
                .any(|(data, index)| !covers(data, *index, std::slice::from_ref(script)).is_empty())
        })
        .collect()
}

/// For each script of `wanted`, the best face of `db` that covers it; a face
/// covering several scripts is taken once. Reads only the character maps of
/// the faces it looks at and the bytes of those it takes.
pub fn choose_fallbacks(
    db: &fontdb::Database,
    mut wanted: Vec<(&'static str, char)>,
) -> Vec<Fallback> {
    // Regular upright sans faces for text first (not monospace, maths or
    // symbols), then the rest; by name for a stable order.
    let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
    faces.sort_by_key(|f| {
        let family = f.families.first().map(|(n, _)| n.as_str()).unwrap_or("");
        let lower = family.to_lowercase();
        (
            f.style != fontdb::Style::Normal,
            f.weight.0.abs_diff(400),
            ["mono", "math", "symbol", "emoji"]
                .iter()
                .any(|w| lower.contains(w))
                || lower.contains("serif") && !lower.contains("sans"),
            !lower.contains("sans"),
            family.to_owned(),
            f.index,
        )
    });
    let mut chosen: Vec<(fontdb::ID, Vec<&'static str>)> = Vec::new();
    for face in faces {
        if wanted.is_empty() {
            break;
        }
        let covered: BTreeSet<usize> = db
            .with_face_data(face.id, |data, index| covers(data, index, &wanted))
            .unwrap_or_default();
        if covered.is_empty() {
            continue;
        }
        let scripts = covered.iter().map(|&i| wanted[i].0).collect();
        chosen.push((face.id, scripts));
        let mut i = 0;
        wanted.retain(|_| {
            i += 1;
            !covered.contains(&(i - 1))
        });
    }
    chosen
        .into_iter()
        .filter_map(|(id, scripts)| {
            let face = db.face(id)?;
            let (data, index) = db.with_face_data(id, |data, index| (data.to_vec(), index))?;
            Some(Fallback {
                name: format!("system: {}", face.post_script_name),
                data,
                index,
                scripts,
            })
        })
        .collect()
}

/// The system's fallbacks for the scripts `fonts` lack (lists the system's
/// fonts: tens of milliseconds to a second).
pub fn system_fallbacks(fonts: &[(&[u8], u32)]) -> Vec<Fallback> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    choose_fallbacks(&db, scripts_lacking(fonts))
}

/// The positions in `wanted` whose sample letter the face has an outline
/// for. Faces of bitmaps only are taken to cover nothing.
fn covers(data: &[u8], index: u32, wanted: &[(&'static str, char)]) -> BTreeSet<usize> {
    let Ok(font) = skrifa::FontRef::from_index(data, index) else {
        return BTreeSet::new();
    };
    if font.glyf().is_err() && font.cff().is_err() && font.cff2().is_err() {
        return BTreeSet::new();
    }
    let charmap = font.charmap();
    wanted
        .iter()
        .enumerate()
        .filter(|(_, (_, ch))| charmap.map(*ch).is_some())
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ubuntu_lacks_cjk_and_arabic_but_not_greek_or_cyrillic() {
        let lacks: Vec<&str> = scripts_lacking(&[(epaint_default_fonts::UBUNTU_LIGHT, 0)])
            .iter()
            .map(|(name, _)| *name)
            .collect();
        for name in ["Chinese", "Arabic", "Korean"] {
            assert!(lacks.contains(&name), "{name}: {lacks:?}");
        }
        for name in ["Greek", "Cyrillic"] {
            assert!(!lacks.contains(&name), "{name}: {lacks:?}");
        }
    }

    #[test]
    fn no_fonts_no_fallbacks() {
        assert!(choose_fallbacks(&fontdb::Database::new(), SCRIPTS.to_vec()).is_empty());
    }
}
