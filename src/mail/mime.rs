//! The MIME writer: one draft message as bytes, 7-bit ASCII with CRLF line
//! ends, headers folded at 78 columns (only the xlsx media type, one token,
//! makes an 80-character line; the hard limit is 998), so it survives any
//! relay unchanged.
//!
//! Layout (what Thunderbird itself writes for a message with attachments):
//! `multipart/mixed` holding a `multipart/alternative` (text/plain and
//! text/html, UTF-8, base64) and one base64 part per attachment. Header text
//! outside ASCII (subject, display names) is written as RFC 2047 encoded
//! words; an attachment's file name as RFC 2231 `filename*=UTF-8''…` in
//! Content-Disposition (with continuations when long) and, for mail programs
//! that read only that, as RFC 2047 words in Content-Type's `name`.
//!
//! A draft keeps its `Bcc:` field (so a mail program opening the draft shows
//! every recipient) and carries `X-Unsent: 1` (Outlook then opens it as a
//! message to send). [`wire_form`] removes exactly those two fields: that is
//! what goes over SMTP, every other byte is the draft's.

use super::address::Mailbox;

/// Longest line we write (RFC 5322 "SHOULD" limit), without the CRLF.
const MAX_LINE: usize = 78;
/// Raw bytes per RFC 2047 encoded word: 39 bytes → 52 base64 characters →
/// a 64-character word, which fits after `Subject: ` on one line.
const WORD_BYTES: usize = 39;
/// Raw bytes per encoded word of a display name: 45 bytes → a 72-character
/// word, which fits after `From: `. Longer words keep most names in one word
/// (a few decoders put a space between the words of a display name).
const NAME_WORD_BYTES: usize = 45;

/// An attachment: the name it is shown under, its media type, its bytes.
#[derive(Debug, Clone)]
pub struct Attachment<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// Everything a draft is made of.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    pub from: &'a Mailbox,
    pub to: &'a [Mailbox],
    pub cc: &'a [Mailbox],
    pub bcc: &'a [Mailbox],
    pub subject: &'a str,
    /// RFC 5322 date-time (`Tue, 31 Oct 2023 09:00:00 +0900`).
    pub date: &'a str,
    /// With its angle brackets.
    pub message_id: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub attachments: &'a [Attachment<'a>],
    /// Makes the boundaries unique (hex digits); no base64 or header text can
    /// contain them because they start with `=_`.
    pub boundary_token: &'a str,
}

