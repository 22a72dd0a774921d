//! Bundled image sets: the handwritten digits (`data/digits.bin`, made by scripts/digits.py from
//! the UCI "Optical Recognition of Handwritten Digits" set as scikit-learn bundles it: 1,797
//! images of 8 × 8 pixels, 0–16, labels 0–9; E. Alpaydin and C. Kaynak, CC BY 4.0). The page
//! fetches the file beside itself when a digits scene opens; the CLI carries it.

use super::error::{EngineError, Result};

/// The file's first eight bytes: its name and format version.
pub const MAGIC: &[u8; 8] = b"DDVZDIG1";

/// How many images the bundled digits file holds (the page checks a digits scene against it
/// before the file is loaded; a test checks the file).
pub const DIGITS_COUNT: usize = 1797;

/// Pixels of each (8 × 8).
pub const DIGITS_PIXELS: usize = 64;

/// A set of small grey images with a class label each.
#[derive(Debug, Clone, PartialEq)]
pub struct Images {
    /// Images in the set.
    pub count: usize,
    /// Pixels across.
    pub width: usize,
    /// Pixels down.
    pub height: usize,
    /// Every image's pixels, row by row, image after image (`count · width · height`).
    pub pixels: Vec<u8>,
    /// Each image's class.
    pub labels: Vec<u8>,
    /// The largest pixel value (16 for the digits).
    pub max_pixel: u8,
    /// How many classes there are (labels run from 0 to `classes − 1`).
    pub classes: usize,
}

impl Images {
    /// Reads the digits file's format ([`MAGIC`], u16 count, u8 width, u8 height, then per
    /// image its pixels and its label). A file of another length, a pixel above 16 or a label
    /// above 9 is refused with a message, never a panic.
    pub fn parse(bytes: &[u8]) -> Result<Images> {
        let bad = |why: String| EngineError::Shape(format!("the digits file: {why}"));
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(bad("not a ddviz digits file (it starts with another name)".into()));
        }
        let count = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        let (width, height) = (usize::from(bytes[10]), usize::from(bytes[11]));
        let d = width * height;
        if count == 0 || d == 0 {
            return Err(bad(format!("{count} images of {width} × {height} pixels")));
        }
        let body = &bytes[12..];
        if body.len() != count * (d + 1) {
            return Err(bad(format!("{} bytes where {count} images of {width} × {height} pixels and a label take {}", body.len(), count * (d + 1))));
        }
        let mut pixels = Vec::with_capacity(count * d);
        let mut labels = Vec::with_capacity(count);
        for (i, rec) in body.chunks_exact(d + 1).enumerate() {
            if let Some(v) = rec[..d].iter().find(|&&v| v > 16) {
                return Err(bad(format!("image {} has a pixel of {v} (at most 16)", i + 1)));
            }
            if rec[d] > 9 {
                return Err(bad(format!("image {} has the label {} (0 to 9)", i + 1, rec[d])));
            }
            pixels.extend_from_slice(&rec[..d]);
            labels.push(rec[d]);
        }
        Ok(Images { count, width, height, pixels, labels, max_pixel: 16, classes: 10 })
    }

    /// Pixels per image (the input dimension).
    pub fn dim(&self) -> usize {
        self.width * self.height
    }

    /// The images as a table: a column per pixel, the classes named 0 to 9.
    pub fn to_table(&self) -> crate::table::Table {
        let d = self.dim();
        crate::table::Table {
            features: (0..d).map(|j| format!("pixel{j}")).collect(),
            label: "digit".into(),
            x: self.pixels.iter().map(|&v| f64::from(v)).collect(),
            rows: self.count,
            labels: crate::table::Labels::Classes {
                of: self.labels.iter().map(|&l| u16::from(l)).collect(),
                names: (0..self.classes).map(|c| c.to_string()).collect(),
            },
        }
    }

    /// Image `i`'s pixels.
    pub fn image(&self, i: usize) -> &[u8] {
        let d = self.dim();
        &self.pixels[i * d..(i + 1) * d]
    }
}

/// Loads a digits file's bytes, for a host that has them (the CLI embeds them; the page will
/// fetch them): a clear error, never a panic, for a file that is not one.
pub fn load(bytes: &[u8]) -> Result<std::sync::Arc<Images>> {
    Images::parse(bytes).map(std::sync::Arc::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(count: u16, records: &[(Vec<u8>, u8)]) -> Vec<u8> {
        let mut v = MAGIC.to_vec();
        v.extend_from_slice(&count.to_le_bytes());
        v.extend_from_slice(&[2, 2]);
        for (p, l) in records {
            v.extend_from_slice(p);
            v.push(*l);
        }
        v
    }

    #[test]
    fn a_digits_file_reads_back_its_pixels_and_labels() {
        let im = Images::parse(&file(2, &[(vec![0, 1, 2, 16], 3), (vec![5, 5, 5, 5], 9)])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((im.count, im.dim(), im.classes), (2, 4, 10));
        assert_eq!((im.image(1), im.labels.as_slice()), (&[5u8, 5, 5, 5][..], &[3u8, 9][..]));
    }

    #[test]
    fn a_file_that_is_not_one_is_refused_with_its_reason() {
        let msg = |b: &[u8]| Images::parse(b).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg(b"PK\x03\x04 not ours").contains("not a ddviz digits file"));
        assert!(msg(&file(3, &[(vec![0, 1, 2, 3], 3)])).contains("bytes where 3 images"));
        assert!(msg(&file(1, &[(vec![0, 1, 2, 17], 3)])).contains("image 1 has a pixel of 17"));
        assert!(msg(&file(1, &[(vec![0, 1, 2, 3], 10)])).contains("label 10"));
        assert!(msg(&[]).contains("not a ddviz digits file"));
    }

    #[test]
    fn the_bundled_digits_are_the_1797_images_of_scikit_learn() {
        let im = Images::parse(include_bytes!("../../data/digits.bin")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((im.count, im.width, im.height), (DIGITS_COUNT, 8, 8));
        // Every class is there, about 180 times each; the first image is a 0.
        let per: Vec<usize> = (0..10).map(|c| im.labels.iter().filter(|&&l| l == c).count()).collect();
        assert!(per.iter().all(|&k| (170..=190).contains(&k)), "{per:?}");
        assert_eq!(im.labels[0], 0);
        assert_eq!(&im.image(0)[..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
    }
}
