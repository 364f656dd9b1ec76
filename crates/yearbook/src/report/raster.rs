//! The report's SVG charts drawn to PNG for the Word document (resvg), with the system's
//! fonts: a CJK font where one is installed, else the shapes and Latin text alone.

use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// Font families with Chinese glyphs, in the order a chart prefers them (the charts'
/// own `font-family` list first).
const CJK_FAMILIES: [&str; 14] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "SimHei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Sans CJK JP",
    "AR PL UMing CN",
    "SimSun",
];

/// The largest side of a drawn chart, in pixels: a template's SVG of any declared size
/// is drawn at most this large.
pub const MAX_SIDE: f32 = 4096.0;
/// The most pixels a drawn chart has (the report's own are 1920 x 900).
pub const MAX_PIXELS: f32 = 8.0e6;

/// Fonts for drawing: the system's, and the CJK family found among them.
pub struct Fonts {
    db: Arc<usvg::fontdb::Database>,
    cjk: Option<String>,
}

impl Fonts {
    /// The fonts installed on this system (loaded once per process).
    pub fn system() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            Fonts::from_database(db)
        })
    }

    /// Fonts from a database: the first CJK family found becomes the sans-serif default,
    /// so Chinese labels draw whatever the chart's `font-family` list names.
    pub fn from_database(mut db: usvg::fontdb::Database) -> Fonts {
        let families: Vec<String> = db.faces().flat_map(|f| f.families.iter().map(|(n, _)| n.clone())).collect();
        let cjk = CJK_FAMILIES.iter().find(|c| families.iter().any(|f| f == *c)).map(|s| s.to_string()).or_else(|| {
            families.iter().find(|f| ["CJK", "Han Sans", "Han Serif", "WenQuanYi", "Fallback"].iter().any(|w| f.contains(w))).cloned()
        });
        if let Some(f) = &cjk {
            db.set_sans_serif_family(f.clone());
        }
        Fonts { db: Arc::new(db), cjk }
    }

    /// The font family used for Chinese text, if any was found.
    pub fn cjk_family(&self) -> Option<&str> {
        self.cjk.as_deref()
    }
}

/// A chart drawn as a PNG image.
#[derive(Debug)]
pub struct Png {
    /// The PNG file's bytes.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The SVG's own width (its user units, CSS pixels at 96 dpi).
    pub svg_width: f32,
    /// The SVG's own height.
    pub svg_height: f32,
}

/// Draws `svg` at `scale` times its size (at most [`MAX_SIDE`] pixels a side). Text in
/// a script no font covers is left out; the shapes are drawn. Err: why the SVG cannot
/// be drawn, in words.
pub fn png(svg: &str, scale: f32, fonts: &Fonts) -> Result<Png, String> {
    let opt = usvg::Options {
        fontdb: fonts.db.clone(),
        font_family: fonts.cjk.clone().unwrap_or_else(|| "sans-serif".into()),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("the SVG does not parse: {e}"))?;
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    if !(w >= 1.0 && h >= 1.0) {
        return Err(format!("the SVG is {w} x {h}: too small to draw"));
    }
    let scale = scale.min(MAX_SIDE / w).min(MAX_SIDE / h).min((MAX_PIXELS / (w * h)).sqrt()).max(f32::MIN_POSITIVE);
    let (pw, ph) = ((w * scale).round().max(1.0) as u32, (h * scale).round().max(1.0) as u32);
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph).ok_or_else(|| format!("cannot make a {pw} x {ph} image"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let bytes = opaque_png(&pixmap).map_err(|e| format!("PNG encoding: {e}"))?;
    Ok(Png { bytes, width: pw, height: ph, svg_width: w, svg_height: h })
}

/// The drawing (on white, so opaque) as an RGB PNG: no alpha channel, which Word and
/// LibreOffice would carry along as a soft mask.
fn opaque_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header()?;
    w.write_image_data(&rgb)?;
    w.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

    #[test]
    fn draws_a_chart_without_any_font() {
        // No font at all: the shapes are drawn, the labels left out, nothing fails.
        let fonts = Fonts::from_database(usvg::fontdb::Database::new());
        assert_eq!(fonts.cjk_family(), None);
        let svg = crate::report::chart::bars("地区生产总值", "亿元", &[("甲镇".into(), 3.0), ("乙镇".into(), 5.0)], true);
        let p = png(&svg, 2.0, &fonts).expect("drawn");
        assert!(p.bytes.starts_with(&PNG_SIGNATURE));
        assert_eq!((p.width, p.height), (1280, 600));
    }

    #[test]
    fn bad_or_huge_svg_is_an_error_or_bounded_never_a_panic() {
        let fonts = Fonts::from_database(usvg::fontdb::Database::new());
        assert!(png("<svg", 2.0, &fonts).unwrap_err().contains("does not parse"));
        assert!(png("not svg at all", 2.0, &fonts).is_err());
        let p = png("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"10\"/>", 3.0, &fonts).expect("bounded");
        assert!(p.width <= MAX_SIDE as u32 && p.height >= 1);
        let p = png("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"5000\" height=\"5000\"/>", 3.0, &fonts).expect("bounded");
        assert!((p.width * p.height) as f32 <= MAX_PIXELS * 1.001, "{} x {}", p.width, p.height);
    }
}
