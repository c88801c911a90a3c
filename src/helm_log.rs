//! The lines `helm template` logs on stderr while it loads a chart and decides its
//! dependencies, in each Helm's form: Helm 3's standard logger (`file.go:LINE: message`),
//! Helm 4's `log/slog` text handler (`level=WARN msg="…" key=value`; Go's plain `log` calls
//! reach it as `level=INFO`). The render prints them before the manifests or the error, as
//! Helm does; lint and `images` have findings of their own for the same things.

/// A `log.Printf` of `message` made at `place` (`load.go:120`).
pub(crate) fn logged(place: &str, message: &str, helm4: bool) -> String {
    if helm4 {
        slog("INFO", message, &[])
    } else {
        format!("{place}: {message}")
    }
}

/// A warning that Helm 3 logs at `place` as `helm3` and Helm 4 as `slog.Warn(msg, attrs…)`.
pub(crate) fn warned(
    place: &str,
    helm3: &str,
    (msg, attrs): (&str, &[(&str, &str)]),
    helm4: bool,
) -> String {
    if helm4 {
        slog("WARN", msg, attrs)
    } else {
        format!("{place}: {helm3}")
    }
}

/// A note that Helm 3 logs at `place` as `helm3` and Helm 4 as `slog.Info(msg, attrs…)`.
pub(crate) fn informed(
    place: &str,
    helm3: &str,
    (msg, attrs): (&str, &[(&str, &str)]),
    helm4: bool,
) -> String {
    if helm4 {
        slog("INFO", msg, attrs)
    } else {
        format!("{place}: {helm3}")
    }
}

/// A warning of Helm's `dependencies.go`: a tag or condition whose value is no boolean (a
/// condition's table is none either), an `import-values` table that is missing.
pub(crate) enum DependencyWarning<'a> {
    Tag {
        tag: &'a str,
        chart: &'a str,
    },
    Condition {
        path: &'a str,
        chart: &'a str,
    },
    /// `child`/`parent` form: Go's `ErrNoTable` names the key `missing`.
    MissingChild {
        chart: &'a str,
        missing: &'a str,
    },
    /// The `exports` form.
    MissingExport {
        missing: &'a str,
    },
}

impl DependencyWarning<'_> {
    /// The line Helm logs, at the release's `lines` of `dependencies.go` (condition, tag,
    /// child, export: [`crate::helm_build::HelmBuild::dependencies_log_lines`]) for Helm 3.
    pub(crate) fn logged(&self, lines: [u16; 4], helm4: bool) -> String {
        let at = |i: usize| format!("dependencies.go:{}", lines[i]);
        let not_a_table =
            |key: &str| format!("{} is not a table", crate::template::fmt::quote(key));
        match *self {
            DependencyWarning::Condition { path, chart } => warned(
                &at(0),
                &format!(
                    "Warning: Condition path '{path}' for chart {chart} returned non-bool value"
                ),
                (
                    "returned non-bool value",
                    &[("path", path), ("chart", chart)],
                ),
                helm4,
            ),
            DependencyWarning::Tag { tag, chart } => warned(
                &at(1),
                &format!("Warning: Tag '{tag}' for chart {chart} returned non-bool value"),
                ("returned non-bool value", &[("tag", tag), ("chart", chart)]),
                helm4,
            ),
            DependencyWarning::MissingChild { chart, missing } => {
                let error = not_a_table(missing);
                warned(
                    &at(2),
                    &format!("Warning: ImportValues missing table from chart {chart}: {error}"),
                    (
                        "ImportValues missing table from chart",
                        &[("chart", chart), ("error", &error)],
                    ),
                    helm4,
                )
            }
            DependencyWarning::MissingExport { missing } => {
                let error = not_a_table(missing);
                warned(
                    &at(3),
                    &format!("Warning: ImportValues missing table: {error}"),
                    ("ImportValues missing table", &[("error", &error)]),
                    helm4,
                )
            }
        }
    }
}

/// A line of slog's text handler without the time: `level=WARN msg="…" key=value…`.
pub(crate) fn slog(level: &str, msg: &str, attrs: &[(&str, &str)]) -> String {
    let mut line = format!("level={level} msg={}", slog_value(msg));
    for (key, value) in attrs {
        line.push(' ');
        line.push_str(key);
        line.push('=');
        line.push_str(&slog_value(value));
    }
    line
}

/// A string as slog's text handler writes it: as it is, or quoted as Go's `strconv.Quote`
/// when it is empty or holds a space, `=`, `"`, a control character or anything JSON would
/// escape, or a rune that is not printable or is white space.
pub(crate) fn slog_value(s: &str) -> String {
    let needs_quotes = s.is_empty()
        || s.chars().any(|c| {
            if c.is_ascii() {
                c != '\\' && (c == ' ' || c == '=' || c == '"' || c.is_ascii_control())
            } else {
                c.is_whitespace() || !crate::template::literal::is_print(c)
            }
        });
    if needs_quotes {
        crate::template::fmt::quote(s)
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_take_each_helms_form() {
        assert_eq!(
            logged("load.go:120", "Warning: x", false),
            "load.go:120: Warning: x"
        );
        assert_eq!(
            logged("load.go:120", "Warning: \"v2\" x", true),
            "level=INFO msg=\"Warning: \\\"v2\\\" x\""
        );
        let tag = (
            "returned non-bool value",
            &[("tag", "t1"), ("chart", "sub")][..],
        );
        assert_eq!(
            warned("dependencies.go:94", "Warning: Tag 't1'", tag, true),
            "level=WARN msg=\"returned non-bool value\" tag=t1 chart=sub"
        );
        assert_eq!(slog_value(""), "\"\"");
        assert_eq!(slog_value("a=b"), "\"a=b\"");
        assert_eq!(slog_value("/tmp/a\\b"), "/tmp/a\\b");
        assert_eq!(slog_value("é"), "é");
        assert_eq!(slog_value("a\u{a0}b"), "\"a\\u00a0b\"");
    }
}
