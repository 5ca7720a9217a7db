//! `--send`: the checked drafts over SMTP (lettre, blocking), exactly the
//! bytes on disk minus the `Bcc`/`X-Unsent` fields ([`super::mime::wire_form`]).
//!
//! The connection always upgrades with STARTTLS (lettre `Tls::Required`,
//! rustls with the webpki roots); a server that does not offer it is an
//! error, never a fallback to plain text. Credentials come only from the
//! environment ([`ENV_USER`], [`ENV_PASSWORD`]); the server from the
//! recipients file's `[smtp]` or [`ENV_HOST`]/[`ENV_PORT`]. The one
//! exception to TLS is [`ENV_PLAIN_LOCALHOST`], for tests: plain SMTP, only
//! to a loopback IP address, and never with credentials.

use super::recipients::SmtpFile;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Address, SmtpTransport, Transport};
use std::net::IpAddr;
use std::time::Duration;

/// SMTP server host name (overrides `[smtp] host`).
pub const ENV_HOST: &str = "CORNER_KPI_SMTP_HOST";
/// SMTP port (overrides `[smtp] port`; default 587, the submission port).
pub const ENV_PORT: &str = "CORNER_KPI_SMTP_PORT";
/// SMTP user name; with [`ENV_PASSWORD`], enables AUTH.
pub const ENV_USER: &str = "CORNER_KPI_SMTP_USER";
/// SMTP password.
pub const ENV_PASSWORD: &str = "CORNER_KPI_SMTP_PASSWORD";
/// `1`: plain SMTP without TLS, accepted only for a loopback IP host
/// (`127.0.0.1`). For the test suite's local SMTP sink; never in production.
pub const ENV_PLAIN_LOCALHOST: &str = "CORNER_KPI_SMTP_PLAIN_LOCALHOST";

/// Where and how to send.
#[derive(Clone)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    credentials: Option<(String, String)>,
    /// Plain SMTP to a loopback address (tests only).
    pub plain_loopback: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.credentials.as_ref().map(|c| &c.0))
            .field("plain_loopback", &self.plain_loopback)
            .finish()
    }
}

