//! Reading `.stackstate-lint.yaml`: found next to the linted files or above them, read with the
//! project's own span-aware loader so that every error points into the file, and checked
//! against the rule registry (a rule code that names no rule is an error, with a suggestion).

use std::path::{Path, PathBuf};

use crate::config::{ChartPin, Config, Level};
use crate::diagnostic::Severity;
use crate::error::InputError;
use crate::rules;
use crate::source::{SourceFile, Sources, Span};
use crate::value::{Node, Value};
use crate::yaml::{self, Limits};

/// The file name looked for next to linted files and in their parents.
pub const FILE_NAME: &str = ".stackstate-lint.yaml";

/// Looks for the config file from `start` (a folder) upward. The walk stops after a repository
/// root or the user's home, and before a folder or file the running user does not own: a
/// `.stackstate-lint.yaml` someone else dropped in `/tmp` must not silence a run below it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = start.canonicalize().ok()?;
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .and_then(|h| PathBuf::from(h).canonicalize().ok());
    loop {
        if !owned_by_us(&dir) {
            return None;
        }
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return owned_by_us(&candidate).then_some(candidate);
        }
        if dir.join(".git").exists() || home.as_deref() == Some(dir.as_path()) || !dir.pop() {
            return None;
        }
    }
}

#[cfg(unix)]
fn owned_by_us(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    std::fs::metadata(path).is_ok_and(|m| m.uid() == me)
}

#[cfg(not(unix))]
fn owned_by_us(_: &Path) -> bool {
    true
}

