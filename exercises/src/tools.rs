//! Which tools an answer calls, read from its source with a Rust parser
//! (`syn`), not searched for as text: a word in a comment or a string, or in
//! a name of the learner's own, does not count. Only the functions the
//! learner wrote or changed are read, so the starter's own code is never
//! taken for theirs.

use std::collections::{BTreeSet, HashMap};

use syn::visit::{self, Visit};

use crate::language::{message, tr};

/// Where a tool is the point of an exercise: what its answer must call, and
/// what it must not.
pub struct Tools {
    /// Each rule: the code must call one of the names, or be told the why.
    pub uses: &'static [Rule],
    /// Each rule: the code must call none of the names, or be told the why.
    pub avoids: &'static [Rule],
}

/// Names of tools, and what to tell a learner about them (a message of
/// `i18n/`). A name is a path,
/// matched on whole segments once the file's `use` lines are applied
/// (`thread::scope` is `std::thread::scope`, however it was imported), or a
/// method, written `.buffer_unordered`, which also matches a path ending in
/// it.
pub type Rule = (&'static [&'static str], &'static str);

/// No tool is the point: any answer that does the work passes.
pub const ANY: Tools = Tools { uses: &[], avoids: &[] };

impl Tools {
    /// `Err` with what to change if `answer`, an exercise whose starter is
    /// `starter`, does not call the tools it must, or calls one it must not.
    pub fn check(&self, answer: &str, starter: &str) -> Result<(), String> {
        if self.uses.is_empty() && self.avoids.is_empty() {
            return Ok(());
        }
        let called = Called::in_changes(answer, starter)?;
        for (names, why) in self.uses {
            if !names.iter().any(|name| called.has(name)) {
                let names: Vec<_> =
                    names.iter().map(|name| name.trim_start_matches('.')).collect();
                let (tools, count) = (names.join("`, `"), names.len());
                return Err(tr!(
                    "tool-not-called",
                    tools = tools,
                    count = count,
                    why = message(why)
                ));
            }
        }
        for (names, why) in self.avoids {
            if let Some(name) = names.iter().find(|name| called.has(name)) {
                let tool = name.trim_start_matches('.');
                return Err(tr!("tool-called", tool = tool, why = message(why)));
            }
        }
        Ok(())
    }
}

/// What some code calls: each path as written, with the file's imports
/// applied, and each method.
#[derive(Default)]
struct Called {
    /// The full name an imported name stands for, such as `scope` for
    /// `std::thread::scope`.
    imports: HashMap<String, String>,
    paths: BTreeSet<String>,
    methods: BTreeSet<String>,
}

impl Called {
    /// What the functions of `answer` that `starter` does not have as they
    /// are (changed, or new) call.
    fn in_changes(answer: &str, starter: &str) -> Result<Called, String> {
        let parse = |text: &str| {
            syn::parse_file(text)
                .map_err(|err| tr!("tool-unparsed", error = err.to_string()))
        };
        let (answer, starter) = (parse(answer)?, parse(starter)?);
        let mut called = Called::default();
        for item in &answer.items {
            if let syn::Item::Use(import) = item {
                called.import(String::new(), &import.tree);
            }
        }
        for item in &answer.items {
            let code = matches!(item, syn::Item::Fn(_) | syn::Item::Impl(_));
            if code && !starter.items.contains(item) {
                called.visit_item(item);
            }
        }
        Ok(called)
    }

    /// Records what the names a `use` tree brings in stand for.
    fn import(&mut self, prefix: String, tree: &syn::UseTree) {
        let joined = |name: &syn::Ident| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}::{name}")
            }
        };
        match tree {
            syn::UseTree::Path(path) => self.import(joined(&path.ident), &path.tree),
            syn::UseTree::Name(name) => {
                self.imports.insert(name.ident.to_string(), joined(&name.ident));
            }
            syn::UseTree::Rename(rename) => {
                self.imports
                    .insert(rename.rename.to_string(), joined(&rename.ident));
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.import(prefix.clone(), tree);
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }

    /// Whether the code calls `name` (see [`Rule`]).
    fn has(&self, name: &str) -> bool {
        match name.strip_prefix('.') {
            Some(method) => {
                self.methods.contains(method)
                    || self
                        .paths
                        .iter()
                        .any(|path| path.ends_with(&format!("::{method}")))
            }
            None => {
                let name = format!("::{name}::");
                self.paths.iter().any(|path| format!("::{path}::").contains(&name))
            }
        }
    }
}

impl Visit<'_> for Called {
    fn visit_path(&mut self, path: &syn::Path) {
        let mut segments =
            path.segments.iter().map(|segment| segment.ident.to_string());
        let first = segments.next().unwrap_or_default();
        let first = self.imports.get(&first).cloned().unwrap_or(first);
        let rest: Vec<String> = segments.collect();
        self.paths.insert([vec![first], rest].concat().join("::"));
        visit::visit_path(self, path);
    }

    fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
        self.methods.insert(call.method.to_string());
        visit::visit_expr_method_call(self, call);
    }

    /// A macro's input is tokens to syn, not code: `pin!(stream)`,
    /// `select! { .. }` or `println!("{}", f())` hide what they are given. It
    /// is read as the code it most likely is: expressions separated by commas,
    /// or else statements; a macro of some other grammar (`select!`'s arms)
    /// is read piece by piece.
    fn visit_macro(&mut self, mac: &syn::Macro) {
        use syn::{Expr, Token, parse::Parser, punctuated::Punctuated};
        let expressions = Punctuated::<Expr, Token![,]>::parse_terminated;
        if let Ok(expressions) = expressions.parse2(mac.tokens.clone()) {
            expressions.iter().for_each(|expr| self.visit_expr(expr));
        } else if let Ok(statements) =
            syn::Block::parse_within.parse2(mac.tokens.clone())
        {
            statements.iter().for_each(|statement| self.visit_stmt(statement));
        } else {
            self.visit_token_trees(mac.tokens.clone());
        }
        visit::visit_macro(self, mac);
    }
}

