//! Documentation data of the endpoint crates that the specs do not hold: the Docker CLI words
//! of operations (`#[doc(alias)]`) and the runnable examples of the common tasks.
//!
//! The examples are the functions in `examples/src/snippets/`: the lines between
//! `// doc:start` and `// doc:end` are shown, the rest of the file is kept as hidden lines so
//! the doctest compiles (`no_run`: it needs a daemon), and `docker_engine_api_v1_55` becomes
//! the crate of the version. `examples/tests/snippets_daemon.rs` runs the same functions
//! against the test daemon, so what the docs show is code that ran.

/// Docker CLI words, per operationId, that should find the method in rustdoc's search.
pub const CLI_ALIASES: &[(&str, &[&str])] = &[
    ("ContainerList", &["ps", "docker ps"]),
    ("ContainerCreate", &["run", "create", "docker run"]),
    ("ContainerStart", &["run", "start"]),
    ("ContainerStop", &["stop"]),
    ("ContainerKill", &["kill"]),
    ("ContainerRestart", &["restart"]),
    ("ContainerDelete", &["rm"]),
    ("ContainerInspect", &["inspect"]),
    ("ContainerLogs", &["logs"]),
    ("ContainerTop", &["top"]),
    ("ContainerWait", &["wait"]),
    ("ContainerRename", &["rename"]),
    ("ContainerPause", &["pause"]),
    ("ContainerUnpause", &["unpause"]),
    ("ContainerUpdate", &["update"]),
    ("ContainerChanges", &["diff"]),
    ("ContainerExport", &["export"]),
    ("ContainerStats", &["stats"]),
    ("ContainerAttach", &["attach"]),
    ("ContainerExec", &["exec"]),
    ("ExecStart", &["exec"]),
    ("ContainerArchive", &["cp"]),
    ("PutContainerArchive", &["cp"]),
    ("ContainerPrune", &["prune"]),
    ("ImageBuild", &["build", "docker build"]),
    ("ImageCreate", &["pull", "import", "docker pull"]),
    ("ImagePush", &["push", "docker push"]),
    ("ImageList", &["images"]),
    ("ImageDelete", &["rmi"]),
    ("ImageTag", &["tag"]),
    ("ImageHistory", &["history"]),
    ("ImageSearch", &["search"]),
    ("ImageGet", &["save"]),
    ("ImageGetAll", &["save"]),
    ("ImageLoad", &["load"]),
    ("ImageCommit", &["commit"]),
    ("SystemAuth", &["login"]),
    ("SystemEvents", &["events"]),
    ("SystemInfo", &["info"]),
    ("SystemVersion", &["version"]),
    ("SystemDataUsage", &["df"]),
];

/// One example: the operations it is shown on, the operations it calls and the models it
/// reads (it is only shown when the version has all of them), and its source.
pub struct Example {
    pub shown_on: &'static [&'static str],
    pub calls: &'static [&'static str],
    pub types: &'static [&'static str],
    pub source: &'static str,
}

macro_rules! snippet {
    ($file:literal) => {
        include_str!(concat!("../../../../examples/src/snippets/", $file))
    };
}

pub const EXAMPLES: &[Example] = &[
    Example { shown_on: &["ContainerList"], calls: &["ContainerList"], types: &[], source: snippet!("list.rs") },
    Example {
        shown_on: &["ContainerCreate", "ContainerStart"],
        calls: &["ContainerCreate", "ContainerStart"],
        types: &[],
        source: snippet!("create_and_start.rs"),
    },
    Example { shown_on: &["ContainerLogs"], calls: &["ContainerLogs"], types: &[], source: snippet!("logs.rs") },
    Example {
        shown_on: &["ContainerExec", "ExecStart"],
        calls: &["ContainerExec", "ExecStart", "ExecInspect"],
        types: &[],
        source: snippet!("exec.rs"),
    },
    Example {
        shown_on: &["ContainerAttach"],
        calls: &["ContainerCreate", "ContainerAttach", "ContainerStart"],
        types: &[],
        source: snippet!("attach.rs"),
    },
    Example { shown_on: &["ImageBuild"], calls: &["ImageBuild"], types: &[], source: snippet!("build.rs") },
    Example { shown_on: &["ImageCreate"], calls: &["ImageCreate"], types: &[], source: snippet!("pull.rs") },
    Example { shown_on: &["ImagePush"], calls: &["ImagePush"], types: &[], source: snippet!("push.rs") },
    Example { shown_on: &["SystemEvents"], calls: &["SystemEvents"], types: &[], source: snippet!("events.rs") },
    Example {
        shown_on: &["ContainerStats"],
        calls: &["ContainerStats"],
        types: &["ContainerStatsResponse"],
        source: snippet!("stats.rs"),
    },
    Example {
        shown_on: &["PutContainerArchive", "ContainerArchive"],
        calls: &["PutContainerArchive", "ContainerArchive"],
        types: &[],
        source: snippet!("copy.rs"),
    },
];