impl Settings {
    /// The settings from the file's `[smtp]` and the environment (`env`
    /// looks a variable up; `std::env::var` in the binary).
    pub fn resolve(file: Option<&SmtpFile>, env: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let env = |k: &str| env(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let host = env(ENV_HOST).or_else(|| file.map(|f| f.host.trim().to_string())).filter(|h| !h.is_empty());
        let Some(host) = host else {
            return Err(format!(
                "送信先の SMTP サーバーがありません: 送付先ファイルの [smtp] host か環境変数 {ENV_HOST} を設定してください"
            ));
        };
        let port = match env(ENV_PORT) {
            Some(p) => p.parse::<u16>().map_err(|_| format!("{ENV_PORT}=\"{p}\" はポート番号ではありません"))?,
            None => file.and_then(|f| f.port).unwrap_or(587),
        };
        let credentials = match (env(ENV_USER), env(ENV_PASSWORD)) {
            (Some(u), Some(p)) => Some((u, p)),
            (None, None) => None,
            _ => return Err(format!("{ENV_USER} と {ENV_PASSWORD} は両方設定してください")),
        };
        let plain_loopback = env(ENV_PLAIN_LOCALHOST).is_some_and(|v| v == "1");
        if plain_loopback {
            let loopback = host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if !loopback {
                return Err(format!(
                    "{ENV_PLAIN_LOCALHOST}=1（暗号化なし）は 127.0.0.1 だけに使えます（host は {host}）"
                ));
            }
            if credentials.is_some() {
                return Err(format!(
                    "{ENV_PLAIN_LOCALHOST}=1 ではパスワードを送りません（{ENV_USER} を外してください）"
                ));
            }
        }
        Ok(Settings { host, port, credentials, plain_loopback })
    }

    /// `smtp.example.jp:587（STARTTLS、認証あり）`.
    pub fn describe(&self) -> String {
        let tls = if self.plain_loopback { "暗号化なし（テスト用 127.0.0.1）" } else { "STARTTLS 必須" };
        let auth = if self.credentials.is_some() { "認証あり" } else { "認証なし" };
        format!("{}:{}（{tls}、{auth}）", self.host, self.port)
    }

    fn transport(&self) -> Result<SmtpTransport, String> {
        let mut b = SmtpTransport::builder_dangerous(self.host.as_str()).port(self.port);
        b = if self.plain_loopback {
            b.tls(Tls::None)
        } else {
            let tls = TlsParameters::new(self.host.clone()).map_err(|e| format!("TLS の設定ができません: {e}"))?;
            b.tls(Tls::Required(tls))
        };
        if let Some((u, p)) = &self.credentials {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(b.timeout(Some(Duration::from_secs(60))).build())
    }
}

/// One message to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub group: String,
    pub from: String,
    /// Every To, Cc and Bcc address.
    pub recipients: Vec<String>,
    /// The wire form of the draft.
    pub bytes: Vec<u8>,
}

/// Sends every message; one result per message (the server's reply or the error).
pub fn send_all(settings: &Settings, messages: &[Outgoing]) -> Vec<Result<String, String>> {
    let transport = match settings.transport() {
        Ok(t) => t,
        Err(e) => return messages.iter().map(|_| Err(e.clone())).collect(),
    };
    messages.iter().map(|m| send_one(&transport, m)).collect()
}

fn send_one(transport: &SmtpTransport, m: &Outgoing) -> Result<String, String> {
    let from: Address = m.from.parse().map_err(|e| format!("送信元 {}: {e}", m.from))?;
    let to = m
        .recipients
        .iter()
        .map(|a| a.parse::<Address>().map_err(|e| format!("宛先 {a}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let envelope = Envelope::new(Some(from), to).map_err(|e| format!("エンベロープ: {e}"))?;
    let reply = transport.send_raw(&envelope, &m.bytes).map_err(|e| format!("{e}"))?;
    let text: Vec<&str> = reply.message().collect();
    Ok(format!("{} {}", reply.code(), text.join(" ")).trim().to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_file_names_the_server_the_environment_overrides_and_holds_the_password() {
        let file = SmtpFile { host: "smtp.corner.example.jp".into(), port: None };
        let s = Settings::resolve(Some(&file), env(&[])).unwrap();
        assert_eq!((s.host.as_str(), s.port, s.plain_loopback), ("smtp.corner.example.jp", 587, false));
        assert!(s.describe().contains("STARTTLS"));
        let s = Settings::resolve(
            Some(&file),
            env(&[(ENV_HOST, "mail.example.jp"), (ENV_PORT, "2587"), (ENV_USER, "u"), (ENV_PASSWORD, "secret")]),
        )
        .unwrap();
        assert_eq!((s.host.as_str(), s.port), ("mail.example.jp", 2587));
        assert!(!format!("{s:?}").contains("secret"), "the password never shows");
        assert!(Settings::resolve(None, env(&[])).unwrap_err().contains(ENV_HOST));
        assert!(Settings::resolve(Some(&file), env(&[(ENV_USER, "u")])).is_err());
        assert!(Settings::resolve(Some(&file), env(&[(ENV_PORT, "smtp")])).is_err());
    }

    #[test]
    fn plain_smtp_only_to_a_loopback_ip_and_never_with_a_password() {
        let plain = |host: &str| Settings::resolve(None, env(&[(ENV_HOST, host), (ENV_PLAIN_LOCALHOST, "1")]));
        assert!(plain("127.0.0.1").unwrap().plain_loopback);
        assert!(plain("::1").unwrap().plain_loopback);
        assert!(plain("localhost").is_err(), "a name could resolve anywhere");
        assert!(plain("smtp.corner.example.jp").is_err());
        assert!(plain("192.168.0.10").is_err());
        let with_password = Settings::resolve(
            None,
            env(&[(ENV_HOST, "127.0.0.1"), (ENV_PLAIN_LOCALHOST, "1"), (ENV_USER, "u"), (ENV_PASSWORD, "p")]),
        );
        assert!(with_password.is_err());
    }
}
