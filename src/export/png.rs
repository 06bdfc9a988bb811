//! A picture (for example a chart) to a PNG file, through `files::SafeFile`.

use std::path::Path;

use super::ExportError;
use crate::files::{Replace, SafeFile};

/// Writes `rgba` (width x height pixels, 4 bytes each) as a PNG file.
pub fn write_png(
    path: &Path,
    width: u32,
    height: u32,
    rgba: Vec<u8>,
    replace: Replace,
) -> Result<(), ExportError> {
    let image = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| ExportError::Source("the picture is incomplete".into()))?;
    let file = SafeFile::prepare(path, replace)?;
    image
        .save_with_format(file.temp(), image::ImageFormat::Png)
        .map_err(|e| ExportError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    file.commit()?;
    Ok(())
}
