//! The sandboxed engine: no packages that touch files, no `eval`, no imports outside
//! the workspace's scripts folder, and limits on operations, depth, sizes and wall time.

use rhai::{Dynamic, Engine};
use yearbook_core::tally::{self, Stop};
use yearbook_io::config::Limits;

/// Value the engine terminates with when the time limit is reached.
pub const TIMEOUT_TOKEN: &str = "yearbook:timeout";
/// Value the engine terminates with when the evaluation's cancel token is set.
pub const INTERRUPT_TOKEN: &str = "yearbook:interrupt";
/// Value the engine terminates with when the memory budget is passed.
pub const MEMORY_TOKEN: &str = "yearbook:memory";

thread_local! {
    /// Operations this thread has run, for the checks of [`engine`]'s progress callback.
    static PROGRESS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A raw engine with the standard language packages and the limits applied.
pub fn engine(limits: &Limits, scripts_dir: Option<&std::path::Path>) -> Engine {
    let mut e = Engine::new_raw();
    e.register_global_module(rhai::packages::Package::as_shared_module(&rhai::packages::StandardPackage::new()));
    // In front of the standard package: no sleep, callbacks' errors surface, no NaN in text.
    e.register_global_module(crate::guard::module().into());
    e.disable_symbol("eval");
    // Registered operators must win over the built-in ones (`1/2` is 0.5): see numbers.rs.
    e.set_fast_operators(false);
    e.set_max_operations(limits.max_operations);
    e.set_max_call_levels(limits.max_call_depth);
    e.set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth);
    e.set_max_string_size(limits.max_string_size);
    e.set_max_array_size(limits.max_array_size);
    e.set_max_map_size(limits.max_map_size);
    e.set_max_variables(10_000);
    e.set_max_functions(10_000);
    e.set_max_modules(64);
    match scripts_dir {
        Some(dir) => {
            let mut r = rhai::module_resolvers::FileModuleResolver::new_with_path(dir);
            r.enable_cache(true);
            e.set_module_resolver(ConfinedResolver { dir: dir.to_path_buf(), inner: r });
        }
        None => {
            e.set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
        }
    }
    e.on_print(|text| tally::print(text.to_string()));
    e.on_debug(|text, source, pos| {
        let at = match (source, pos.line()) {
            (Some(src), Some(l)) => format!("{src}:{l}: "),
            (None, Some(l)) => format!("line {l}: "),
            _ => String::new(),
        };
        let sep = if text.contains('\n') { "\n" } else { "" };
        tally::print(format!("[debug] {at}{sep}{}", text.trim_end()))
    });
    yearbook_core::memory::set_limit_mb(limits.max_memory_mb);
    // The evaluation in progress on this thread (kernel::tally) says when to stop: its
    // memory mark at once, its cancel token and deadline every 256 operations. Counted
    // here, not by Rhai's count: a closure that a native function calls (`sort`, `map`
    // over a million items) starts from the count of the call that called it, so that
    // count did not grow from one closure call to the next and the deadline was never
    // looked at.
    e.on_progress(|_| {
        let n = PROGRESS.with(|c| {
            let n = c.get().wrapping_add(1);
            c.set(n);
            n
        });
        let stop = tally::with_current(|t| {
            if n.is_multiple_of(4096) {
                t.stop().or_else(|| t.script_memory_stop())
            } else if n.is_multiple_of(256) {
                t.stop()
            } else {
                t.memory_stop()
            }
        })
        .flatten()?;
        Some(Dynamic::from(match stop {
            Stop::Memory(_) => MEMORY_TOKEN,
            Stop::Cancelled => INTERRUPT_TOKEN,
            Stop::Timeout => TIMEOUT_TOKEN,
        }))
    });
    e
}

/// Loads modules only from inside the scripts folder: no absolute paths, no `..`, no
/// symbolic links that lead out of it.
struct ConfinedResolver {
    dir: std::path::PathBuf,
    inner: rhai::module_resolvers::FileModuleResolver,
}

