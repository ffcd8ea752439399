//! The module graph (issue #18): no top-level module imports one that
//! imports it back, in the library or in the binary, so that the tree reads
//! one way (README, Layout). Read from the sources: what `crate::` (and, in a
//! top-level file, `super::`) paths name, outside comments, strings and test
//! code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The text with comments and the contents of string and char literals
/// blanked, so that neither a doc link nor a message counts as an import.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < b.len() {
                if text[i..].starts_with("/*") {
                    depth += 1;
                    i += 2;
                } else if text[i..].starts_with("*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if let Some(hashes) = raw_string_start(rest) {
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes + usize::from(rest.starts_with("br"));
            i = text[body..].find(&close).map_or(b.len(), |p| body + p + close.len());
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && is_char_literal(rest) {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            let c = rest.chars().next().expect("not at the end");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `r"`, `r#"`, `br"` ...: the number of `#`s.
fn raw_string_start(s: &str) -> Option<usize> {
    let s = s.strip_prefix('b').unwrap_or(s).strip_prefix('r')?;
    let hashes = s.len() - s.trim_start_matches('#').len();
    s[hashes..].starts_with('"').then_some(hashes)
}

/// `'x'`, `'\n'`, `'\u{..}'` rather than a lifetime (`'a`).
fn is_char_literal(s: &str) -> bool {
    let mut chars = s.chars().skip(1);
    match chars.next() {
        Some('\\') => true,
        Some(_) => chars.next() == Some('\''),
        None => false,
    }
}

/// The code with every `#[cfg(test)]` item left out, and the names of
/// test-only module files it declares (`#[cfg(test)] mod tests;`).
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut test_files = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = rest[at + "#[cfg(test)]".len()..].trim_start();
        if let Some(name) = item.strip_prefix("mod ").map(str::trim_start) {
            let end = name.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(name.len());
            if name[end..].trim_start().starts_with(';') {
                test_files.push(name[..end].to_string());
            }
        }
        // The item ends at `;` or `,` outside brackets, after its body's
        // closing brace, or where the enclosing brackets close.
        let mut depth = 0i32;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth < 0 {
                        end = i;
                        break;
                    }
                    if depth == 0 && c == '}' {
                        end = i + 1;
                        break;
                    }
                }
                ';' | ',' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    (out, test_files)
}

fn ident_at(s: &str) -> &str {
    &s[..s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len())]
}

/// The top-level modules a file's code names: `crate::x`, `crate::{x, y::z}`,
/// and `super::x` when the file is a top-level module itself.
fn imports(code: &str, top_level_file: bool) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let prefixes: &[&str] = if top_level_file { &["crate::", "super::"] } else { &["crate::"] };
    for prefix in prefixes {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let after = code[at + prefix.len()..].trim_start();
            if let Some(group) = after.strip_prefix('{') {
                // Top-level names of the group: the first word of each
                // comma-separated part at depth 0.
                let mut depth = 0;
                let mut start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => start = true,
                        c if c.is_whitespace() => {}
                        _ if start && depth == 0 => {
                            found.insert(ident_at(&group[i..]).to_string());
                            start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                found.insert(ident_at(after).to_string());
            }
        }
    }
    found
}

/// The modules a crate root declares (`mod x;`, `pub mod x;`).
fn declared(root: &str) -> Vec<String> {
    let (code, _) = without_tests(&code_only(root));
    code.lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("pub ").unwrap_or(l.trim());
            let name = l.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_string())
        })
        .collect()
}

/// The `.rs` files of top-level module `name`, without test-only files.
fn files_of(dir: &Path, name: &str) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    let file = dir.join(format!("{name}.rs"));
    if file.is_file() {
        out.push((file, true));
    }
    let sub = dir.join(name);
    if sub.is_dir() {
        let mut stack = vec![sub.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let top = p == sub.join("mod.rs");
                    out.push((p, top));
                }
            }
        }
    }
    out.sort();
    out
}

/// Each top-level module and the top-level modules it imports.
fn graph(root_file: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = src();
    let root = std::fs::read_to_string(dir.join(root_file)).unwrap();
    let modules = declared(&root);
    let known: BTreeSet<String> = modules.iter().cloned().collect();
    let mut graph = BTreeMap::new();
    for m in &modules {
        let files = files_of(&dir, m);
        assert!(!files.is_empty(), "no file for module `{m}` of {root_file}");
        // Two passes: a test-only file may sort before the file declaring it.
        let read: Vec<(&PathBuf, bool, String, Vec<String>)> = files
            .iter()
            .map(|(path, top)| {
                let (code, tests) = without_tests(&code_only(&std::fs::read_to_string(path).unwrap()));
                (path, *top, code, tests)
            })
            .collect();
        let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
        for (path, _, _, tests) in &read {
            // `#[cfg(test)] mod tests;` in a/mod.rs is a/tests.rs; in a.rs, a/tests.rs.
            let base = if path.file_name().is_some_and(|f| f == "mod.rs") { path.parent().unwrap().to_path_buf() } else { path.with_extension("") };
            for t in tests {
                test_only.insert(base.join(format!("{t}.rs")));
                test_only.insert(base.join(t).join("mod.rs"));
            }
        }
        let mut deps = BTreeSet::new();
        for (path, top, code, _) in &read {
            if !test_only.contains(*path) {
                deps.extend(imports(code, *top).into_iter().filter(|d| d != m && known.contains(d)));
            }
        }
        graph.insert(m.clone(), deps);
    }
    graph
}

