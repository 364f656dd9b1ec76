//! `yearbook lsp` spoken to as an editor would: initialize, open a yearbook.toml with an
//! error, diagnostics at the line and column inside the TOML string, completion inside a
//! rule string and inside a string argument, hover, go to definition, a script file's
//! syntax error, the error fixed, shutdown.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// A client on the server's stdin and stdout.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yearbook"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("yearbook lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        len = n.parse().expect("length");
                    }
                }
                let mut body = vec![0; len];
                r.read_exact(&mut body).expect("body");
                if tx.send(serde_json::from_slice(&body).expect("json")).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, messages, next_id: 0 }
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result; notifications that come first are kept.
    fn request(&mut self, method: &str, params: Value, seen: &mut Vec<Value>) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == json!(id) {
                assert!(m.get("error").is_none(), "{method} failed: {m}");
                return m["result"].clone();
            }
            seen.push(m);
        }
    }

    fn recv(&self) -> Value {
        self.messages.recv_timeout(Duration::from_secs(60)).expect("the server answers within a minute")
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics_for(&self, uri: &str, seen: &mut Vec<Value>) -> Vec<Value> {
        if let Some(i) = seen.iter().position(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri) {
            return seen.remove(i)["params"]["diagnostics"].as_array().expect("list").clone();
        }
        loop {
            let m = self.recv();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].as_array().expect("list").clone();
            }
            seen.push(m);
        }
    }
}

/// Line and UTF-16 column (from 0) of the first `needle` in `text`, plus `skip` characters.
fn pos(text: &str, needle: &str, skip: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} in text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col: usize = text[line_start..at].chars().map(char::len_utf16).sum::<usize>() + skip;
    json!({"line": line, "character": col})
}

