//! Mail addresses as the recipients file writes them (`name@domain` or
//! `表示名 <name@domain>`), their syntax check, and the domain allow-list.
//!
//! The check is deliberately stricter than RFC 5322: a dot-atom local part
//! (no quoted strings, no comments), an ASCII host name with at least two
//! labels and an alphabetic or punycode top-level label, nothing else on the
//! line. Everything it lets through is also accepted by lettre's
//! [`lettre::Address`], which the SMTP envelope is made of. The common typing
//! slips of a Japanese keyboard (全角 ＠ or ．, a comma for a dot, a space)
//! get a reason that says so.

use std::fmt;

/// One recipient or sender: an optional display name and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name (`厚生労働省 人材開発統括官付`), if any.
    pub name: Option<String>,
    /// `local@domain`, the domain in lower case.
    pub address: String,
}

impl Mailbox {
    /// The part after `@` (lower case).
    pub fn domain(&self) -> &str {
        self.address.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{n} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

/// Parses `addr` or `Display Name <addr>` (the name may be in double quotes)
/// and checks the address. The error is a Japanese sentence naming the problem.
pub fn parse_mailbox(text: &str) -> Result<Mailbox, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("宛先が空です".into());
    }
    let (name, addr) = match t.rfind('<') {
        Some(open) => {
            let close = t.rfind('>').filter(|&c| c == t.len() - 1).ok_or_else(|| {
                format!(
                    "「{t}」: `表示名 <name@example.jp>` の形になっていません（> の後に文字があるか、> がありません）"
                )
            })?;
            let name = t[..open].trim();
            let name = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')).unwrap_or(name).trim();
            (Some(name), &t[open + 1..close])
        }
        None => (None, t),
    };
    if let Some(n) = name
        && n.chars().any(|c| c.is_control() || matches!(c, '<' | '>' | '"' | '\\'))
    {
        return Err(format!("「{t}」: 表示名に使えない文字（< > \" \\ や制御文字）があります"));
    }
    let address = check_address(addr.trim()).map_err(|why| format!("「{t}」: {why}"))?;
    let name = name.filter(|n| !n.is_empty()).map(str::to_string);
    Ok(Mailbox { name, address })
}

/// Checks an addr-spec and returns it with the domain in lower case.
pub fn check_address(addr: &str) -> Result<String, String> {
    if let Some(c) = addr.chars().find(|c| !c.is_ascii()) {
        let hint = match c {
            '＠' | '．' | '　' => "（全角文字です。半角で書いてください）",
            _ => "（日本語ドメインは xn-- で始まる形で書いてください）",
        };
        return Err(format!("アドレスに半角英数字以外の文字「{c}」があります{hint}"));
    }
    if addr.chars().any(|c| c.is_ascii_whitespace() || c.is_ascii_control()) {
        return Err("アドレスに空白があります".into());
    }
    let (local, domain) = match addr.split('@').collect::<Vec<_>>()[..] {
        [l, d] => (l, d),
        [_] => return Err("アドレスに @ がありません".into()),
        _ => return Err("アドレスに @ が2つ以上あります".into()),
    };
    check_local(local)?;
    check_domain(domain)?;
    let address = format!("{local}@{}", domain.to_ascii_lowercase());
    // The SMTP envelope is built from lettre's address type: it must agree.
    address.parse::<lettre::Address>().map_err(|e| format!("アドレスの形が正しくありません（{e}）"))?;
    Ok(address)
}

fn check_local(local: &str) -> Result<(), String> {
    if local.is_empty() {
        return Err("@ の前が空です".into());
    }
    if local.len() > 64 {
        return Err("@ の前が64文字を超えています".into());
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("@ の前でドット（.）が先頭・末尾にあるか、2つ続いています".into());
    }
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    if let Some(c) = local.chars().find(|&c| !atext(c)) {
        let hint = if c == ',' { "（ドットのつもりでカンマを打っていませんか）" } else { "" };
        return Err(format!("@ の前に使えない文字「{c}」があります{hint}"));
    }
    Ok(())
}

