//! The server loop: open buffers, which workspace each belongs to, checking a workspace
//! again when one of its files changes (once per burst of edits), and answering
//! completion, hover and definition requests.

use crate::analysis::{Analysis, analyse};
use crate::uri;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Completion, GotoDefinition, HoverRequest, Request as _};
use lsp_types::{
    CompletionOptions, CompletionParams, CompletionResponse, GotoDefinitionParams, GotoDefinitionResponse, HoverParams,
    HoverProviderCapability, OneOf, PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use std::collections::{BTreeSet, HashMap};
use std::error::Error;
use std::path::{Path, PathBuf};

/// Errors of the transport (a closed pipe, a malformed message).
pub type ServeError = Box<dyn Error + Send + Sync>;

/// Serves the protocol on stdin and stdout until the client says `exit`.
pub fn serve_stdio() -> Result<(), ServeError> {
    let (connection, writer) = crate::transport::stdio();
    let served = serve(&connection);
    drop(connection);
    // Every answer written before returning (the reader thread ends with the process).
    let _ = writer.join();
    served
}

/// Serves the protocol on `connection` (stdio, a socket, or [`Connection::memory`] in a
/// test) until the client says `exit`.
pub fn serve(connection: &Connection) -> Result<(), ServeError> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..Default::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), "(".into()]),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        ..Default::default()
    };
    let (id, _params) = connection.initialize_start()?;
    let info = ServerInfo { name: "yearbook".into(), version: Some(env!("CARGO_PKG_VERSION").into()) };
    connection.initialize_finish(id, serde_json::json!({ "capabilities": capabilities, "serverInfo": info }))?;
    let mut server = Server::default();
    loop {
        let msg = match connection.receiver.recv() {
            Ok(m) => m,
            Err(_) => return Ok(()), // the client went away
        };
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    return Ok(());
                }
                server.refresh(connection)?;
                connection.sender.send(Message::Response(server.answer(req)))?;
            }
            Message::Notification(n) => server.note(n),
            Message::Response(_) => {}
        }
        // Check again once the burst of edits has been read.
        if connection.receiver.is_empty() {
            server.refresh(connection)?;
        }
    }
}

/// Open buffers and the last check of each workspace.
#[derive(Default)]
struct Server {
    /// Open buffers: path -> text.
    open: HashMap<PathBuf, String>,
    /// Each workspace's last check, by config path.
    analyses: HashMap<PathBuf, Analysis>,
    /// Workspaces to check again.
    stale: BTreeSet<PathBuf>,
}

impl Server {
    /// Takes a notification: a buffer opened, changed, saved or closed.
    fn note(&mut self, n: Notification) {
        let doc = match n.method.as_str() {
            DidOpenTextDocument::METHOD => serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                .ok()
                .map(|p| (p.text_document.uri, Some(p.text_document.text))),
            DidChangeTextDocument::METHOD => serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                .ok()
                .and_then(|p| Some((p.text_document.uri, Some(p.content_changes.into_iter().last()?.text)))),
            DidSaveTextDocument::METHOD => {
                serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params).ok().map(|p| (p.text_document.uri, None))
            }
            DidCloseTextDocument::METHOD => serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params).ok().map(|p| {
                if let Some(path) = uri::to_path(&p.text_document.uri) {
                    self.open.remove(&path);
                }
                (p.text_document.uri, None)
            }),
            _ => None,
        };
        let Some((u, text)) = doc else { return };
        let Some(path) = uri::to_path(&u) else { return };
        if let Some(t) = text {
            self.open.insert(path.clone(), t);
        }
        if let Some(config) = self.config_of(&path) {
            self.stale.insert(config);
        }
    }

    /// The config of the workspace a file belongs to: a `yearbook.toml` (or a TOML file
    /// with a `[workspace]` table) is its own; a script's is the nearest `yearbook.toml`
    /// above it.
    fn config_of(&self, path: &Path) -> Option<PathBuf> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => {
                let text = self.open.get(path).cloned().or_else(|| std::fs::read_to_string(path).ok())?;
                let is_config = path.file_name().is_some_and(|n| n == "yearbook.toml") || text.lines().any(|l| l.trim() == "[workspace]");
                is_config.then(|| path.to_path_buf())
            }
            Some("rhai") => {
                path.ancestors().skip(1).take(6).map(|d| d.join("yearbook.toml")).find(|c| c.is_file() || self.open.contains_key(c))
            }
            _ => None,
        }
    }

    /// Checks every stale workspace and publishes its diagnostics (clearing those of
    /// files that no longer have any).
    fn refresh(&mut self, connection: &Connection) -> Result<(), ServeError> {
        while let Some(config) = self.stale.pop_first() {
            let mut a = analyse(&config, &self.open);
            let old = self.analyses.remove(&config);
            // While the config does not even parse, keep completing with the last names.
            if a.names.is_none() {
                a.names = old.as_ref().and_then(|o| o.names.clone());
            }
            let mut files: BTreeSet<PathBuf> = a.diagnostics.keys().cloned().collect();
            files.extend(old.iter().flat_map(|o| o.diagnostics.keys().cloned()));
            for file in files {
                let diagnostics = a.diagnostics.get(&file).cloned().unwrap_or_default();
                let params = PublishDiagnosticsParams { uri: uri::from_path(&file), diagnostics, version: None };
                connection.sender.send(Message::Notification(Notification::new(PublishDiagnostics::METHOD.into(), params)))?;
            }
            self.analyses.insert(config, a);
        }
        Ok(())
    }

    /// Answers a request.
    fn answer(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            Completion::METHOD => serde_json::from_value::<CompletionParams>(req.params)
                .map(|p| {
                    self.at(&p.text_document_position, |a, c| a.names.as_ref().map(|n| crate::completion::complete(n, c)))
                        .map(CompletionResponse::List)
                })
                .map(|r| serde_json::to_value(r).unwrap_or_default()),
            HoverRequest::METHOD => serde_json::from_value::<HoverParams>(req.params)
                .map(|p| self.at(&p.text_document_position_params, |a, c| crate::hover::hover(a.names.as_ref()?, c)))
                .map(|r| serde_json::to_value(r).unwrap_or_default()),
            GotoDefinition::METHOD => serde_json::from_value::<GotoDefinitionParams>(req.params)
                .map(|p| self.at(&p.text_document_position_params, crate::definition::definition).map(GotoDefinitionResponse::Scalar))
                .map(|r| serde_json::to_value(r).unwrap_or_default()),
            _ => return Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("yearbook lsp does not handle {}", req.method)),
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
        }
    }

    /// Runs `f` on the analysis and the script cursor at a document position (None
    /// outside a workspace or outside any script).
    fn at<T>(&mut self, p: &TextDocumentPositionParams, f: impl FnOnce(&Analysis, &crate::cursor::Cursor) -> Option<T>) -> Option<T> {
        let path = uri::to_path(&p.text_document.uri)?;
        let config = self.config_of(&path)?;
        if !self.analyses.contains_key(&config) {
            let a = analyse(&config, &self.open);
            self.analyses.insert(config.clone(), a);
        }
        let a = self.analyses.get(&config)?;
        let text = match self.open.get(&path) {
            Some(t) => t.clone(),
            None => std::fs::read_to_string(&path).ok()?,
        };
        let c = crate::cursor::locate(a, &path, &text, p.position)?;
        f(a, &c)
    }
}
