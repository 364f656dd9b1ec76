//! The protocol over stdin and stdout, framed by `Content-Length` headers. Unlike a
//! transport that gives up on the first bad message, a malformed one (no length, a
//! body that is not JSON or not a message) is answered with a parse error (-32700) and
//! the server reads on: an editor's bug never ends the session.

use crossbeam_channel::{Receiver, Sender, bounded, select};
use lsp_server::{Connection, Message};
use std::io::{BufRead, Write};
use std::thread::JoinHandle;

/// The longest message body read (a whole workspace's buffer is far smaller).
const MAX_BODY: usize = 256 << 20;

/// A connection on stdin and stdout, and the thread writing to stdout (join it after
/// dropping the connection, so every answer is flushed).
pub(crate) fn stdio() -> (Connection, JoinHandle<()>) {
    let (to_server, receiver) = bounded::<Message>(64);
    let (sender, from_server) = bounded::<Message>(64);
    let (errors, error_rx) = bounded::<serde_json::Value>(64);
    let writer = std::thread::spawn(move || write_all(from_server, error_rx));
    std::thread::spawn(move || read_all(std::io::stdin().lock(), to_server, errors));
    (Connection { sender, receiver }, writer)
}

/// Writes the server's messages and the parse errors until the server is done.
fn write_all(from_server: Receiver<Message>, errors: Receiver<serde_json::Value>) {
    let mut out = std::io::stdout().lock();
    loop {
        let written = select! {
            recv(from_server) -> m => match m {
                Ok(msg) => msg.write(&mut out),
                Err(_) => break,
            },
            recv(errors) -> e => match e {
                Ok(v) => write_raw(&mut out, &v),
                Err(_) => continue,
            },
        };
        if written.is_err() {
            return; // the client closed its end
        }
    }
    let _ = out.flush();
}

fn write_raw(out: &mut impl Write, v: &serde_json::Value) -> std::io::Result<()> {
    let body = v.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// Reads messages until end of input; a malformed one is answered on `errors` with a
/// parse error (its id unknown: null).
pub(crate) fn read_all(mut input: impl BufRead, to_server: Sender<Message>, errors: Sender<serde_json::Value>) {
    loop {
        match read_one(&mut input) {
            Ok(None) | Err(_) => return,
            Ok(Some(Ok(msg))) => {
                if to_server.send(msg).is_err() {
                    return;
                }
            }
            Ok(Some(Err(why))) => {
                let answer = serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": why}});
                let _ = errors.send(answer);
            }
        }
    }
}

/// One message: None at end of input, Some(Err) for a malformed one (its bytes consumed).
fn read_one(input: &mut impl BufRead) -> std::io::Result<Option<Result<Message, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut any = false;
    loop {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(if any { Some(Err("input ended inside a message's headers".into())) } else { None });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if !any {
                continue; // blank lines between messages
            }
            break;
        }
        any = true;
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("Content-Length `{}` is not a length", value.trim()))
                    .and_then(|n| if n > MAX_BODY { Err(format!("a message of {n} bytes is more than {MAX_BODY}")) } else { Ok(n) }),
            );
        }
    }
    let n = match length {
        Some(Ok(n)) => n,
        Some(Err(why)) => return Ok(Some(Err(why))),
        None => return Ok(Some(Err("a message without a Content-Length header".into()))),
    };
    let mut body = vec![0u8; n];
    input.read_exact(&mut body)?;
    Ok(Some(serde_json::from_slice::<Message>(&body).map_err(|e| format!("not a JSON-RPC message: {e}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 5\r\n\r\n{{abc}}Content-Length: 2\r\n\r\n[]X-Other: 1\r\n\r\nContent-Length: -3\r\n\r\nContent-Length: {}\n\n{good}",
            good.len()
        );
        let (tx, rx) = bounded(16);
        let (etx, erx) = bounded(16);
        read_all(input.as_bytes(), tx, etx);
        let got: Vec<Message> = rx.try_iter().collect();
        assert_eq!(got.len(), 1, "the good message after four bad ones");
        let errors: Vec<String> = erx.try_iter().map(|m: serde_json::Value| m.to_string()).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors.iter().all(|e| e.contains("-32700") && e.contains(r#""id":null"#)), "{errors:?}");
        assert!(errors[2].contains("without a Content-Length"), "{errors:?}");
    }
}