impl Called {
    /// Reads a macro of a grammar of its own, such as `select! { x =
    /// f() => { g() }, .. }`, as the pieces of code between its `,`, `;`, `=`
    /// and `=>`: `x`, `f()` and `{ g() }`. A piece that is no expression is
    /// read group by group (its brackets' contents).
    fn visit_token_trees(&mut self, tokens: proc_macro2::TokenStream) {
        use proc_macro2::{Spacing, TokenStream, TokenTree};
        let mut pieces: Vec<Vec<TokenTree>> = vec![Vec::new()];
        let mut tokens = tokens.into_iter().peekable();
        let mut joined = false; // the last token was the start of `==`, `<=`...
        while let Some(token) = tokens.next() {
            let ends_a_piece = match &token {
                TokenTree::Punct(punct) => {
                    let arrow = punct.as_char() == '='
                        && matches!(tokens.peek(), Some(TokenTree::Punct(next)) if next.as_char() == '>');
                    if arrow {
                        tokens.next();
                    }
                    let alone = punct.spacing() == Spacing::Alone && !joined;
                    let ends = arrow
                        || (alone && matches!(punct.as_char(), ',' | ';' | '='));
                    joined = !arrow && punct.spacing() == Spacing::Joint;
                    ends
                }
                _ => {
                    joined = false;
                    false
                }
            };
            match pieces.last_mut() {
                Some(piece) if !ends_a_piece => piece.push(token),
                _ => pieces.push(Vec::new()),
            }
        }
        for piece in pieces {
            let piece: TokenStream = piece.into_iter().collect();
            match syn::parse2::<syn::Expr>(piece.clone()) {
                Ok(expr) => self.visit_expr(&expr),
                Err(_) => {
                    for tree in piece {
                        if let TokenTree::Group(group) = tree {
                            self.visit_token_trees(group.stream());
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STARTER: &str = "use std::thread;\n\
        fn main() { let pool = threadpool::ThreadPool::new(2); }\n\
        fn download_all() { todo!() }\n";

    const SCOPED: Tools = Tools {
        uses: &[(&["thread::scope"], "tool-scope")],
        avoids: &[(&[".clone"], "tool-no-clones")],
    };

    fn check(tools: &Tools, download_all: &str) -> Result<(), String> {
        let answer = STARTER.replace("fn download_all() { todo!() }", download_all);
        tools.check(&answer, STARTER)
    }

    #[test]
    fn a_tool_is_seen_however_it_was_imported() {
        let ways = [
            "fn download_all() { thread::scope(|s| {}); }",
            "fn download_all() { std::thread::scope(|s| {}); }",
            "use std::thread::scope as within;\nfn download_all() { within(|s| {}); }",
        ];
        for way in ways {
            assert_eq!(check(&SCOPED, way), Ok(()), "{way}");
        }
    }

    #[test]
    fn a_tool_named_in_a_comment_a_string_or_a_name_is_not_called() {
        let ways = [
            "fn download_all() { /* thread::scope */ }",
            "fn download_all() { let _ = \"thread::scope\"; }",
            "fn download_all() { let thread_scope = 1; }",
            "fn download_all() { crossbeam::scope(|s| {}); }",
        ];
        let why = message("tool-scope");
        for way in ways {
            let said = format!("it does not call `thread::scope`: {why}");
            assert_eq!(check(&SCOPED, way), Err(said), "{way}");
        }
    }

    #[test]
    fn a_tool_to_avoid_is_named_with_why() {
        let way = "fn download_all() { thread::scope(|s| { url.clone(); }); }";
        let why = message("tool-no-clones");
        assert_eq!(check(&SCOPED, way), Err(format!("it calls `clone`: {why}")));
    }

    #[test]
    fn a_tool_called_inside_a_macro_is_called() {
        let ways = [
            "fn download_all() { let s = std::pin::pin!(thread::scope(|s| {})); }",
            "fn download_all() { println!(\"{:?}\", thread::scope(|s| {})); }",
            "fn download_all() { tokio::select! { _ = thread::scope(|s| {}) => {} } }",
            "fn download_all() { tokio::select! { x = f() => { thread::scope(|s| {}) } } }",
            "fn download_all() { m! { a == b, if c <= d => thread::scope(|s| {}) } }",
        ];
        for way in ways {
            assert_eq!(check(&SCOPED, way), Ok(()), "{way}");
        }
        let named = "fn download_all() { println!(\"thread::scope\"); }";
        assert!(check(&SCOPED, named).is_err(), "a string in a macro is no call");
    }

    #[test]
    fn only_the_code_the_learner_wrote_is_read() {
        let threadpool =
            Tools { uses: &[], avoids: &[(&["threadpool"], "tool-threadpool")] };
        let way = "fn download_all() { thread::scope(|s| {}); }";
        assert_eq!(check(&threadpool, way), Ok(()), "main, the starter's, uses it");
        let helper = format!("{way}\nfn helper() {{ threadpool::Builder::new(); }}");
        assert!(check(&threadpool, &helper).is_err(), "a helper of theirs does");
    }
}
