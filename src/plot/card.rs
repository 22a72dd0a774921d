//! Text drawn on a panel: lines broken between words to the panel's width (the digit grid's
//! title, and the fit panel of a table of your own, which has no picture of its own).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::colors::INK;
use super::{err, Look, PlotError};

/// `text` broken between words into lines no wider than `width` pixels in `font`.
pub fn wrap<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str, font: &TextStyle, width: i32) -> Result<Vec<String>, PlotError> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        if let Some(last) = lines.last_mut() {
            let joined = format!("{last} {word}");
            if root.estimate_text_size(&joined, font).map_err(err)?.0 as i32 <= width {
                *last = joined;
                continue;
            }
        }
        lines.push(word.to_string());
    }
    Ok(lines)
}

/// Draws `paragraphs` on white, top to bottom, each broken to the panel's width, a little space
/// between them; what does not fit the height is left off. Returns how many paragraphs were
/// drawn whole.
pub fn text_card<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, paragraphs: &[String], look: Look) -> Result<usize, PlotError> {
    root.fill(&WHITE).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let font = (FontFamily::SansSerif, look.font(14.0)).into_font().color(&INK);
    let (pad, line_h) = (look.px(10.0) as i32, look.px(19.0) as i32);
    let mut y = pad;
    for (k, p) in paragraphs.iter().enumerate() {
        let lines = wrap(root, p, &font, w as i32 - 2 * pad)?;
        if y + lines.len() as i32 * line_h > h as i32 {
            return Ok(k);
        }
        for line in lines {
            root.draw(&Text::new(line, (pad, y), font.clone())).map_err(err)?;
            y += line_h;
        }
        y += line_h / 2;
    }
    Ok(paragraphs.len())
}
