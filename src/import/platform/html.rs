//! A product description written in HTML, as text: tags taken out, a
//! paragraph, line break or list item on a line of its own, the common
//! entities read, blank lines left out.

/// The text of an HTML fragment.
pub(super) fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            // A lone '<' is text.
            out.push('<');
            rest = after;
            continue;
        };
        let tag = after[..close].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with('/');
        match name.as_str() {
            "br" | "p" | "div" | "tr" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                out.push('\n')
            }
            "li" if !closing => out.push_str("\n- "),
            "td" | "th" if closing => out.push(' '),
            _ => {}
        }
        rest = &after[close + 1..];
        // Scripts and styles are not text.
        if !closing && (name == "script" || name == "style") {
            let end = format!("</{name}");
            match rest.to_ascii_lowercase().find(&end) {
                Some(at) => rest = &rest[at..],
                None => rest = "",
            }
        }
    }
    out.push_str(rest);
    let text = entities(&out);
    // Lines trimmed, spaces in a row kept to one, blank lines left out.
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    lines.join("\n")
}

fn entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code).filter(|c| !c.is_control() || *c == '\n')
                }
            }?;
            Some((c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            to_text(
                "<p>Soft <strong>cotton</strong> &amp; linen.</p><ul><li>Wash cold</li><li>Dry flat</li></ul>"
            ),
            "Soft cotton & linen.\n- Wash cold\n- Dry flat"
        );
        assert_eq!(to_text("a<br/>b &lt;3 &#233;&#x e"), "a\nb <3 é&#x e");
        assert_eq!(to_text("<style>p{}</style>Plain"), "Plain");
        assert_eq!(to_text("1 < 2"), "1 < 2");
    }
}