/// A host name: labels of letters, digits and inner hyphens, at least two of
/// them, an alphabetic (or `xn--`) top-level label.
pub fn check_domain(domain: &str) -> Result<(), String> {
    if domain.is_empty() {
        return Err("@ の後（ドメイン）が空です".into());
    }
    if domain.len() > 253 {
        return Err("ドメインが253文字を超えています".into());
    }
    if let Some(c) = domain.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.')) {
        let hint = if c == ',' { "（ドットのつもりでカンマを打っていませんか）" } else { "" };
        return Err(format!("ドメイン「{domain}」に使えない文字「{c}」があります{hint}"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(format!("ドメイン「{domain}」にドットがありません（example.jp の形で書いてください）"));
    }
    for l in &labels {
        if l.is_empty() {
            return Err(format!("ドメイン「{domain}」でドットが先頭・末尾にあるか、2つ続いています"));
        }
        if l.len() > 63 || l.starts_with('-') || l.ends_with('-') {
            return Err(format!("ドメイン「{domain}」の「{l}」は長すぎるか、ハイフンで始まる・終わる形です"));
        }
    }
    let tld = labels[labels.len() - 1];
    if !(tld.chars().all(|c| c.is_ascii_alphabetic()) || tld.to_ascii_lowercase().starts_with("xn--")) {
        return Err(format!("ドメイン「{domain}」の最後の部分「{tld}」が正しくありません"));
    }
    Ok(())
}

/// Whether `domain` is covered by an allow-list entry: the same domain
/// (case-insensitive), or any subdomain for an entry written `*.example.jp`.
pub fn domain_matches(domain: &str, entry: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    let entry = entry.trim().to_ascii_lowercase();
    match entry.strip_prefix("*.") {
        Some(parent) => domain.len() > parent.len() + 1 && domain.ends_with(&format!(".{parent}")),
        None => domain == entry,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_named_addresses_parse() {
        let m = parse_mailbox("  skills-report@MHLW.example.jp ").unwrap();
        assert_eq!(m, Mailbox { name: None, address: "skills-report@mhlw.example.jp".into() });
        let m = parse_mailbox("厚生労働省 人材開発統括官付 <a.b+c@mhlw.example.jp>").unwrap();
        assert_eq!(m.name.as_deref(), Some("厚生労働省 人材開発統括官付"));
        assert_eq!(m.address, "a.b+c@mhlw.example.jp");
        assert_eq!(m.domain(), "mhlw.example.jp");
        let m = parse_mailbox("\"Center, Tokyo\" <x@javada.example.jp>").unwrap();
        assert_eq!(m.name.as_deref(), Some("Center, Tokyo"));
        assert_eq!(m.to_string(), "Center, Tokyo <x@javada.example.jp>");
        assert_eq!(parse_mailbox("<x@javada.example.jp>").unwrap().name, None);
    }

    #[test]
    fn typing_slips_are_refused_with_a_reason() {
        let cases: &[(&str, &str)] = &[
            ("", "空です"),
            ("report＠mhlw.example.jp", "全角"),
            ("report@mhlw．example.jp", "全角"),
            ("report@mhlw,example.jp", "カンマ"),
            ("report,x@mhlw.example.jp", "カンマ"),
            ("report mhlw.example.jp", "空白"),
            ("report.mhlw.example.jp", "@ がありません"),
            ("a@b@mhlw.example.jp", "2つ以上"),
            ("@mhlw.example.jp", "@ の前が空"),
            ("report@", "空です"),
            (".report@mhlw.example.jp", "ドット"),
            ("re..port@mhlw.example.jp", "ドット"),
            ("report@localhost", "ドットがありません"),
            ("report@mhlw..example.jp", "ドット"),
            ("report@-mhlw.example.jp", "ハイフン"),
            ("report@mhlw.example.j1", "最後の部分"),
            ("report@厚労省.jp", "xn--"),
            ("名前 <report@mhlw.example.jp", "> がありません"),
            ("名前 <report@mhlw.example.jp> 様", "> の後"),
            ("名<前 <report@mhlw.example.jp>", "表示名"),
            ("\"a\"@mhlw.example.jp", "使えない文字"),
        ];
        for (input, why) in cases {
            let err = parse_mailbox(input).unwrap_err();
            assert!(err.contains(why), "{input:?}: {err}");
        }
        assert!(parse_mailbox(&format!("{}@example.jp", "a".repeat(65))).is_err());
    }

    #[test]
    fn what_passes_is_a_valid_lettre_address() {
        for a in ["a@b.jp", "a_b-c.d@x-y.example.co.jp", "o'neil@example.com", "x@xn--wgv71a.jp"] {
            let m = parse_mailbox(a).unwrap();
            assert!(m.address.parse::<lettre::Address>().is_ok(), "{a}");
        }
    }

    #[test]
    fn allow_list_entries_match_exactly_or_by_explicit_wildcard() {
        assert!(domain_matches("mhlw.example.jp", "mhlw.example.jp"));
        assert!(domain_matches("MHLW.example.JP", "mhlw.example.jp"));
        assert!(!domain_matches("sub.mhlw.example.jp", "mhlw.example.jp"));
        assert!(!domain_matches("mhlw.example.jp.evil.example", "mhlw.example.jp"));
        assert!(!domain_matches("xmhlw.example.jp", "mhlw.example.jp"));
        assert!(domain_matches("sub.mhlw.example.jp", "*.mhlw.example.jp"));
        assert!(!domain_matches("mhlw.example.jp", "*.mhlw.example.jp"));
        assert!(!domain_matches("evilmhlw.example.jp", "*.mhlw.example.jp"));
    }
}
