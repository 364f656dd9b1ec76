//! Words the script language (Rhai) keeps for itself: no indicator, derived indicator or
//! value may be named one, as every script naming it would fail to parse.

/// Rhai's active and reserved keywords and its special functions and values, from the
/// Rhai book's "Keywords" page (<https://rhai.rs/book/language/keywords.html>). A
/// keyword cannot name a variable or function even where its feature is disabled.
pub const KEYWORDS: [&str; 61] = [
    "true",
    "false",
    "let",
    "const",
    "var",
    "static",
    "is_shared",
    "shared",
    "is",
    "if",
    "else",
    "goto",
    "switch",
    "match",
    "case",
    "do",
    "while",
    "loop",
    "until",
    "for",
    "in",
    "continue",
    "break",
    "fn",
    "private",
    "is_def_fn",
    "this",
    "public",
    "protected",
    "new",
    "return",
    "throw",
    "try",
    "catch",
    "import",
    "export",
    "as",
    "use",
    "with",
    "module",
    "package",
    "super",
    "global",
    "Fn",
    "call",
    "curry",
    "spawn",
    "thread",
    "go",
    "sync",
    "async",
    "await",
    "yield",
    "type_of",
    "print",
    "debug",
    "eval",
    "is_def_var",
    "default",
    "void",
    "null",
];

/// Whether `name` is a word the script language keeps ([`KEYWORDS`], and `nil`).
pub fn is_keyword(name: &str) -> bool {
    name == "nil" || KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_known_and_names_are_not() {
        for k in ["yield", "let", "nil", "Fn", "is_def_var"] {
            assert!(is_keyword(k), "{k}");
        }
        for n in ["gdp", "yields", "value", "level", "fn_x"] {
            assert!(!is_keyword(n), "{n}");
        }
    }
}
