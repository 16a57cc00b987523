//! PDF documents of the workshop (the intervention report, the quote), written directly with
//! `pdf-writer`: pages laid out top to bottom ([`Layout`]: Helvetica text in WinAnsi, field
//! lines, photo grids, a signature's strokes) and put together with their fonts and images
//! ([`assemble`]). Text is in the standard Helvetica, so no font is embedded; photos are the
//! JPEG bytes as they are (no decoding or re-encoding).

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

pub const A4: (f32, f32) = (595.0, 842.0);
pub const MARGIN: f32 = 50.0;
pub const REGULAR: Name<'static> = Name(b"F1");
pub const BOLD: Name<'static> = Name(b"F2");

/// Text as Helvetica's WinAnsi bytes (Latin-1 here; anything else becomes `?`).
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            u8::try_from(u32::from(c))
                .ok()
                .filter(|b| *b >= 0x20)
                .unwrap_or(b'?')
        })
        .collect()
}

/// One page: what it draws, and the photos (JPEG bytes and object id) it shows.
pub struct Page {
    pub content: Content,
    pub images: Vec<(Vec<u8>, Ref)>,
}

impl Page {
    pub fn new() -> Self {
        Self {
            content: Content::new(),
            images: Vec::new(),
        }
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::new()
    }
}

impl Default for Layout {
    fn default() -> Self {
        Self::new()
    }
}

/// Pages being laid out top to bottom: those done, and the one being filled.
pub struct Layout {
    pub done: Vec<Page>,
    pub current: Page,
    pub y: f32,
}

impl Layout {
    pub fn new() -> Self {
        Self {
            done: Vec::new(),
            current: Page::new(),
            y: A4.1 - MARGIN,
        }
    }

    pub fn page(&mut self) {
        self.done.push(std::mem::take(&mut self.current));
        self.y = A4.1 - MARGIN;
    }

    pub fn finish(mut self) -> Vec<Page> {
        self.done.push(self.current);
        self.done
    }

    pub fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.page();
        }
    }

    pub fn text(&mut self, text: &str, size: f32, bold: bool) {
        // About 0.5 em a character: wrap at the width of the page.
        let per_line = ((A4.0 - 2.0 * MARGIN) / (size * 0.5)) as usize;
        let mut line = String::new();
        let mut lines = Vec::new();
        for word in text.split_whitespace() {
            if !line.is_empty() && line.chars().count() + word.chars().count() >= per_line {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        for line in lines {
            self.room(size * 1.4);
            self.y -= size * 1.4;
            self.current
                .content
                .begin_text()
                .set_font(if bold { BOLD } else { REGULAR }, size)
                .next_line(MARGIN, self.y)
                .show(Str(&latin1(&line)))
                .end_text();
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.y -= 8.0;
        self.text(text, 14.0, true);
    }

    pub fn field(&mut self, label: &str, value: Option<String>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.text(&format!("{label}: {value}"), 10.0, false);
        }
    }

    /// A photo `width` points wide, in a row of photos (a new row when the line is full).
    pub fn photo(&mut self, jpeg: Vec<u8>, id: Ref, size: (f32, f32), x: &mut f32) {
        let (w, h) = size;
        if *x + w > A4.0 - MARGIN {
            *x = MARGIN;
            self.y -= h + 8.0;
        }
        if *x == MARGIN {
            self.room(h + 8.0);
        }
        let name = format!("Im{}", id.get());
        self.current
            .content
            .save_state()
            .transform([w, 0.0, 0.0, h, *x, self.y - h])
            .x_object(Name(name.as_bytes()))
            .restore_state();
        self.current.images.push((jpeg, id));
        *x += w + 8.0;
    }

    /// The signature's strokes (`M x y L x y …` and `C` curves of the pad's SVG), in a box.
    pub fn signature(&mut self, svg: &str) {
        let (w, h) = (300.0, 112.5);
        self.room(h + 10.0);
        let top = self.y - 4.0;
        let scale = w / 400.0;
        let content = &mut self.current.content;
        content.save_state().set_line_width(1.0);
        content.rect(MARGIN, top - h, w, h).stroke();
        for d in svg
            .split("d=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
        {
            let mut tokens = d.split_whitespace().peekable();
            let number = |tokens: &mut std::iter::Peekable<std::str::SplitWhitespace<'_>>| {
                tokens
                    .next()
                    .and_then(|t| t.trim_end_matches(',').parse::<f32>().ok())
            };
            let at = |x: f32, y: f32| (MARGIN + x * scale, top - y * scale);
            while let Some(command) = tokens.next() {
                match command {
                    "M" | "L" => {
                        let (Some(x), Some(y)) = (number(&mut tokens), number(&mut tokens)) else {
                            break;
                        };
                        let (x, y) = at(x, y);
                        if command == "M" {
                            content.move_to(x, y);
                        } else {
                            content.line_to(x, y);
                        }
                    }
                    _ => break,
                }
            }
            content.stroke();
        }
        content.restore_state();
        self.y = top - h - 6.0;
    }
}

/// The document of `pages`: catalog, page tree, the two Helvetica fonts, each page with its
/// content and its photos. Object ids 1–4 are taken here; the pages' photos hold ids below
/// `first_free`, and the pages take the ids from there on.
pub fn assemble(pages: Vec<Page>, first_free: i32) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
    let first_page = first_free;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|n| Ref::new(first_page + 2 * n as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (Page { content, images }, page_id) in pages.into_iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, A4.0, A4.1))
            .parent(tree)
            .contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        let names: Vec<String> = images
            .iter()
            .map(|(_, id)| format!("Im{}", id.get()))
            .collect();
        let mut objects = resources.x_objects();
        for (name, (_, id)) in names.iter().zip(&images) {
            objects.pair(Name(name.as_bytes()), *id);
        }
        objects.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
        for (jpeg, id) in images {
            let (width, height) = image::ImageReader::new(std::io::Cursor::new(&jpeg))
                .with_guessed_format()
                .ok()
                .and_then(|r| r.into_dimensions().ok())
                .unwrap_or((1, 1));
            let mut xobject = pdf.image_xobject(id, &jpeg);
            xobject.filter(Filter::DctDecode);
            xobject.width(width as i32).height(height as i32);
            xobject.color_space().device_rgb();
            xobject.bits_per_component(8);
        }
    }
    pdf.finish()
}

/// Cents as `12.34 EUR`.
pub fn money(cents: i64) -> String {
    format!("{}.{:02} EUR", cents / 100, cents % 100)
}
