//! The customer's signature: an SVG drawn on the signature pad, kept only as the shapes of a
//! drawing. The SVG is rebuilt from an allow-list of elements (`svg`, `g`, `path`, `polyline`,
//! `line`, …) and presentation attributes; anything else is dropped with what it holds:
//! scripts, `foreignObject`, links and images, event handlers (`on…`), `href`s and any value
//! that points elsewhere (`url(…)`, `javascript:`). So a stored signature can be shown in the
//! page and put in the PDF without running or fetching anything.

use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::events::{BytesStart, Event};

/// Largest SVG accepted, bytes.
pub const MAX_SVG_BYTES: usize = 256 * 1024;

const ELEMENTS: &[&str] = &[
    "svg", "g", "path", "polyline", "polygon", "line", "circle", "ellipse", "rect",
];

const ATTRIBUTES: &[&str] = &[
    "xmlns",
    "version",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "d",
    "points",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
    "opacity",
    "transform",
];

/// Rebuild `svg` from the allow-list; `Err` says why it cannot be a signature.
pub fn sanitize(svg: &str) -> Result<String, &'static str> {
    if svg.len() > MAX_SVG_BYTES {
        return Err("must be at most 256 kB");
    }
    let mut reader = Reader::from_str(svg);
    let mut writer = Writer::new(Vec::new());
    // Depth inside a dropped element: everything in it is dropped too.
    let mut dropped = 0usize;
    let mut root_seen = false;
    let mut shapes = 0usize;
    loop {
        let event = reader.read_event().map_err(|_| "is not well-formed SVG")?;
        match event {
            Event::Start(start) => {
                if dropped > 0 || !allowed(&start) {
                    dropped += 1;
                    continue;
                }
                root_seen |= check_root(&start, root_seen)?;
                shapes += usize::from(is_shape(&start));
                write(&mut writer, Event::Start(clean(&start)))?;
            }
            Event::Empty(empty) => {
                if dropped > 0 || !allowed(&empty) {
                    continue;
                }
                root_seen |= check_root(&empty, root_seen)?;
                shapes += usize::from(is_shape(&empty));
                write(&mut writer, Event::Empty(clean(&empty)))?;
            }
            Event::End(end) => {
                if dropped > 0 {
                    dropped -= 1;
                    continue;
                }
                write(&mut writer, Event::End(end))?;
            }
            Event::Eof => break,
            // Text, CDATA, comments, processing instructions and doctypes are not drawings.
            _ => {}
        }
    }
    if !root_seen {
        return Err("must be an <svg> element");
    }
    if shapes == 0 {
        return Err("holds no drawing");
    }
    String::from_utf8(writer.into_inner()).map_err(|_| "is not UTF-8")
}

fn name(element: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(element.local_name().as_ref()).into_owned()
}

fn allowed(element: &BytesStart<'_>) -> bool {
    ELEMENTS.contains(&name(element).as_str())
}

fn is_shape(element: &BytesStart<'_>) -> bool {
    !matches!(name(element).as_str(), "svg" | "g")
}

/// The first element must be `<svg>`; returns whether this one was it.
fn check_root(element: &BytesStart<'_>, root_seen: bool) -> Result<bool, &'static str> {
    match (root_seen, name(element) == "svg") {
        (false, true) => Ok(true),
        (false, false) => Err("must be an <svg> element"),
        (true, _) => Ok(false),
    }
}

/// The element with only allowed attributes whose values point nowhere.
fn clean(element: &BytesStart<'_>) -> BytesStart<'static> {
    let mut out = BytesStart::new(name(element));
    for attribute in element.attributes().flatten() {
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let Ok(value) = attribute.unescape_value() else {
            continue;
        };
        let lower = value.to_ascii_lowercase();
        let points_elsewhere =
            lower.contains("url(") || lower.contains("javascript:") || lower.contains("data:");
        if ATTRIBUTES.contains(&key.as_str()) && !points_elsewhere {
            out.push_attribute((key.as_str(), value.as_ref()));
        }
    }
    out
}

fn write(writer: &mut Writer<Vec<u8>>, event: Event<'_>) -> Result<(), &'static str> {
    writer
        .write_event(event)
        .map_err(|_| "cannot be written back")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_is_kept() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><path d="M1 1 L50 50" stroke="black" fill="none"/></svg>"#;
        let clean = sanitize(svg).expect("a signature");
        assert!(clean.contains(r#"d="M1 1 L50 50""#), "{clean}");
    }

    #[test]
    fn scripts_handlers_and_references_are_dropped() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><image href="http://evil/x.png"/><path d="M0 0" fill="url(http://evil/#x)" stroke="black" onclick="x()"/><foreignObject><div>hi</div></foreignObject></svg>"#;
        let clean = sanitize(svg).expect("a signature");
        for bad in [
            "onload",
            "script",
            "alert",
            "image",
            "href",
            "url(",
            "onclick",
            "foreignObject",
            "hi",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains("<path"), "{clean}");
    }

    #[test]
    fn not_a_drawing_is_refused() {
        assert!(sanitize("<html/>").is_err());
        assert!(sanitize("<svg></svg>").is_err());
        assert!(sanitize("not xml at all <<<").is_err());
    }
}
