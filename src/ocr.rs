//! `--ocr`: pages without a text layer are rendered with `pdftoppm`
//! (poppler-utils) and read with `tesseract`, both found on the PATH.
//!
//! An optional path: the default build needs nothing beyond crates.io, and
//! nothing here runs unless `--ocr` is given. Tesseract's TSV output gives
//! each word's box, so OCR'd words become positioned spans like an engine's
//! and go through the same layout, segmenting and rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::text::{RawPage, Span};

/// Resolution pages are rendered at (tesseract reads 300 dpi best).
const DPI: f32 = 300.0;

/// The external programs `--ocr` needs.
pub const TOOLS: [&str; 2] = ["pdftoppm", "tesseract"];

/// Which of [`TOOLS`] are not on the PATH.
pub fn missing_tools() -> Vec<&'static str> {
    TOOLS.iter().copied().filter(|t| find_on_path(t).is_none()).collect()
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file() || p.with_extension("exe").is_file()
    }
}

/// OCR the given 1-based pages of a PDF. Returns the pages read and, for
/// each page that failed, why.
pub fn ocr_pages(pdf: &[u8], pages: &[u32], password: Option<&str>) -> (Vec<RawPage>, Vec<String>) {
    let mut done = Vec::new();
    let mut errors = Vec::new();
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return (done, vec![format!("OCR: cannot make a temporary folder: {e}")]),
    };
    let input = dir.path().join("in.pdf");
    if let Err(e) = std::fs::write(&input, pdf) {
        return (done, vec![format!("OCR: cannot write a temporary file: {e}")]);
    }
    for &page in pages {
        match ocr_page(&input, dir.path(), page, password) {
            Ok(raw) => done.push(raw),
            Err(e) => errors.push(format!("OCR of page {page} failed: {e}")),
        }
    }
    (done, errors)
}

fn ocr_page(input: &Path, dir: &Path, page: u32, password: Option<&str>) -> Result<RawPage, String> {
    let root = dir.join(format!("p{page}"));
    let n = page.to_string();
    let mut render = Command::new("pdftoppm");
    render.args(["-r", "300", "-gray", "-png", "-singlefile", "-f", &n, "-l", &n]);
    if let Some(pw) = password {
        render.arg("-upw").arg(pw);
    }
    render.arg(input).arg(&root);
    run(&mut render, "pdftoppm")?;
    let image = root.with_extension("png");
    let mut read = Command::new("tesseract");
    read.arg(&image).args(["stdout", "tsv"]);
    let tsv = run(&mut read, "tesseract")?;
    let _ = std::fs::remove_file(&image);
    Ok(page_from_tsv(&tsv, page))
}

fn run(cmd: &mut Command, name: &str) -> Result<String, String> {
    let out = cmd.stdin(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| format!("cannot run {name}: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").trim();
        return Err(format!("{name} failed ({}){}", out.status, if last.is_empty() { String::new() } else { format!(": {last}") }));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Tesseract's TSV (level, page, block, paragraph, line, word, left, top,
/// width, height, confidence, text) → a page of word spans in points. Every
/// word of a line gets the line's baseline and height, so that the layout
/// stage puts them on one line whatever their descenders.
pub fn page_from_tsv(tsv: &str, number: u32) -> RawPage {
    let scale = 72.0 / DPI;
    let mut page = RawPage { number, width: 612.0, height: 792.0, ..RawPage::default() };
    let mut lines: BTreeMap<(u32, u32, u32), (f32, f32)> = BTreeMap::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.splitn(12, '\t').collect();
        if f.len() < 12 {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<f32>().unwrap_or(0.0);
        let key = (num(2) as u32, num(3) as u32, num(4) as u32);
        let (left, top, width, height) = (num(6) * scale, num(7) * scale, num(8) * scale, num(9) * scale);
        match f[0] {
            "1" => {
                page.width = width;
                page.height = height;
            }
            "4" => {
                lines.insert(key, (top + height * 0.78, height * 0.8));
            }
            "5" => {
                let text = f[11].trim();
                if text.is_empty() {
                    continue;
                }
                let (y, size) = lines.get(&key).copied().unwrap_or((top + height * 0.78, height));
                page.spans.push(Span { text: text.to_string(), x0: left, x1: left + width, y, size: size.max(1.0), ..Span::default() });
            }
            _ => {}
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_become_spans_on_their_line() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
1\t1\t0\t0\t0\t0\t0\t0\t2550\t3300\t-1\t\n\
4\t1\t1\t1\t1\t0\t300\t600\t900\t50\t-1\t\n\
5\t1\t1\t1\t1\t1\t300\t600\t400\t40\t96.5\tPayment\n\
5\t1\t1\t1\t1\t2\t750\t610\t450\t50\t95.1\tSchedule\n\
5\t1\t1\t1\t1\t3\t1250\t610\t10\t50\t95.1\t \n";
        let page = page_from_tsv(tsv, 4);
        assert_eq!(page.number, 4);
        // 2550 x 3300 pixels at 300 dpi: US Letter, 612 x 792 points.
        assert!((page.width - 612.0).abs() < 0.01 && (page.height - 792.0).abs() < 0.01);
        let words: Vec<&str> = page.spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(words, ["Payment", "Schedule"]);
        // Same line: same baseline. 300 px = 72 pt.
        assert_eq!(page.spans[0].y, page.spans[1].y);
        assert!((page.spans[0].x0 - 72.0).abs() < 0.01);
    }
}