/// Every path of imports that comes back to where it started.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for start in graph.keys() {
        // Shortest way back to `start`, breadth first.
        let mut from: BTreeMap<&String, &String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(m) = queue.pop_front() {
            for d in &graph[m] {
                if d == start {
                    let mut path = vec![m.clone()];
                    let mut at = m;
                    while at != start {
                        at = from[at];
                        path.push(at.clone());
                    }
                    path.reverse();
                    path.push(start.clone());
                    found.push(path);
                    queue.clear();
                    break;
                }
                if !from.contains_key(d) && d != start {
                    from.insert(d, m);
                    queue.push_back(d);
                }
            }
        }
    }
    found
}

fn describe(graph: &BTreeMap<String, BTreeSet<String>>) -> String {
    graph.iter().map(|(m, d)| format!("{m} → {}", d.iter().cloned().collect::<Vec<_>>().join(", "))).collect::<Vec<_>>().join("\n")
}

#[test]
fn no_library_module_imports_one_that_imports_it_back() {
    let g = graph("lib.rs");
    assert!(g.len() > 10 && g["pipeline"].contains("assemble"), "the graph was not read:\n{}", describe(&g));
    let c = cycles(&g);
    assert!(c.is_empty(), "import cycles:\n{}\n\ngraph:\n{}", c.iter().map(|p| p.join(" → ")).collect::<Vec<_>>().join("\n"), describe(&g));
}

/// The graph as the README's Layout writes it: a module per line, in
/// order, with what it imports (`assemble   → candidates, decide`).
fn documented() -> Vec<(String, BTreeSet<String>)> {
    let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let marker = "<!-- module graph: checked by tests/modules.rs -->";
    let after = &readme[readme.find(marker).expect("README has the module graph")..];
    let block = after.split("```").nth(1).expect("a code block after the marker");
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (name, deps) = l.split_once('→').unwrap_or((l, ""));
            (name.trim().to_string(), deps.split(',').map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect())
        })
        .collect()
}

#[test]
fn the_readme_says_what_imports_what_and_in_an_order_that_flows_one_way() {
    let g = graph("lib.rs");
    let doc = documented();
    let line = |m: &str| {
        let deps = g[m].iter().cloned().collect::<Vec<_>>().join(", ");
        if deps.is_empty() {
            m.to_string()
        } else {
            format!("{m:<10} → {deps}")
        }
    };
    let listed: BTreeSet<String> = doc.iter().map(|(m, _)| m.clone()).collect();
    let modules: BTreeSet<String> = g.keys().cloned().collect();
    assert_eq!(listed, modules, "the README's module graph should list every library module once");
    let mut wrong = Vec::new();
    let mut above = BTreeSet::new();
    for (m, deps) in &doc {
        if *deps != g[m] {
            wrong.push(format!("{}    (README: {:?})", line(m), deps));
        } else if let Some(d) = deps.iter().find(|d| !above.contains(*d)) {
            wrong.push(format!("{m} imports {d}, listed below it"));
        }
        above.insert(m.clone());
    }
    assert!(wrong.is_empty(), "README, Layout, module graph: lines to change:\n{}", wrong.join("\n"));
}

#[test]
fn no_binary_module_imports_one_that_imports_it_back() {
    let g = graph("main.rs");
    let c = cycles(&g);
    assert!(c.is_empty(), "import cycles:\n{}\n\ngraph:\n{}", c.iter().map(|p| p.join(" → ")).collect::<Vec<_>>().join("\n"), describe(&g));
}

#[test]
fn the_reader_sees_imports_and_skips_comments_strings_and_tests() {
    let code = code_only(
        r##"
use crate::{a, b::{c, d}, e as f};
// crate::comment
/* crate::block /* nested */ crate::still */
let s = "crate::string"; let r = r#"crate::raw"#; let q = '"'; fn x<'a>() {}
#[cfg(test)]
mod tests { use crate::test_only; }
#[cfg(test)]
mod proptests;
fn g() { crate::h::call(); super::i::j(); }
"##,
    );
    let (code, tests) = without_tests(&code);
    assert_eq!(tests, vec!["proptests".to_string()]);
    let want: BTreeSet<String> = ["a", "b", "e", "h", "i"].iter().map(|s| s.to_string()).collect();
    assert_eq!(imports(&code, true), want);
    assert!(!imports(&code, false).contains("i"));
}