/// The draft as bytes.
pub fn compose(m: &Message) -> Vec<u8> {
    let mixed = format!("=_mixed_{}", m.boundary_token);
    let alt = format!("=_alt_{}", m.boundary_token);
    let mut out = String::new();
    out += &header("Date", &[m.date.to_string()]);
    out += &header("From", &address_tokens(std::slice::from_ref(m.from)));
    if m.to.is_empty() {
        out += &header("To", &["undisclosed-recipients:;".to_string()]);
    } else {
        out += &header("To", &address_tokens(m.to));
    }
    if !m.cc.is_empty() {
        out += &header("Cc", &address_tokens(m.cc));
    }
    if !m.bcc.is_empty() {
        out += &header("Bcc", &address_tokens(m.bcc));
    }
    out += &header("Subject", &text_tokens(m.subject));
    out += &header("Message-ID", &[m.message_id.to_string()]);
    out += "MIME-Version: 1.0\r\n";
    out += "X-Unsent: 1\r\n";
    out += &header("X-Mailer", &[format!("corner-kpi/{}", env!("CARGO_PKG_VERSION"))]);
    out += &header("Content-Type", &["multipart/mixed;".into(), format!("boundary=\"{mixed}\"")]);
    out += "\r\nThis is a multi-part message in MIME format.\r\n";

    out += &format!("--{mixed}\r\n");
    out += &header("Content-Type", &["multipart/alternative;".into(), format!("boundary=\"{alt}\"")]);
    out += "\r\n";
    for (ct, body) in [("text/plain", m.text), ("text/html", m.html)] {
        out += &format!("--{alt}\r\n");
        out += &format!("Content-Type: {ct}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        out += &base64_lines(crlf(body).as_bytes());
    }
    out += &format!("--{alt}--\r\n\r\n");

    for a in m.attachments {
        out += &format!("--{mixed}\r\n");
        let mut ct: Vec<String> = a.content_type.split("; ").map(|p| format!("{p};")).collect();
        ct.extend(name_param_tokens(a.name));
        out += &header("Content-Type", &ct);
        let mut cd = vec!["attachment;".to_string()];
        cd.extend(filename_param_tokens(a.name));
        out += &header("Content-Disposition", &cd);
        out += "Content-Transfer-Encoding: base64\r\n\r\n";
        out += &base64_lines(a.bytes);
    }
    out += &format!("--{mixed}--\r\n");
    out.into_bytes()
}

/// The draft as it goes over SMTP: the top-level `Bcc` and `X-Unsent`
/// fields (with their continuation lines) removed, every other byte kept.
pub fn wire_form(draft: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(draft.len());
    let mut rest = draft;
    let mut dropping = false;
    while !rest.is_empty() {
        let end = rest.windows(2).position(|w| w == b"\r\n").map_or(rest.len(), |p| p + 2);
        let (line, tail) = rest.split_at(end);
        if line == b"\r\n" {
            out.extend_from_slice(rest);
            break;
        }
        let continuation = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if !continuation {
            let name = line.split(|b| *b == b':').next().unwrap_or_default();
            dropping = name.eq_ignore_ascii_case(b"Bcc") || name.eq_ignore_ascii_case(b"X-Unsent");
        }
        if !dropping {
            out.extend_from_slice(line);
        }
        rest = tail;
    }
    out
}

/// `Name: tok tok …`, folded before a token that would pass column 78.
pub fn header(name: &str, tokens: &[String]) -> String {
    let mut out = format!("{name}:");
    let mut col = out.len();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && col + 1 + t.len() > MAX_LINE {
            out += "\r\n";
            col = 0;
        }
        out.push(' ');
        out += t;
        col += 1 + t.len();
    }
    out += "\r\n";
    out
}

/// A comma-separated address list as header tokens.
pub fn address_tokens(list: &[Mailbox]) -> Vec<String> {
    let mut tokens = Vec::new();
    for (i, m) in list.iter().enumerate() {
        let sep = if i + 1 < list.len() { "," } else { "" };
        match &m.name {
            Some(n) if is_plain_ascii(n) => tokens.push(format!("\"{n}\" <{}>{sep}", m.address)),
            Some(n) => {
                tokens.extend(encoded_words_of(n, NAME_WORD_BYTES));
                tokens.push(format!("<{}>{sep}", m.address));
            }
            None => tokens.push(format!("{}{sep}", m.address)),
        }
    }
    tokens
}

/// Free text (the subject): ASCII words as they are, anything else as
/// encoded words.
fn text_tokens(text: &str) -> Vec<String> {
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if is_plain_ascii(&text) && !text.contains("=?") {
        text.split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
    } else {
        encoded_words(&text)
    }
}

fn is_plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// RFC 2047 `=?UTF-8?B?…?=` words, split between characters, at most
/// [`WORD_BYTES`] bytes of text each.
pub fn encoded_words(text: &str) -> Vec<String> {
    encoded_words_of(text, WORD_BYTES)
}