/// The CLI words of an operation.
pub fn aliases(operation_id: &str) -> &'static [&'static str] {
    CLI_ALIASES.iter().find(|(id, _)| *id == operation_id).map(|(_, words)| *words).unwrap_or(&[])
}

/// The doctests (Markdown, fenced) shown on `operation_id` when the crate has every operation
/// they call (`has_op`) and every model they read (`has_type`; older specs leave some responses
/// untyped).
pub fn doc_examples(
    operation_id: &str,
    has_op: &dyn Fn(&str) -> bool,
    has_type: &dyn Fn(&str) -> bool,
    krate: &str,
) -> Vec<String> {
    EXAMPLES
        .iter()
        .filter(|e| e.shown_on.contains(&operation_id))
        .filter(|e| e.calls.iter().all(|op| has_op(op)) && e.types.iter().all(|t| has_type(t)))
        .map(|e| doctest(e.source, krate))
        .collect()
}

/// A snippet file as a `no_run` doctest: the marked lines shown (one indentation level less),
/// the others hidden with `# `; file and item docs and blank lines outside the marks dropped.
pub fn doctest(source: &str, krate: &str) -> String {
    let source = source.replace("docker_engine_api_v1_55", krate);
    let mut out = String::from("```no_run\n");
    let mut shown = false;
    for line in source.lines() {
        let trimmed = line.trim();
        match trimmed {
            "// doc:start" => shown = true,
            "// doc:end" => shown = false,
            _ if shown => {
                out.push_str(line.strip_prefix("    ").unwrap_or(line));
                out.push('\n');
            }
            _ if trimmed.is_empty() || trimmed.starts_with("//!") || trimmed.starts_with("///") => {}
            // The examples crate's error alias (`snippets::BoxError`), defined in place.
            "use super::BoxError;" => out.push_str("# type BoxError = Box<dyn std::error::Error + Send + Sync>;\n"),
            _ => {
                // `pub` items inside the doctest's `main` would only draw lints.
                let line = line.replacen("pub async fn", "async fn", 1).replacen("pub type", "type", 1);
                out.push_str(&format!("# {line}\n"));
            }
        }
    }
    out.push_str("```");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_has_marks_and_hidden_scaffolding() {
        for e in EXAMPLES {
            assert_eq!(e.source.matches("// doc:start").count(), 1, "{}", &e.source[..60]);
            assert_eq!(e.source.matches("// doc:end").count(), 1, "{}", &e.source[..60]);
            let test = doctest(e.source, "docker_engine_api_v1_41");
            assert!(test.contains("# use docker_engine_api_v1_41::"), "{test}");
            assert!(!test.contains("v1_55"), "{test}");
            assert!(test.lines().any(|l| l.starts_with("# async fn")), "{test}");
        }
    }

    #[test]
    fn super_imports_become_a_local_alias() {
        // `use super::BoxError;` in a snippet refers to the examples' `snippets` module: the
        // doctest defines it in place, and imports nothing else from outside the crate.
        for e in EXAMPLES {
            let test = doctest(e.source, "krate");
            assert!(test.contains("# type BoxError = Box<dyn std::error::Error + Send + Sync>;"), "{test}");
            assert!(!test.contains("super::"), "{test}");
        }
    }
}