/// Reads and validates a config file.
pub fn load(path: &Path, sources: &mut Sources) -> Result<Config, InputError> {
    let shown = path.display().to_string();
    let text = read_config(path).map_err(|m| InputError::new(&shown, m))?;
    let id = sources.add(SourceFile::new(&shown, text));
    let text = sources.get(id).text.clone();
    let file = yaml::load(id, &text, &Limits::default())
        .map_err(|e| InputError::at(sources, e.span(), e.to_string()))?;
    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    let Some(root) = file.documents.into_iter().next() else {
        return Ok(config);
    };
    let bad = |span: Option<Span>, msg: String| match span {
        Some(s) => InputError::at(sources, s, msg),
        None => InputError::new(&shown, msg),
    };
    let map = match root.value {
        Value::Map(m) => m,
        Value::Null => return Ok(config),
        _ => {
            return Err(bad(
                root.origin.user_span(),
                "the config must be a map".into(),
            ));
        }
    };
    for (key, node) in &map {
        let span = node.origin.user_span();
        match key.as_str() {
            "rules" => {
                let Value::Map(rules_map) = &node.value else {
                    return Err(bad(
                        span,
                        "`rules` must map rule codes to off|error|warning|info".into(),
                    ));
                };
                for (code, level) in rules_map {
                    let lspan = level.origin.value_span().or(level.origin.user_span());
                    let meta = rules::find(code).ok_or_else(|| {
                        bad(
                            level.origin.user_span(),
                            format!("unknown rule `{code}`{}", rules::suggest(code)),
                        )
                    })?;
                    let lvl = match &level.value {
                        Value::Bool(false) => Level::Off,
                        Value::Str(s) if s == "off" => Level::Off,
                        Value::Str(s) => Level::On(Severity::parse(s).ok_or_else(|| {
                            bad(
                                lspan,
                                format!("`{s}` is not one of off, error, warning, info"),
                            )
                        })?),
                        _ => return Err(bad(lspan, "expected off, error, warning or info".into())),
                    };
                    config.rules.insert(meta.code, lvl);
                }
            }
            "registries" => {
                let Value::Map(r) = &node.value else {
                    return Err(bad(
                        span,
                        "`registries` must be a map with `allowed` and/or `required`".into(),
                    ));
                };
                for (k, v) in r {
                    let vspan = v.origin.value_span().or(v.origin.user_span());
                    match k.as_str() {
                        "allowed" => {
                            for s in strings(v).ok_or_else(|| {
                                bad(
                                    vspan,
                                    "`registries.allowed` must be a list of host globs".into(),
                                )
                            })? {
                                let p = glob::Pattern::new(&s)
                                    .map_err(|e| bad(vspan, format!("bad glob `{s}`: {e}")))?;
                                config.allowed_registries.push(p);
                            }
                        }
                        "required" => match &v.value {
                            Value::Str(s) if !s.is_empty() => {
                                config.required_registry = Some(s.clone())
                            }
                            _ => {
                                return Err(bad(
                                    vspan,
                                    "`registries.required` must be a registry host".into(),
                                ));
                            }
                        },
                        other => {
                            return Err(bad(
                                v.origin.user_span(),
                                format!(
                                    "unknown key `registries.{other}` (expected allowed, required)"
                                ),
                            ));
                        }
                    }
                }
            }
            "tags" => {
                let Value::Map(t) = &node.value else {
                    return Err(bad(span, "`tags` must be a map with `forbidden`".into()));
                };
                for (k, v) in t {
                    let vspan = v.origin.value_span().or(v.origin.user_span());
                    match k.as_str() {
                        "forbidden" => {
                            config.forbidden_tags = strings(v).ok_or_else(|| {
                                bad(vspan, "`tags.forbidden` must be a list of tags".into())
                            })?
                        }
                        other => {
                            return Err(bad(
                                v.origin.user_span(),
                                format!("unknown key `tags.{other}` (expected forbidden)"),
                            ));
                        }
                    }
                }
            }
            "require-digest" => match node.value {
                Value::Bool(b) => config.require_digest = b,
                _ => return Err(bad(span, "`require-digest` must be true or false".into())),
            },
            "ignore" => {
                for s in strings(node)
                    .ok_or_else(|| bad(span, "`ignore` must be a list of path globs".into()))?
                {
                    config.ignore.push(
                        glob::Pattern::new(&s)
                            .map_err(|e| bad(span, format!("bad glob `{s}`: {e}")))?,
                    );
                }
            }
            "chart" => {
                let vspan = node.origin.value_span().or(span);
                let Value::Str(text) = node.value.clone() else {
                    return Err(bad(
                        vspan,
                        "`chart` must name a built-in chart: `suse-observability@2.10.3`, `stackstate@4.4.0`".into(),
                    ));
                };
                crate::chart_pick::named(&text).map_err(|m| bad(vspan, m))?;
                config.chart = Some(ChartPin {
                    at: vspan.map_or_else(|| shown.clone(), |s| sources.describe(s)),
                    text,
                });
            }
            other => {
                let known = [
                    "rules",
                    "registries",
                    "tags",
                    "require-digest",
                    "ignore",
                    "chart",
                ];
                let hint = crate::suggest::closest(other, known.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(bad(span, format!("unknown config key `{other}`{hint}")));
            }
        }
    }
    Ok(config)
}

/// Largest accepted config file: a config is a few lines, so anything near this is not one.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads a config file: a regular file, its size checked before it is read, and read through
/// the limit (it may grow meanwhile).
fn read_config(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let (file, len) =
        crate::file::open_regular(path).map_err(|m| format!("cannot read config: {m}"))?;
    if len > MAX_CONFIG_BYTES {
        return Err(format!(
            "config is {len} bytes, larger than the limit of {MAX_CONFIG_BYTES} bytes"
        ));
    }
    let mut buf = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read config: {e}"))?;
    if buf.len() as u64 > MAX_CONFIG_BYTES {
        return Err(format!(
            "config is larger than the limit of {MAX_CONFIG_BYTES} bytes"
        ));
    }
    crate::budget::charge_bytes(buf.len() as u64)?;
    String::from_utf8(buf).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..at]);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        format!(
            "cannot read config: not UTF-8 text (invalid byte 0x{:02x} at line {line}, column {col})",
            e.as_bytes().get(at).copied().unwrap_or_default()
        )
    })
}

fn strings(node: &Node) -> Option<Vec<String>> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(|i| match &i.value {
                Value::Str(s) => Some(s.clone()),
                other => other.render(),
            })
            .collect(),
        Value::Str(s) => Some(vec![s.clone()]),
        _ => None,
    }
}
