//! A picture (for example a chart) to a PNG file, through a temporary name.

use std::path::Path;

use super::ExportError;

/// Writes `rgba` (width x height pixels, 4 bytes each) as a PNG file.
pub fn write_png(path: &Path, width: u32, height: u32, rgba: Vec<u8>) -> Result<(), ExportError> {
    let io = |e: &dyn std::fmt::Display| ExportError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let image = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| ExportError::Source("the picture is incomplete".into()))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = dir.join(format!(".chart.{}.partial.png", std::process::id()));
    if let Err(e) = image.save_with_format(&temp, image::ImageFormat::Png) {
        let _ = std::fs::remove_file(&temp);
        return Err(io(&e));
    }
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io(&e)
    })
}
