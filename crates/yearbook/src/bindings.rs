//! What a sequence of inputs defines and keeps between them: `let` values and `fn`
//! functions, as a REPL or a notebook evaluates one input after another
//! ([`Workspace::eval_with`](crate::workspace::Workspace::eval_with)).

use crate::value::Value;
use rhai::{AST, Scope, Stmt};

/// Values and functions defined so far.
#[derive(Default)]
pub struct Bindings {
    pub(crate) scope: Scope<'static>,
    pub(crate) functions: AST,
    /// (name, text) of inputs that defined functions: errors inside them quote these.
    pub(crate) sources: Vec<(String, String)>,
}

/// A function a script defined, for help and completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnDoc {
    /// Its name.
    pub name: String,
    /// Its parameters' names.
    pub params: Vec<String>,
    /// Its `///` comment, joined into one line (empty when it has none).
    pub doc: String,
}

impl Bindings {
    /// Nothing defined yet.
    pub fn new() -> Bindings {
        Bindings::default()
    }
    /// Names of the values defined (`let`), in order of definition.
    pub fn names(&self) -> Vec<String> {
        self.scope.iter_raw().map(|(n, _, _)| n.to_string()).collect()
    }
    /// Whether a value named `name` is defined.
    pub fn contains(&self, name: &str) -> bool {
        self.scope.contains(name)
    }
    /// Defines (or replaces) the value `name`.
    pub fn set(&mut self, name: &str, value: Value) {
        self.scope.set_value(name.to_string(), value.into_dynamic());
    }
    /// The functions defined.
    pub fn functions(&self) -> Vec<FnDoc> {
        fn_docs(&self.functions)
    }

    /// Keeps what `ast` (the input `text`, named `name`) defined: its functions. Returns
    /// its definitions as `fn name/arity` and `let name`, empty when it defines nothing.
    pub(crate) fn keep(&mut self, ast: &AST, name: &str, text: &str) -> Vec<String> {
        let mut defined: Vec<String> = ast.iter_functions().map(|f| format!("fn {}/{}", f.name, f.params.len())).collect();
        if !defined.is_empty() {
            let mut fns = ast.clone();
            fns.clear_statements();
            self.functions.combine(fns);
            self.sources.push((name.to_string(), text.to_string()));
        }
        defined.extend(ast.statements().iter().filter_map(|s| match s {
            Stmt::Var(v, ..) => Some(format!("let {}", v.0.name)),
            _ => None,
        }));
        defined
    }
}

/// The functions `ast` defines, with their doc comments.
pub fn fn_docs(ast: &AST) -> Vec<FnDoc> {
    ast.iter_functions()
        .map(|f| FnDoc {
            name: f.name.to_string(),
            params: f.params.iter().map(|p| p.to_string()).collect(),
            doc: f.comments.iter().flat_map(|c| c.lines()).map(|l| l.trim_start_matches("///").trim()).collect::<Vec<_>>().join(" "),
        })
        .collect()
}