fn file_uri(p: &std::path::Path) -> String {
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

#[test]
fn an_editor_session_gets_diagnostics_completion_hover_and_definitions() {
    // The sample in a folder whose name needs escaping in a URI, with a script file.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("大云 镇");
    std::fs::create_dir_all(dir.join("scripts")).expect("mkdir");
    let sample = crate::common::root().join("config/dayun");
    for f in ["regions.csv", "indicators.csv", "facts.csv", "reported_growth.csv", "targets.csv", "projects.csv"] {
        std::fs::copy(sample.join(f), dir.join(f)).expect("copy");
    }
    let script = "/// 同比增速(%),保留到百分点\nfn growth_of(s) { yoy_pct(s) }\n";
    std::fs::write(dir.join("scripts/phrases.rhai"), script).expect("script");
    let original = std::fs::read_to_string(sample.join("yearbook.toml")).expect("config");
    let fine = format!(
        "scripts = [\"scripts/phrases.rhai\"]\n{original}\n[indicators.gdp_growth]\nunit = \"%\"\nexpr = \"growth_of(gdp)\"\n\n\
         [rules.share_known]\nseverity = \"info\"\ncheck = \"local_fiscal_share >= 0\"\nvalues = {{ v = 'rollup(gdp, \"town\")' }}\n"
    );
    // An unknown name on the second line of a multi-line rule string.
    let broken = format!("{fine}\n[rules.zz_broken]\ncheck = \"\"\"\ngdp > 0 &&\n  fiscal_revenu > 0\"\"\"\n");
    std::fs::write(dir.join("yearbook.toml"), &fine).expect("config");
    let config_uri = file_uri(&dir.join("yearbook.toml"));
    let script_uri = file_uri(&dir.join("scripts/phrases.rhai"));

    let mut c = Client::start();
    let mut seen = Vec::new();
    let init = c.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}), &mut seen);
    let caps = &init["capabilities"];
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["completionProvider"]["triggerCharacters"], json!([".", "\"", "("]));
    assert_eq!(init["serverInfo"]["name"], "yearbook");
    c.notify("initialized", json!({}));

    // didOpen with the error: one diagnostic, on `fiscal_revenu` in the TOML file.
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": config_uri, "languageId": "toml", "version": 1, "text": broken}}));
    let d = c.diagnostics_for(&config_uri, &mut seen);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["message"], "unknown name `fiscal_revenu`; did you mean `fiscal_revenue` or `local_fiscal_revenue`?");
    assert_eq!(d[0]["code"], "unknown_name");
    assert_eq!(d[0]["source"], "yearbook");
    assert_eq!(d[0]["range"]["start"], pos(&broken, "fiscal_revenu > 0", 0));
    assert_eq!(d[0]["range"]["end"], pos(&broken, "fiscal_revenu > 0", "fiscal_revenu".len()));
    // The script file is clean.
    assert_eq!(c.diagnostics_for(&script_uri, &mut seen), Vec::<Value>::new());

    // Completion inside the rule string (the workspace does not compile: names still come).
    let at = pos(&broken, "fiscal_revenu > 0", "fiscal_rev".len());
    let list = c.request("textDocument/completion", json!({"textDocument": {"uri": config_uri}, "position": at}), &mut seen);
    let items = list["items"].as_array().expect("items");
    let fr = items.iter().find(|i| i["label"] == "fiscal_revenue").expect("fiscal_revenue offered");
    assert_eq!(fr["detail"], "财政总收入 (万元)");
    assert_eq!(fr["kind"], 6); // variable
    assert_eq!(fr["textEdit"]["range"]["start"], pos(&broken, "fiscal_revenu > 0", 0));
    assert_eq!(fr["textEdit"]["newText"], "fiscal_revenue");
    assert!(items.iter().all(|i| i["label"].as_str().is_some_and(|l| l.starts_with("fiscal_rev"))), "{items:?}");

    // Outside any script string of the TOML: nothing to complete.
    let none = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": config_uri}, "position": pos(&broken, "[rules.zz_broken]", 3)}),
        &mut seen,
    );
    assert_eq!(none, Value::Null);

    // The error fixed: the config's diagnostics are cleared.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": config_uri, "version": 2}, "contentChanges": [{"text": fine}]}));
    assert_eq!(c.diagnostics_for(&config_uri, &mut seen), Vec::<Value>::new());

    // A unit mismatch (found by evaluating on the empty panel, as `check` does), then a
    // TOML syntax error, each where it is; then clean again.
    let units = format!("{fine}\n[indicators.mixed]\nexpr = \"gdp + industrial_zone_area\"\n");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": config_uri, "version": 3}, "contentChanges": [{"text": units}]}));
    let d = c.diagnostics_for(&config_uri, &mut seen);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "unit");
    assert_eq!(d[0]["message"], "unit mismatch: cannot add or compare 亿元 and 平方公里");
    assert_eq!(d[0]["range"]["start"], pos(&units, "+ industrial_zone_area", 0));
    let toml_error = format!("{fine}\n[rules.x\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": config_uri, "version": 4}, "contentChanges": [{"text": toml_error}]}),
    );
    let d = c.diagnostics_for(&config_uri, &mut seen);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "config");
    assert_eq!(d[0]["range"]["start"]["line"], pos(&toml_error, "[rules.x\n", 0)["line"]);
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": config_uri, "version": 5}, "contentChanges": [{"text": fine}]}));
    assert_eq!(c.diagnostics_for(&config_uri, &mut seen), Vec::<Value>::new());

    // Inside a string argument: the levels `rollup` takes.
    let at = pos(&fine, "town\")' }", 2);
    let list = c.request("textDocument/completion", json!({"textDocument": {"uri": config_uri}, "position": at}), &mut seen);
    let labels: Vec<&str> = list["items"].as_array().expect("items").iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["town"]);

    // Hover: an indicator, a function of the engine, a function of the workspace's script.
    let hover = |c: &mut Client, needle: &str, seen: &mut Vec<Value>| {
        let h = c.request("textDocument/hover", json!({"textDocument": {"uri": config_uri}, "position": pos(&fine, needle, 1)}), seen);
        h["contents"]["value"].as_str().unwrap_or_default().to_string()
    };
    let gdp = hover(&mut c, "gdp, \"town\"", &mut seen);
    assert!(gdp.starts_with("**gdp**: 地区生产总值 (亿元)"), "{gdp}");
    assert!(gdp.contains("roll-up sum"), "{gdp}");
    let rollup = hover(&mut c, "rollup(gdp", &mut seen);
    assert!(rollup.starts_with("```rhai\nrollup("), "{rollup}");
    let mine = hover(&mut c, "growth_of(gdp)", &mut seen);
    assert_eq!(mine, "```rhai\ngrowth_of(s)\n```\n同比增速(%),保留到百分点");
    let share = hover(&mut c, "local_fiscal_share >= 0", &mut seen);
    assert!(share.starts_with("**local_fiscal_share**: 地方财政收入占财政总收入比重 (%)"), "{share}");
    assert!(share.contains("share_pct(local_fiscal_revenue, fiscal_revenue)"), "{share}");

    // Go to definition: the derived indicator's table, the script's function.
    let def = |c: &mut Client, needle: &str, seen: &mut Vec<Value>| {
        c.request("textDocument/definition", json!({"textDocument": {"uri": config_uri}, "position": pos(&fine, needle, 2)}), seen)
    };
    let share_def = def(&mut c, "local_fiscal_share >= 0", &mut seen);
    assert_eq!(share_def["uri"], config_uri);
    assert_eq!(share_def["range"]["start"], pos(&fine, "[indicators.local_fiscal_share]", 0));
    let fn_def = def(&mut c, "growth_of(gdp)", &mut seen);
    assert_eq!(fn_def["uri"], script_uri);
    assert_eq!(fn_def["range"]["start"], pos(script, "growth_of(s)", 0));

    // A syntax error in the open script: placed in the script file.
    seen.retain(|m| m["method"] != "textDocument/publishDiagnostics");
    let bad_script = "/// 同比增速\nfn growth_of(s) {\n  yoy_pct(s) +\n}\n";
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": script_uri, "languageId": "rhai", "version": 1, "text": bad_script}}));
    let d = c.diagnostics_for(&script_uri, &mut seen);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "syntax");
    assert_eq!(d[0]["range"]["start"], pos(bad_script, "}\n", 0));

    let shut = c.request("shutdown", Value::Null, &mut seen);
    assert_eq!(shut, Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().expect("exits");
    assert!(status.success(), "{status}");
}
