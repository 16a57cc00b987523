//! The report's pages laid out top to bottom in PDF content: Helvetica text (WinAnsi), field
//! lines, rules, photo grids and the signature's strokes.

use pdf_writer::{Content, Name, Ref, Str};

pub(super) const A4: (f32, f32) = (595.0, 842.0);
pub(super) const MARGIN: f32 = 50.0;
pub(super) const REGULAR: Name<'static> = Name(b"F1");
pub(super) const BOLD: Name<'static> = Name(b"F2");

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
pub(super) struct Page {
    pub(super) content: Content,
    pub(super) images: Vec<(Vec<u8>, Ref)>,
}

impl Page {
    pub(super) fn new() -> Self {
        Self {
            content: Content::new(),
            images: Vec::new(),
        }
    }
}

/// Pages being laid out top to bottom: those done, and the one being filled.
pub(super) struct Layout {
    pub(super) done: Vec<Page>,
    pub(super) current: Page,
    pub(super) y: f32,
}

impl Layout {
    pub(super) fn new() -> Self {
        Self {
            done: Vec::new(),
            current: Page::new(),
            y: A4.1 - MARGIN,
        }
    }

    pub(super) fn page(&mut self) {
        self.done
            .push(std::mem::replace(&mut self.current, Page::new()));
        self.y = A4.1 - MARGIN;
    }

    pub(super) fn finish(mut self) -> Vec<Page> {
        self.done.push(self.current);
        self.done
    }

    pub(super) fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.page();
        }
    }

    pub(super) fn text(&mut self, text: &str, size: f32, bold: bool) {
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

    pub(super) fn heading(&mut self, text: &str) {
        self.y -= 8.0;
        self.text(text, 14.0, true);
    }

    pub(super) fn field(&mut self, label: &str, value: Option<String>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.text(&format!("{label}: {value}"), 10.0, false);
        }
    }

    /// A photo `width` points wide, in a row of photos (a new row when the line is full).
    pub(super) fn photo(&mut self, jpeg: Vec<u8>, id: Ref, size: (f32, f32), x: &mut f32) {
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
    pub(super) fn signature(&mut self, svg: &str) {
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
