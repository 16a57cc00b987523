//! A photo made ready to store: decoded by its content (JPEG, PNG or WebP, whole), turned
//! upright, re-encoded as JPEG (which leaves its EXIF, GPS included, behind) with a thumbnail, and
//! written under the data dir by the SHA-256 of the stored bytes.

use std::io::Cursor;
use std::path::{Path as FsPath, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use crate::error::Result;

/// Largest side accepted, pixels (a 48-megapixel phone photo is 8000 × 6000).
const MAX_SIDE: u32 = 12_000;
/// The thumbnail's longest side, pixels.
const THUMB_SIDE: u32 = 320;
/// JPEG quality of the stored photo and its thumbnail.
const QUALITY: u8 = 85;

/// A photo made ready to store: the JPEG without EXIF and its thumbnail.
pub(super) struct Prepared {
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

/// Decode `bytes` by their content, turn them upright, and re-encode them (and a thumbnail).
pub(super) fn prepare(bytes: &[u8]) -> std::result::Result<Prepared, String> {
    let format = image::guess_format(bytes).map_err(|_| "is not a JPEG, PNG or WebP image")?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err("is not a JPEG, PNG or WebP image".into());
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(768 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("cannot be read as an image: {e}"))?;
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder)
        .map_err(|e| format!("cannot be read as an image: {e}"))?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }
    let picture = DynamicImage::ImageRgb8(picture.into_rgb8());
    let encode = |img: &DynamicImage| -> std::result::Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY);
        img.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        Ok(out)
    };
    let jpeg = encode(&picture)?;
    let thumb = encode(&picture.thumbnail(THUMB_SIDE, THUMB_SIDE))?;
    let sha256 = format!("{:x}", Sha256::digest(&jpeg));
    Ok(Prepared {
        jpeg,
        thumb,
        sha256,
        width: picture.width(),
        height: picture.height(),
    })
}

/// Where a photo (or its thumbnail) is stored.
pub fn file(data_dir: &FsPath, sha256: &str, thumb: bool) -> PathBuf {
    let dir = if thumb { "thumbs" } else { "photos" };
    data_dir
        .join(dir)
        .join(&sha256[..2])
        .join(format!("{sha256}.jpg"))
}

pub(super) async fn write_file(path: &FsPath, bytes: &[u8]) -> Result<()> {
    if tokio::fs::try_exists(path).await.unwrap_or(false) {
        return Ok(()); // Same content, same name: already stored.
    }
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(anyhow::Error::from)?;
    }
    let partial = path.with_extension("part");
    tokio::fs::write(&partial, bytes)
        .await
        .map_err(anyhow::Error::from)?;
    tokio::fs::rename(&partial, path)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_an_image_is_refused_whatever_its_name() {
        assert!(prepare(b"GIF89a not ours").is_err());
        assert!(prepare(b"\xFF\xD8\xFF\xE0 truncated jpeg").is_err());
        assert!(prepare(b"plain text").is_err());
    }
}
