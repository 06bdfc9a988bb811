//! The system's fonts as fallbacks, so names in any script show their letters.
//!
//! egui's own fonts cover Latin, Greek, Cyrillic and monochrome emoji; a name
//! in Chinese, Arabic, Hebrew, Devanagari, Thai, Korean… would show as boxes.
//! At startup a background thread lists the system's fonts ([`fontdb`]), picks
//! for each script in [`SCRIPTS`] the first regular face whose character map
//! covers it (checked with [`skrifa`], not by file names), and adds only those
//! faces to egui as lowest-priority fallbacks: egui's own fonts still draw
//! everything they cover. The window's first frame does not wait for it.
//!
//! Fonts of coloured bitmaps only (Noto Color Emoji) are skipped: egui draws
//! outlines, so they would come out as blobs. egui shapes each run of text but
//! does not reorder right-to-left text (Arabic, Hebrew) within a line.

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

/// Starts looking for fallbacks in the background; each one found is added to
/// `ctx` (egui takes it at the start of the next frame) and a repaint asked.
pub fn load_system_fallbacks(ctx: &egui::Context) {
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("fonts".to_owned())
        .spawn(move || {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            for fallback in choose_fallbacks(&db) {
                add_fallback(&ctx, fallback);
            }
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        // Not fatal: names in other scripts show as boxes, as before.
        eprintln!("Shopkeeper: could not look for the system's fonts: {e}");
    }
}

/// Adds `fallback` to both families, after egui's own fonts.
pub fn add_fallback(ctx: &egui::Context, fallback: Fallback) {
    let mut data = egui::FontData::from_owned(fallback.data);
    data.index = fallback.index;
    let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
        .into_iter()
        .map(|family| egui::epaint::text::InsertFontFamily {
            family,
            priority: egui::epaint::text::FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(egui::epaint::text::FontInsert::new(
        &fallback.name,
        data,
        families,
    ));
}

/// For each script of [`SCRIPTS`] that egui's own fonts lack, the best face
/// of `db` that covers it; a face covering several scripts is taken once. Reads only the character
/// maps of the faces it looks at and the bytes of those it takes.
pub fn choose_fallbacks(db: &fontdb::Database) -> Vec<Fallback> {
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
    let mut wanted = scripts_egui_lacks();
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

/// The scripts of [`SCRIPTS`] that egui's own fonts cannot draw (asked of
/// those fonts' character maps).
pub fn scripts_egui_lacks() -> Vec<(&'static str, char)> {
    let builtin = egui::FontDefinitions::default();
    SCRIPTS
        .iter()
        .copied()
        .filter(|script| {
            !builtin.font_data.values().any(|font| {
                let data: &[u8] = (*font.font).as_ref();
                !covers(data, font.index, std::slice::from_ref(script)).is_empty()
            })
        })
        .collect()
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
    fn fallbacks_are_looked_for_only_where_egui_lacks_the_letters() {
        let lacks: Vec<&str> = scripts_egui_lacks().iter().map(|(name, _)| *name).collect();
        for name in ["Chinese", "Arabic", "Hebrew", "Devanagari", "Korean"] {
            assert!(lacks.contains(&name), "{name}: {lacks:?}");
        }
        for name in ["Greek", "Cyrillic", "Emoji"] {
            assert!(!lacks.contains(&name), "{name}: {lacks:?}");
        }
    }

    #[test]
    fn no_fonts_no_fallbacks() {
        assert!(choose_fallbacks(&fontdb::Database::new()).is_empty());
    }

    /// How long finding the fallbacks takes on this machine (not a check:
    /// `cargo test --lib fonts -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn time_system_fallbacks() {
        let start = std::time::Instant::now();
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let listed = start.elapsed();
        let chosen = choose_fallbacks(&db);
        let bytes: usize = chosen.iter().map(|f| f.data.len()).sum();
        println!(
            "{} faces listed in {listed:?}; {} chosen ({bytes} bytes) in {:?} in all",
            db.len(),
            chosen.len(),
            start.elapsed()
        );
        for f in &chosen {
            println!("  {}: {:?}", f.name, f.scripts);
        }
    }
}
