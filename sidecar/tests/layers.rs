//! The sidecar's modules depend one way. Each top-level module of `sidecar/src` is in one layer,
//! and a module may use only its own layer and those below (see `docs/architecture.md`):
//!
//! 1. **infrastructure**: errors, the envelope, extractors, lists, the database, the clock;
//! 2. **platform**: who calls and what they may do (auth, users, security, settings), the live
//!    bus, the desktop and the system routes;
//! 3. **areas**: the workshop's business (clients, tasks, scheduling, calendar, …), which may use
//!    each other but never in a cycle;
//! 4. **roots**: what puts it all together (the app state, the OpenAPI document, the seed, the
//!    binaries).
//!
//! Any module may name the app state (`State<AppState>` in every handler).
//!
//! A new top-level module fails this test until it is placed in a layer, and an import that
//! goes up a layer, or closes a cycle between areas, fails it with the path of the import. The
//! same document's length rule (400 lines a source file, 600 a test file) is checked here too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const INFRASTRUCTURE: &[&str] = &[
    "clock",
    "config",
    "db",
    "error",
    "extract",
    "list",
    "pdf",
    "middleware",
    "response",
    "routing",
    "shutdown",
    "spreadsheet",
    "telemetry",
    "tls",
    "validate",
];
const PLATFORM: &[&str] = &[
    "auth", "desktop", "live", "security", "settings", "system", "users",
];
const AREAS: &[&str] = &[
    "calendar",
    "clients",
    "interventions",
    "materials",
    "ops",
    "quotes",
    "scheduling",
    "tasks",
];
const ROOTS: &[&str] = &["bin", "lib", "main", "openapi", "seed", "state"];
/// Every handler takes `State<AppState>`: the state is a root (it holds the areas' shared
/// parts) that any module may name.
const ANYONE_MAY_USE: &[&str] = &["state"];

fn layer(module: &str) -> Option<usize> {
    [INFRASTRUCTURE, PLATFORM, AREAS, ROOTS]
        .iter()
        .position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let first = file.strip_prefix(src).unwrap().components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_owned()
}

/// The top-level modules a file's code (not its comments) names through `crate::`.
fn uses(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c}`: each item's first segment.
                let inner = group.split('}').next().unwrap_or_default();
                for item in inner.split(',') {
                    let name = item.trim().split("::").next().unwrap_or_default();
                    if !name.is_empty() {
                        found.insert(name.to_owned());
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.insert(name);
            }
        }
    }
    found
}

/// Module → the modules it uses, and where (a file of each edge, for the message).
fn graph() -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        let code = std::fs::read_to_string(&file).unwrap();
        let edges = graph.entry(module.clone()).or_default();
        for used in uses(&code) {
            if used != module && layer(&used).is_some() {
                edges.entry(used).or_insert_with(|| file.clone());
            }
        }
    }
    graph
}

#[test]
fn every_module_is_in_a_layer() {
    let unplaced: Vec<String> = graph()
        .into_keys()
        .filter(|module| layer(module).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "place these modules in a layer of tests/layers.rs (and docs/architecture.md): {unplaced:?}"
    );
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let mut upward = Vec::new();
    for (module, edges) in graph() {
        let Some(own) = layer(&module) else { continue };
        for (used, file) in edges {
            if layer(&used).is_some_and(|theirs| theirs > own)
                && !ANYONE_MAY_USE.contains(&used.as_str())
            {
                upward.push(format!("{module} uses {used} ({})", file.display()));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that go up a layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn areas_depend_one_way() {
    let graph = graph();
    let area_edges = |module: &str| -> Vec<(String, PathBuf)> {
        graph
            .get(module)
            .into_iter()
            .flatten()
            .filter(|(used, _)| AREAS.contains(&used.as_str()))
            .map(|(used, file)| (used.clone(), file.clone()))
            .collect()
    };
    // A depth-first walk from each area; reaching the start again is a cycle.
    for start in AREAS {
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.to_string(), vec![])];
        let mut seen = BTreeSet::new();
        while let Some((module, path)) = stack.pop() {
            for (used, file) in area_edges(&module) {
                let mut path = path.clone();
                path.push(format!("{module} → {used} ({})", file.display()));
                assert!(
                    used != *start,
                    "areas import each other in a cycle:\n{}",
                    path.join("\n")
                );
                if seen.insert(used.clone()) {
                    stack.push((used, path));
                }
            }
        }
    }
}

/// Files that may make a CSV writer: only the one that makes every cell formula-safe and
/// bounds downloads (`spreadsheet`).
#[test]
fn every_csv_the_server_writes_goes_through_spreadsheet() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let writers: Vec<String> = files
        .iter()
        .filter(|file| module_of(&src, file) != "spreadsheet")
        .filter(|file| {
            let code = std::fs::read_to_string(file).unwrap();
            code.contains("WriterBuilder") || code.contains("csv::Writer")
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        writers.is_empty(),
        "write CSV with spreadsheet::CsvDownload (formula-safe cells, bounded downloads): {writers:?}"
    );
}

#[test]
fn the_check_sees_imports_and_skips_comments() {
    let code = "use crate::{error::Result, tasks};\n// crate::calendar in a comment\nlet x = crate::live::LiveBus::default();";
    let found: Vec<String> = uses(code).into_iter().collect();
    assert_eq!(found, ["error", "live", "tasks"]);
}

/// docs/architecture.md (Files): no source file over 400 lines, no test file over 600; a longer
/// one is split by capability.
#[test]
fn no_file_is_longer_than_the_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut long = Vec::new();
    for (dir, limit) in [
        ("sidecar/src", 400),
        ("tauri/src", 400),
        ("tauri/protocol/src", 400),
        ("sidecar/tests", 600),
        ("tauri/tests", 600),
    ] {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        for file in files {
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            if lines > limit {
                long.push(format!("{} ({lines} > {limit})", file.display()));
            }
        }
    }
    assert!(long.is_empty(), "split by capability: {long:?}");
}
