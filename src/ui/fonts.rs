//! The system's fonts as fallbacks, so names in any script show their letters.
//!
//! egui's own fonts cover Latin, Greek, Cyrillic and monochrome emoji; a name
//! in Chinese, Arabic, Hebrew, Devanagari, Thai, Korean… would show as boxes.
//! At startup a background thread lists the system's fonts ([`fontdb`]), picks
//! for each script in [`SCRIPTS`] the first regular face whose character map
//! covers it (`crate::fonts`, shared with the PDF documents), and adds only those
//! faces to egui as lowest-priority fallbacks: egui's own fonts still draw
//! everything they cover. The window's first frame does not wait for it.
//!
//! Fonts of coloured bitmaps only (Noto Color Emoji) are skipped: egui draws
//! outlines, so they would come out as blobs. egui shapes each run of text but
//! does not reorder right-to-left text (Arabic, Hebrew) within a line.

pub use crate::fonts::{Fallback, SCRIPTS};

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
/// of `db` that covers it (see [`crate::fonts::choose_fallbacks`]).
pub fn choose_fallbacks(db: &fontdb::Database) -> Vec<Fallback> {
    crate::fonts::choose_fallbacks(db, scripts_egui_lacks())
}

/// The scripts of [`SCRIPTS`] that egui's own fonts cannot draw (asked of
/// those fonts' character maps).
pub fn scripts_egui_lacks() -> Vec<(&'static str, char)> {
    let builtin = egui::FontDefinitions::default();
    let fonts: Vec<(&[u8], u32)> = builtin
        .font_data
        .values()
        .map(|font| ((*font.font).as_ref(), font.index))
        .collect();
    crate::fonts::scripts_lacking(&fonts)
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
