//! How many arguments each function of the map takes, as Go's `evalCall` reads it off the Go
//! signature: it compares the count written (plus a piped value) with it before evaluating any
//! argument, so `upper (fail "x") 1` fails on the count and never runs `fail`. Our functions
//! take a slice and cannot tell the executor their signature, hence this table.
//!
//! Derived from the real Helm 3.17.3 and 4.1.4 (2026-12-04, `scripts/oracle/arity_probe.sh`):
//! for every name of our map, `helm template` of `{{ NAME (fail "E") … }}` with 0 to 5 operands,
//! reading each
//! `wrong number of args for NAME: want [at least] N got M` and checking that every other count
//! ran the first operand (failed with `E`). Both Helm versions agree on every name they share
//! (`mustToYaml` is Helm 4's only). The signatures behind it are Go's builtins
//! (`text/template/funcs.go`: `and`/`or`/`call`/`index`/`slice`/`eq` are variadic after one),
//! Sprig v3's `functions.go` and Helm's `pkg/engine/funcs.go`.

/// A function's parameter list, as the count check sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arity {
    /// Exactly this many.
    Exactly(usize),
    /// A variadic function: at least this many.
    AtLeast(usize),
}

impl Arity {
    /// Go's complaint when `written` operands and, with `piped`, the pipeline's value do not
    /// fit. For a variadic function Go prints the written operands alone as the count it got
    /// (`1 | round` is "want at least 2 got 0"), for a fixed one all of them.
    pub(crate) fn mismatch(self, name: &str, written: usize, piped: bool) -> Option<String> {
        let got = written + usize::from(piped);
        match self {
            Arity::Exactly(want) if got != want => Some(format!(
                "wrong number of args for {name}: want {want} got {got}"
            )),
            Arity::AtLeast(want) if got < want => Some(format!(
                "wrong number of args for {name}: want at least {want} got {written}"
            )),
            _ => None,
        }
    }
}

/// Every function of the map with its arity (see the module comment).
pub(crate) fn entries() -> impl Iterator<Item = (&'static str, Arity)> {
    let fixed = EXACTLY
        .iter()
        .flat_map(|(n, names)| names.iter().map(move |name| (*name, Arity::Exactly(*n))));
    let variadic = AT_LEAST
        .iter()
        .flat_map(|(n, names)| names.iter().map(move |name| (*name, Arity::AtLeast(*n))));
    fixed.chain(variadic)
}

/// Functions taking exactly N arguments, by N.
#[rustfmt::skip]
const EXACTLY: &[(usize, &[&str])] = &[
    (0, &[
        "hello", "now", "uuidv4",
    ]),
    (1, &[
        "not", "len", "trim", "upper", "lower", "toString", "toStrings", "title", "untitle",
        "swapcase", "nospace", "initials", "shuffle", "snakecase", "kebabcase", "camelcase",
        "values", "deepCopy", "mustDeepCopy", "empty", "typeOf", "kindOf", "fail", "first",
        "mustFirst", "last", "mustLast", "rest", "mustRest", "initial", "mustInitial",
        "reverse", "mustReverse", "uniq", "mustUniq", "compact", "mustCompact", "sortAlpha",
        "until", "add1", "add1f", "floor", "ceil", "int", "int64", "float64", "atoi",
        "toDecimal", "regexQuoteMeta", "semver", "b64enc", "b64dec", "b32enc", "b32dec",
        "sha1sum", "sha256sum", "sha512sum", "adler32sum", "base", "dir", "clean", "ext",
        "isAbs", "osBase", "osDir", "osClean", "osExt", "osIsAbs", "urlParse", "urlJoin",
        "htmlDate", "unixEpoch", "duration", "durationRound", "ago", "randAlphaNum",
        "randAlpha", "randNumeric", "randAscii", "randBytes", "bcrypt", "genPrivateKey",
        "toYaml", "mustToYaml", "toYamlPretty", "fromYaml", "fromYamlArray", "toJson",
        "mustToJson", "toPrettyJson", "mustToPrettyJson", "toRawJson", "mustToRawJson",
        "fromJson", "fromJsonArray", "toToml", "mustToToml", "fromToml", "mustFromJson", "getHostByName",
    ]),
    (2, &[
        "ne", "lt", "le", "gt", "ge", "trimAll", "trimall", "trimPrefix", "trimSuffix",
        "repeat", "trunc", "contains", "hasPrefix", "hasSuffix", "indent", "nindent", "join",
        "split", "splitList", "abbrev", "wrap", "get", "unset", "hasKey", "typeIs",
        "typeIsLike", "kindIs", "deepEqual", "append", "push", "mustAppend", "mustPush",
        "prepend", "mustPrepend", "has", "mustHas", "chunk", "mustChunk", "sub", "div", "mod",
        "randInt", "regexMatch", "mustRegexMatch", "regexFind", "mustRegexFind",
        "semverCompare", "date", "htmlDateInZone", "dateModify", "date_modify",
        "mustDateModify", "must_date_modify", "toDate", "mustToDate", "htpasswd", "encryptAES",
        "decryptAES", "genCA", "buildCustomCert", "required", "include", "tpl",
    ]),
    (3, &[
        "substr", "replace", "plural", "splitn", "abbrevboth", "wrapWith", "set", "ternary",
        "untilStep", "regexFindAll", "mustRegexFindAll", "regexReplaceAll",
        "mustRegexReplaceAll", "regexReplaceAllLiteral", "mustRegexReplaceAllLiteral",
        "regexSplit", "mustRegexSplit", "dateInZone", "date_in_zone", "genCAWithKey",
    ]),
    (4, &[
        "genSelfSignedCert", "lookup",
    ]),
    (5, &[
        "derivePassword", "genSelfSignedCertWithKey", "genSignedCert",
    ]),
    (6, &[
        "genSignedCertWithKey",
    ]),
];