fn encoded_words_of(text: &str, max_bytes: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > max_bytes {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words
}

/// Content-Type's `name` parameter: quoted ASCII, or quoted RFC 2047 words
/// (not standard in a parameter, but what Outlook and older clients read).
fn name_param_tokens(name: &str) -> Vec<String> {
    if is_token_safe(name) {
        return vec![format!("name=\"{name}\"")];
    }
    let mut words = encoded_words(name);
    let last = words.len() - 1;
    words[0] = format!("name=\"{}", words[0]);
    words[last].push('"');
    words
}

/// Content-Disposition's `filename`: quoted ASCII, or RFC 2231.
fn filename_param_tokens(name: &str) -> Vec<String> {
    if is_token_safe(name) {
        return vec![format!("filename=\"{name}\"")];
    }
    rfc2231_segments("filename", name, MAX_LINE - 2)
}

/// Short printable ASCII that needs no encoding inside double quotes.
fn is_token_safe(name: &str) -> bool {
    is_plain_ascii(name) && !name.contains(['"', '\\']) && !name.contains("=?") && name.len() <= 60
}

/// RFC 2231 parameter value `param*=UTF-8''%E5%8E%9A…`, split into
/// continuations `param*0*=UTF-8''…;` `param*1*=…` when one token would be
/// longer than `max`. Segments split between characters, never inside one.
pub fn rfc2231_segments(param: &str, value: &str, max: usize) -> Vec<String> {
    let encoded: Vec<String> = value.chars().map(pct_char).collect();
    let whole = format!("{param}*=UTF-8''{}", encoded.concat());
    if whole.len() <= max {
        return vec![whole];
    }
    let mut segments: Vec<String> = Vec::new();
    let mut current = String::new();
    let prefix = |n: usize| if n == 0 { format!("{param}*0*=UTF-8''") } else { format!("{param}*{n}*=") };
    for e in &encoded {
        // +1 for the `;` that ends every segment but the last.
        if !current.is_empty() && prefix(segments.len()).len() + current.len() + e.len() + 1 > max {
            segments.push(format!("{}{current};", prefix(segments.len())));
            current.clear();
        }
        current += e;
    }
    segments.push(format!("{}{current}", prefix(segments.len())));
    segments
}

/// One character, percent-encoded unless it is an RFC 2231 attribute-char.
fn pct_char(c: char) -> String {
    let keep = c.is_ascii_alphanumeric() || "!#$&+-.^_`|~".contains(c);
    if keep {
        return c.to_string();
    }
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Line ends as CRLF (the canonical form of text before base64).
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").replace('\n', "\r\n")
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, on one line.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// base64 in lines of 76 characters, each ended by CRLF.
pub fn base64_lines(bytes: &[u8]) -> String {
    let one = base64(bytes);
    let mut out = String::with_capacity(one.len() + one.len() / 76 * 2 + 2);
    for line in one.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The bytes of one segment's value (after `*=`, without `UTF-8''` and `;`).
    fn segment_bytes(i: usize, s: &str) -> Vec<u8> {
        let (_, v) = s.split_once("*=").unwrap();
        let v = v.trim_end_matches(';');
        let v = if i == 0 { v.strip_prefix("UTF-8''").unwrap() } else { v };
        let mut bytes = Vec::new();
        let mut it = v.bytes();
        while let Some(b) = it.next() {
            if b == b'%' {
                let h = [it.next().unwrap(), it.next().unwrap()];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&h).unwrap(), 16).unwrap());
            } else {
                bytes.push(b);
            }
        }
        bytes
    }

    /// The RFC 2231 decoding a mail program does: join the segments, undo %XX, read UTF-8.
    fn decode_2231(segments: &[String]) -> String {
        let bytes: Vec<u8> = segments.iter().enumerate().flat_map(|(i, s)| segment_bytes(i, s)).collect();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn rfc2231_short_names_are_one_token_long_ones_continue_between_characters() {
        let seg = rfc2231_segments("filename", "報告_2023-10-31.xlsx", 76);
        assert_eq!(seg, ["filename*=UTF-8''%E5%A0%B1%E5%91%8A_2023-10-31.xlsx"]);

        let name = "山口県地域技能振興コーナー_月次実績報告（厚生労働省） 2023-10-31.xlsx";
        let seg = rfc2231_segments("filename", name, 76);
        assert!(seg.len() > 2, "{seg:?}");
        assert!(seg[0].starts_with("filename*0*=UTF-8''%E5%B1%B1"));
        assert!(seg[1].starts_with("filename*1*=%"));
        for (i, s) in seg.iter().enumerate() {
            assert!(s.len() <= 76, "{s}");
            assert_eq!(s.ends_with(';'), i + 1 < seg.len(), "{s}");
            // Never split inside a character: every segment is UTF-8 on its own.
            assert!(String::from_utf8(segment_bytes(i, s)).is_ok(), "{s}");
        }
        assert!(seg.concat().contains("%20"), "a space is encoded");
        assert_eq!(decode_2231(&seg), name);
    }

    #[test]
    fn rfc2231_encodes_everything_but_attribute_chars() {
        let seg = rfc2231_segments("filename", "a b'c\"d%e*f(g).x", 200);
        assert_eq!(seg, ["filename*=UTF-8''a%20b%27c%22d%25e%2Af%28g%29.x"]);
    }

    #[test]
    fn ascii_names_are_quoted_others_get_both_encodings() {
        assert_eq!(filename_param_tokens("ministry_2023-10-31.xlsx"), ["filename=\"ministry_2023-10-31.xlsx\""]);
        assert_eq!(name_param_tokens("ministry_2023-10-31.xlsx"), ["name=\"ministry_2023-10-31.xlsx\""]);
        let t = name_param_tokens("厚生労働省_2023-10-31.xlsx");
        assert!(t[0].starts_with("name=\"=?UTF-8?B?") && t.last().unwrap().ends_with("?=\""), "{t:?}");
    }

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (raw, enc) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE=")]
        {
            assert_eq!(base64(raw.as_bytes()), enc);
        }
        assert_eq!(base64("令和".as_bytes()), "5Luk5ZKM");
        let lines = base64_lines(&[0u8; 120]);
        assert!(lines.split("\r\n").all(|l| l.len() <= 76));
        assert_eq!(lines.matches("\r\n").count(), 3);
    }

    #[test]
    fn encoded_words_split_between_characters_and_fit_a_line() {
        let s = "【山口県地域技能振興コーナー】月次実績報告（令和5年10月末現在）";
        let words = encoded_words(s);
        assert!(words.len() > 1);
        for w in &words {
            assert!(w.len() <= MAX_LINE - "Subject: ".len(), "{w}");
        }
        let h = header("Subject", &text_tokens(s));
        assert!(h.split("\r\n").all(|l| l.len() <= MAX_LINE), "{h}");
        assert_eq!(header("Subject", &text_tokens("Monthly report")), "Subject: Monthly report\r\n");
    }

    #[test]
    fn wire_form_drops_only_bcc_and_x_unsent() {
        let draft = b"From: a@b.jp\r\nBcc: x@y.jp,\r\n z@y.jp\r\nSubject: s\r\nX-Unsent: 1\r\n\r\nBcc: body\r\n";
        assert_eq!(wire_form(draft), b"From: a@b.jp\r\nSubject: s\r\n\r\nBcc: body\r\n");
    }

    #[test]
    fn address_lists_fold_and_encode_names() {
        let list = vec![
            Mailbox {
                name: Some("厚生労働省 人材開発統括官付".into()), address: "a@mhlw.example.jp".into()
            },
            Mailbox { name: Some("Center".into()), address: "b@javada.example.jp".into() },
            Mailbox { name: None, address: "c@javada.example.jp".into() },
        ];
        let h = header("To", &address_tokens(&list));
        assert!(h.contains("<a@mhlw.example.jp>, \"Center\" <b@javada.example.jp>,"), "{h}");
        assert!(h.ends_with("c@javada.example.jp\r\n"));
        assert!(h.split("\r\n").all(|l| l.len() <= MAX_LINE));
        let long = Mailbox {
            name: Some("中央技能振興センター 事業担当".into()),
            address: "b@javada.example.jp".into(),
        };
        let h = header("From", &address_tokens(&[long]));
        assert_eq!(h.matches("=?UTF-8?B?").count(), 1, "one word: {h}");
        assert!(h.split("\r\n").all(|l| l.len() <= MAX_LINE), "{h}");
    }
}