impl rhai::ModuleResolver for ConfinedResolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        pos: rhai::Position,
    ) -> Result<rhai::Shared<rhai::Module>, Box<rhai::EvalAltResult>> {
        let p = std::path::Path::new(path);
        // The file the inner resolver will read, spelled as it spells it (`m`, `m.rhai`
        // and `m.x` are all `m.rhai`): a symbolic link inside scripts/, to a file or to a
        // folder, may point anywhere, so the real path of that very file must stay inside.
        let file = self.inner.get_file_path(path, None);
        let outside = match file.canonicalize() {
            Ok(real) => self.dir.canonicalize().map_or(true, |dir| !real.starts_with(dir)),
            // No such file: the inner resolver says it is not found.
            Err(_) => false,
        };
        // `..` is refused where it leaves the folder even as written (a file not there yet
        // is never looked for outside), and otherwise by the real path (`sub/../x` is
        // scripts/x.rhai).
        let mut depth = 0i32;
        let climbs_out = p.components().any(|c| {
            match c {
                std::path::Component::ParentDir => depth -= 1,
                std::path::Component::Normal(_) => depth += 1,
                _ => {}
            }
            depth < 0
        });
        let escapes = p.is_absolute() || climbs_out || outside;
        if escapes {
            return Err(rhai::EvalAltResult::ErrorInModule(
                path.to_string(),
                format!("scripts may only import modules from the workspace's scripts folder ({}), not \"{path}\"", self.dir.display())
                    .into(),
                pos,
            )
            .into());
        }
        // Imports are read from the top of scripts/, wherever the importing module lies: a
        // module in a subfolder importing "x" beside a file of that name there (sub/x.rhai)
        // would silently read another file (scripts/x.rhai) than the one it sits with.
        // The importing module's source is the path it was imported by (`sub/rel`).
        if let Some(src) = source.map(|s| self.inner.get_file_path(s, None)).filter(|f| f.is_file())
            && let Some(folder) = src.parent()
            && folder.canonicalize().ok() != self.dir.canonicalize().ok()
            && !p.is_absolute()
        {
            let beside = self.inner.get_file_path(path, None);
            let beside = folder.join(beside.strip_prefix(&self.dir).unwrap_or(&beside));
            if beside.is_file() && beside.canonicalize().ok() != file.canonicalize().ok() {
                let rel = |f: &std::path::Path| f.strip_prefix(&self.dir).unwrap_or(f).display().to_string();
                return Err(rhai::EvalAltResult::ErrorInModule(
                    path.to_string(),
                    format!(
                        "\"{path}\" in {} reads {} (imports are read from the top of the scripts folder), but {} lies beside it: \
                         import it by its path from the scripts folder (\"{}\"), or rename one of the two",
                        rel(&src),
                        if file.is_file() { rel(&file) } else { format!("{} (not there)", rel(&file)) },
                        rel(&beside),
                        rel(&beside).trim_end_matches(".rhai")
                    )
                    .into(),
                    pos,
                )
                .into());
            }
        }
        // A module that imports itself, directly or through others, would be read again
        // inside its own reading until the native stack overflows: refused, naming the
        // cycle. Nested imports deeper than [`MAX_IMPORT_DEPTH`] are refused too.
        let key = file.canonicalize().unwrap_or(file);
        let name = |p: &std::path::Path| p.file_stem().map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into_owned());
        let refused = IMPORTING.with(|stack| {
            let stack = stack.borrow();
            if let Some(first) = stack.iter().position(|p| *p == key) {
                let cycle: Vec<String> = stack[first..].iter().map(|p| name(p)).chain([name(&key)]).collect();
                Some(format!(
                    "\"{path}\" is already being imported (an import cycle: {}); move what both modules need into a third \
                     module that imports neither",
                    cycle.join(" → ")
                ))
            } else if stack.len() >= MAX_IMPORT_DEPTH {
                Some(format!("\"{path}\" is imported {MAX_IMPORT_DEPTH} modules deep; import fewer modules from within modules"))
            } else {
                None
            }
        });
        if let Some(why) = refused {
            return Err(rhai::EvalAltResult::ErrorInModule(path.to_string(), why.into(), pos).into());
        }
        // What the scripts file refuses, a module refuses too (`-x ** 2`: see
        // [`crate::negated_power`]), at its line in the module.
        if let Ok(text) = std::fs::read_to_string(&key)
            && let Err(e) = crate::negated_power::check(engine, &text).and_then(|()| crate::date_literal::check(engine, &text))
        {
            let at = e.1;
            return Err(
                rhai::EvalAltResult::ErrorInModule(path.to_string(), rhai::EvalAltResult::ErrorParsing(*e.0, at).into(), pos).into()
            );
        }
        IMPORTING.with(|stack| stack.borrow_mut().push(key));
        let out = self.inner.resolve(engine, source, path, pos);
        IMPORTING.with(|stack| stack.borrow_mut().pop());
        out
    }
}

/// How many modules deep an import inside a module may go.
const MAX_IMPORT_DEPTH: usize = 32;

thread_local! {
    /// The modules this thread is reading, outermost first (an import cycle is refused).
    static IMPORTING: std::cell::RefCell<Vec<std::path::PathBuf>> = const { std::cell::RefCell::new(Vec::new()) };
}