/// Variadic functions, by the number of parameters before the `...` one.
#[rustfmt::skip]
const AT_LEAST: &[(usize, &[&str])] = &[
    (0, &[
        "print", "println", "html", "js", "urlquery", "quote", "squote", "cat", "dict", "keys",
        "dig", "coalesce", "all", "any", "list", "tuple", "concat", "seq", "add", "addf",
    ]),
    (1, &[
        "index", "eq", "printf", "pluck", "pick", "omit", "merge", "mustMerge",
        "mergeOverwrite", "mustMergeOverwrite", "default", "without", "mustWithout", "slice",
        "mustSlice", "mul", "max", "biggest", "min", "subf", "divf", "mulf", "maxf", "minf",
        "and", "or", "call",
    ]),
    (2, &[
        "round",
    ]),
];

#[cfg(test)]
mod tests {
    use super::super::{Ctx, EXECUTOR_FUNCS, FuncError, families, resolve};
    use super::{Arity, entries};
    use crate::template::Value;

    fn map_names() -> std::collections::BTreeSet<&'static str> {
        families()
            .iter()
            .flat_map(|family| family.iter().map(|(name, _)| *name))
            .chain(EXECUTOR_FUNCS.iter().copied())
            .collect()
    }

    #[test]
    fn every_function_of_the_map_has_one_entry_and_no_other_name_has_one() {
        let names = map_names();
        let mut seen = std::collections::BTreeSet::new();
        for (name, _) in entries() {
            assert!(seen.insert(name), "{name} listed twice");
            assert!(names.contains(name), "{name} is no function of the map");
        }
        let missing: Vec<_> = names.difference(&seen).collect();
        assert!(missing.is_empty(), "no arity for {missing:?}");
        assert!(
            names
                .iter()
                .all(|n| resolve(n).is_some_and(|c| c.arity.is_some()))
        );
    }

    #[test]
    fn each_function_takes_the_counts_its_entry_allows() {
        // The executor checks the count first; a function's own check must never contradict it.
        for (name, arity) in entries() {
            let Some(func) = resolve(name).and_then(|c| c.func) else {
                continue;
            };
            let counts = match arity {
                Arity::Exactly(n) => n..=n,
                Arity::AtLeast(n) => n..=n + 3,
            };
            for n in counts {
                let args = vec![Value::Nil; n];
                let got = func(&mut Ctx::default(), &args);
                assert!(
                    !matches!(got, Err(FuncError::Arity { .. })),
                    "{name} with {n}: {got:?}"
                );
            }
        }
    }

    #[test]
    fn go_counts_a_piped_value_but_names_only_the_written_ones_for_a_variadic_function() {
        let m = |a: Arity, written, piped| a.mismatch("f", written, piped);
        assert_eq!(
            m(Arity::Exactly(1), 1, true).as_deref(),
            Some("wrong number of args for f: want 1 got 2")
        );
        assert_eq!(m(Arity::Exactly(1), 0, true), None);
        assert_eq!(
            m(Arity::AtLeast(2), 0, true).as_deref(),
            Some("wrong number of args for f: want at least 2 got 0")
        );
        assert_eq!(m(Arity::AtLeast(2), 1, true), None);
        assert_eq!(m(Arity::AtLeast(0), 0, false), None);
    }
}
