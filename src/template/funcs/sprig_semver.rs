//! Sprig's `semver` and `semverCompare`: Masterminds/semver, ported line by line, in the release
//! the Helm imitated vendors ([`Release`]).
//!
//! Versions parse with the library's loose regular expression (`v` prefix, missing minor and
//! patch allowed); constraints are the library's grammar: `=`, `!=`, `>`, `<`, `>=`, `<=`,
//! `~`, `~>`, `^`, wildcards `x`/`X`/`*`, hyphen ranges `1 - 2`, `,` or space for "and", `||`
//! for "or". A prerelease version satisfies a constraint only when the constraint itself has
//! a prerelease part (`>=1.21-0`) up to v3.3.0, or when any constraint of its AND group has one
//! from v3.4.0 (Helm 3.19, every Helm 4).

use std::cmp::Ordering;
use std::rc::Rc;

use super::super::value::{GoStruct, IntType, Object, Value};
use super::args::{arity, string};
use super::sprig_regex::compile;
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[("semver", semver), ("semverCompare", semver_compare)];

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const VERSION: &str = r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

/// A parsed version (`*semver.Version`, or `semver.Version` from `IncPatch` and friends).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
    ptr: bool,
}

fn re(pattern: &str) -> Result<Rc<regex::Regex>, String> {
    compile(pattern)
}

fn parse_u64(s: &str) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        format!(
            "Error parsing version segment: strconv.ParseUint: parsing \"{s}\": value out of range"
        )
    })
}

fn validate_prerelease(p: &str) -> Result<(), String> {
    for part in p.split('.') {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err("Version segment starts with 0".into());
            }
        } else if !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err("Invalid Prerelease string".into());
        }
    }
    Ok(())
}

impl Version {
    /// `semver.NewVersion`.
    pub(crate) fn parse(v: &str) -> Result<Version, String> {
        let r = re(VERSION)?;
        let m = r.captures(v).ok_or("Invalid Semantic Version")?;
        let group = |i: usize| m.get(i).map_or("", |g| g.as_str());
        let seg = |i: usize| -> Result<u64, String> {
            match group(i).strip_prefix('.') {
                Some(d) => parse_u64(d),
                None => Ok(0),
            }
        };
        let sv = Version {
            major: parse_u64(group(1))?,
            minor: seg(2)?,
            patch: seg(3)?,
            pre: group(5).to_string(),
            metadata: group(8).to_string(),
            original: v.to_string(),
            ptr: true,
        };
        if !sv.pre.is_empty() {
            validate_prerelease(&sv.pre)?;
        }
        Ok(sv)
    }

    /// The major and minor numbers.
    pub(crate) fn major_minor(&self) -> (u64, u64) {
        (self.major, self.minor)
    }

    /// Go's `String()`: the version without a `v`, missing parts as 0.
    pub(crate) fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    /// `Compare`: by numbers, then a release above its prereleases, then prerelease parts.
    pub(crate) fn compare(&self, o: &Version) -> Ordering {
        let by_numbers = (self.major, self.minor, self.patch).cmp(&(o.major, o.minor, o.patch));
        if by_numbers != Ordering::Equal {
            return by_numbers;
        }
        match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prerelease(&self.pre, &o.pre),
        }
    }

    /// `SetPrerelease` (`pre`) or `SetMetadata`: a copy with that part, checked as
    /// Masterminds/semver checks it (`validatePrerelease`, `validateMetadata`).
    fn with_part(&self, pre: bool, part: &str) -> Result<Version, FuncError> {
        let allowed = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        for segment in part.split('.').filter(|_| !part.is_empty()) {
            let numeric = segment.bytes().all(|b| b.is_ascii_digit());
            let problem = if pre && numeric && segment.len() > 1 && segment.starts_with('0') {
                Some("Version segment starts with 0")
            } else if !numeric && !allowed(segment) {
                Some(if pre {
                    "Invalid Prerelease string"
                } else {
                    "Invalid Metadata string"
                })
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(FuncError::Call(problem.into()));
            }
        }
        let mut next = self.clone();
        next.ptr = false;
        if pre {
            next.pre = part.to_string();
        } else {
            next.metadata = part.to_string();
        }
        let prefix = if self.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        next.original = format!("{prefix}{}", next.string());
        Ok(next)
    }

    fn bumped(&self, major: u64, minor: u64, patch: u64, keep_pre: bool) -> Version {
        let mut n = Version {
            major,
            minor,
            patch,
            pre: if keep_pre {
                self.pre.clone()
            } else {
                String::new()
            },
            metadata: String::new(),
            original: String::new(),
            ptr: false,
        };
        let prefix = if self.original.starts_with('v') {
            "v"
        } else {
            ""
        };
        n.original = format!("{prefix}{}", n.string());
        n
    }
}

fn compare_prerelease(v: &str, o: &str) -> Ordering {
    let (sp, op): (Vec<&str>, Vec<&str>) = (v.split('.').collect(), o.split('.').collect());
    for i in 0..sp.len().max(op.len()) {
        let d = compare_pre_part(
            sp.get(i).copied().unwrap_or(""),
            op.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (_, Err(_)) => Ordering::Less,
        (Err(_), _) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

impl Object for Version {
    fn type_name(&self) -> &str {
        if self.ptr {
            "*semver.Version"
        } else {
            "semver.Version"
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        let uint = |n: u64| Value::Int(n as i64, IntType::Uint64, None);
        let obj = |v: Version| Value::Object(Rc::new(v));
        Some(match name {
            "Major" => uint(self.major),
            "Minor" => uint(self.minor),
            "Patch" => uint(self.patch),
            "Prerelease" => Value::str(self.pre.as_str()),
            "Metadata" => Value::str(self.metadata.as_str()),
            // Pointer-receiver methods: not on a `semver.Version` value.
            "Original" if self.ptr => Value::str(self.original.as_str()),
            "String" => Value::str(self.string()),
            // `driver.Valuer`: the string.
            "Value" => Value::str(self.string()),
            "IncPatch" if self.pre.is_empty() => {
                obj(self.bumped(self.major, self.minor, self.patch.wrapping_add(1), false))
            }
            "IncPatch" => obj(self.bumped(self.major, self.minor, self.patch, false)),
            "IncMinor" => obj(self.bumped(self.major, self.minor.wrapping_add(1), 0, false)),
            "IncMajor" => obj(self.bumped(self.major.wrapping_add(1), 0, 0, false)),
            _ => return None,
        })
    }

    fn call(
        &self,
        name: &str,
        args: &[Value],
    ) -> Option<Result<Value, crate::template::FuncError>> {
        let other = || -> Result<Version, FuncError> {
            match &args[0] {
                Value::Object(o) if o.type_name() == "*semver.Version" => {
                    Version::parse(&o.fmt_v()).map_err(FuncError::Call)
                }
                v => Err(super::args::wrong_type("*semver.Version", v)),
            }
        };
        // Value-receiver methods returning `(Version, error)`.
        if let "SetPrerelease" | "SetMetadata" = name {
            let Some(part) = args[0].as_str() else {
                return Some(Err(super::args::wrong_type("string", &args[0])));
            };
            return Some(self.with_part(name == "SetPrerelease", part).map(|v| {
                let v: Rc<dyn Object> = Rc::new(v);
                Value::Object(v)
            }));
        }
        if !self.ptr {
            return None;
        }
        let cmp = |f: fn(Ordering) -> bool| Some(other().map(|o| Value::bool(f(self.compare(&o)))));
        match name {
            "LessThan" => cmp(|o| o == Ordering::Less),
            "LessThanEqual" => cmp(|o| o != Ordering::Greater),
            "GreaterThan" => cmp(|o| o == Ordering::Greater),
            "GreaterThanEqual" => cmp(|o| o != Ordering::Less),
            "Equal" => cmp(|o| o == Ordering::Equal),
            "Compare" => Some(other().map(|o| Value::int(self.compare(&o) as i64))),
            _ => None,
        }
    }

    fn arity(&self, name: &str) -> Option<usize> {
        match name {
            "SetPrerelease" | "SetMetadata" => Some(1),
            "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" | "Equal"
            | "Compare"
                if self.ptr =>
            {
                Some(1)
            }
            _ => self.field(name).map(|_| 0),
        }
    }

    fn fmt_v(&self) -> String {
        self.string()
    }

    fn go_struct(&self) -> Option<GoStruct> {
        let uint = |n: u64| Value::Int(n as i64, IntType::Uint64, None);
        Some(GoStruct {
            type_name: "semver.Version",
            pointer: self.ptr,
            stringer: true,
            fields: vec![
                ("major", uint(self.major)),
                ("minor", uint(self.minor)),
                ("patch", uint(self.patch)),
                ("pre", Value::str(self.pre.as_str())),
                ("metadata", Value::str(self.metadata.as_str())),
                ("original", Value::str(self.original.as_str())),
            ],
        })
    }

    fn to_plain(&self) -> Value {
        Value::str(self.string())
    }
}

/// The Masterminds/semver 3.x release imitated, as (minor, patch) (see
/// [`HelmBuild::semver`](crate::helm_build::HelmBuild::semver)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Release(pub(crate) (u8, u8));

impl Release {
    /// v3.4.0: a prerelease is admitted per AND group (see [`check`]); own errors in lower case.
    fn per_group(self) -> bool {
        self.0 >= (4, 0)
    }

    /// v3.2.0: constraints must be apart (`>1<2` and a trailing `,` were taken), a wildcard
    /// major keeps its prerelease (`*-0` takes prereleases), and `^0.0.z` no other minor.
    fn strict(self) -> bool {
        self.0 >= (2, 0)
    }

    /// v3.2.1: a hyphen range is rewritten with a space after it (`1 - 2 <3` was improper).
    fn spaced_ranges(self) -> bool {
        self.0 >= (2, 1)
    }

    /// `improper constraint: …`, the constraint quoted as Go's `%q` from v3.5.0 on.
    fn improper(self, c: &str) -> String {
        if self.0 >= (5, 0) {
            format!("improper constraint: {}", crate::template::fmt::quote(c))
        } else {
            format!("improper constraint: {c}")
        }
    }
}

/// One parsed constraint: an operator and a version, with which parts were wildcards.
#[derive(Debug)]
struct Constraint {
    con: Version,
    op: String,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
    /// `^0.0.z` takes no other minor (v3.2.0).
    caret_keeps_minor: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

/// `rewriteRange`: `1.2 - 1.4` becomes `>= 1.2, <= 1.4 ` (before v3.2.1 without the space).
fn rewrite_range(i: &str, release: Release) -> Result<String, String> {
    let r = re(&format!(r"\s*({CV})\s+-\s+({CV})\s*"))?;
    let mut o = i.to_string();
    for m in r.captures_iter(i) {
        let (Some(whole), Some(a), Some(b)) = (m.get(0), m.get(1), m.get(11)) else {
            continue;
        };
        let space = if release.spaced_ranges() { " " } else { "" };
        let t = format!(">= {}, <= {}{space}", a.as_str(), b.as_str());
        o = o.replacen(whole.as_str(), &t, 1);
    }
    Ok(o)
}

fn parse_constraint(c: &str, release: Release) -> Result<Constraint, String> {
    let r = re(&format!(r"^\s*({OPS})\s*({CV})\s*$"))?;
    let m = r.captures(c).ok_or_else(|| release.improper(c))?;
    constraint_from(|i| m.get(i).map_or("", |x| x.as_str()), release)
}

/// A constraint from the groups of its match: 1 the operator, 2 the version as written, 3–5
/// its parts (the second and third with their dot), 6 its prerelease with its dash.
fn constraint_from<'a>(
    g: impl Fn(usize) -> &'a str,
    release: Release,
) -> Result<Constraint, String> {
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let ver = if is_x(g(3)) || g(3).is_empty() {
        dirty = true;
        let pre = if release.strict() { g(6) } else { "" };
        format!("0.0.0{pre}")
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        (dirty, minor_dirty) = (true, true);
        format!("{}.0.0{}", g(3), g(6))
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        (dirty, patch_dirty) = (true, true);
        format!("{}{}.0{}", g(3), g(4), g(6))
    } else {
        g(2).to_string()
    };
    let con = Version::parse(&ver).map_err(|_| {
        if release.per_group() {
            "constraint parser error".to_string()
        } else {
            "constraint Parser Error".to_string()
        }
    })?;
    Ok(Constraint {
        con,
        op: g(1).to_string(),
        dirty,
        minor_dirty,
        patch_dirty,
        caret_keeps_minor: release.strict(),
    })
}

/// `semver.NewConstraint`: OR groups of AND-ed constraints.
fn parse_constraints(c: &str, release: Release) -> Result<Vec<Vec<Constraint>>, String> {
    // What is plain is valid under every release's grammar, read the same.
    match plain_constraints(c) {
        Some(groups) => groups
            .into_iter()
            .map(|and| {
                and.into_iter()
                    .map(|(op, v)| constraint_from(|i| if i == 1 { op } else { v[i] }, release))
                    .collect()
            })
            .collect(),
        None => parse_constraints_by_grammar(c, release),
    }
}

/// The operators of the grammar, longest first: no version starts with an operator's
/// character, so the grammar's first alternative that lets a version follow is the longest
/// one written.
const OPERATORS: [&str; 11] = ["!=", ">=", "=>", "<=", "=<", "~>", "=", ">", "<", "~", "^"];

/// Constraints read without the grammar: OR groups of (operator, [`lone_version`] groups).
type Plain<'a> = Vec<Vec<(&'a str, [&'a str; 7])>>;

/// What the grammar's expressions find in `c` when it is plain: `||`-separated groups of
/// constraints separated by spaces or a comma, each an operator (or none), spaces, and a
/// [`lone_version`], with spaces around — each constraint's operator and groups. `None` for
/// anything else (a hyphen range, tabs, a malformed constraint), which the grammar reads.
/// Charts' dependency ranges and `semverCompare "<1.19-0"` are plain; compiling the grammar's
/// expressions cost a render about 2 % of its time.
fn plain_constraints(c: &str) -> Option<Plain<'_>> {
    c.split("||")
        .map(|part| {
            let mut found = Vec::new();
            let mut rest = part.trim_start_matches(' ');
            while !rest.is_empty() {
                let op = OPERATORS
                    .iter()
                    .find(|op| rest.starts_with(**op))
                    .copied()
                    .unwrap_or("");
                let after = rest[op.len()..].trim_start_matches(' ');
                let end = after.find([' ', ',']).unwrap_or(after.len());
                found.push((op, lone_version(&after[..end])?));
                let tail = &after[end..];
                let spaced = tail.trim_start_matches(' ');
                rest = match spaced.strip_prefix(',') {
                    // A comma wants a constraint after it.
                    Some(next) => Some(next.trim_start_matches(' ')).filter(|r| !r.is_empty())?,
                    None if spaced.len() < tail.len() || spaced.is_empty() => spaced,
                    None => return None,
                };
            }
            (!found.is_empty()).then_some(found)
        })
        .collect()
}

/// The groups [`constraint_from`] takes when `c` is a version alone — no operator, space,
/// comma or `|`; up to three dot-separated parts of digits, `x`, `X` or `*`, a prerelease
/// and build metadata of dot-separated `[0-9A-Za-z-]+` — which the grammar's expressions
/// match whole as one constraint with the empty operator (a chart's dependency `1.x.x`, `*`,
/// `7.6.2-stackstate.14`).
fn lone_version(c: &str) -> Option<[&str; 7]> {
    let body = c.strip_prefix('v').unwrap_or(c);
    let part_end = |s: &str, from: usize| {
        from + s[from..]
            .bytes()
            .take_while(|b| b.is_ascii_digit() || matches!(b, b'x' | b'X' | b'*'))
            .count()
    };
    let idents_end = |s: &str, from: usize| -> Option<usize> {
        let mut at = from;
        loop {
            let n = s[at..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
                .count();
            if n == 0 {
                return None;
            }
            at += n;
            if s[at..].starts_with('.') {
                at += 1;
            } else {
                return Some(at);
            }
        }
    };
    let first = part_end(body, 0);
    if first == 0 {
        return None;
    }
    // Where the first, second and third parts end (a missing part ends where the one before
    // it does).
    let mut ends = [first; 3];
    for i in 1..3 {
        let at = ends[i - 1];
        ends[i] = at;
        if body[at..].starts_with('.') {
            let end = part_end(body, at + 1);
            if end == at + 1 {
                return None;
            }
            ends[i] = end;
        }
    }
    let parts_end = ends[2];
    let pre_end = if body[parts_end..].starts_with('-') {
        idents_end(body, parts_end + 1)?
    } else {
        parts_end
    };
    let meta_end = if body[pre_end..].starts_with('+') {
        idents_end(body, pre_end + 1)?
    } else {
        pre_end
    };
    if meta_end != body.len() {
        return None;
    }
    Some([
        "",
        "",
        c,
        &body[..first],
        &body[first..ends[1]],
        &body[ends[1]..parts_end],
        &body[parts_end..pre_end],
    ])
}

/// [`parse_constraints`] by Masterminds/semver's regular expressions.
fn parse_constraints_by_grammar(c: &str, release: Release) -> Result<Vec<Vec<Constraint>>, String> {
    let c = rewrite_range(c, release)?;
    let valid = if release.strict() {
        re(&format!(
            r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"
        ))?
    } else {
        re(&format!(r"^(\s*({OPS})\s*({CV})\s*\,?)+$"))?
    };
    let find = re(&format!(r"({OPS})\s*({CV})"))?;
    c.split("||")
        .map(|part| {
            if !valid.is_match(part) {
                return Err(release.improper(part));
            }
            let found: Vec<&str> = find.find_iter(part).map(|m| m.as_str()).collect();
            let found = if found.is_empty() { vec![part] } else { found };
            found
                .into_iter()
                .map(|c| parse_constraint(c, release))
                .collect()
        })
        .collect()
}

impl Constraint {
    /// `group_pre` is Helm 4's decision for the whole AND group (`None` under Helm 3, where each
    /// constraint decides from its own version).
    fn check(&self, v: &Version, group_pre: Option<bool>) -> bool {
        let c = &self.con;
        let pre_blocked = !v.pre.is_empty() && !group_pre.unwrap_or(!c.pre.is_empty());
        match self.op.as_str() {
            "" | "=" => {
                !pre_blocked
                    && (if self.dirty {
                        self.tilde(v)
                    } else {
                        v.compare(c).is_eq()
                    })
            }
            // NOTE: v3.3.0 lets a plain `!=` (no wildcard) match any prerelease; v3.4.0 applies
            // the group's decision to `!=` too.
            "!=" => !(pre_blocked && (self.dirty || group_pre.is_some())) && self.not_equal(v),
            ">" => {
                if pre_blocked {
                    false
                } else if !self.dirty {
                    v.compare(c).is_gt()
                } else if v.major != c.major {
                    v.major > c.major
                } else if self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c).is_gt()
                }
            }
            "<" => !pre_blocked && v.compare(c).is_lt(),
            ">=" | "=>" => !pre_blocked && v.compare(c).is_ge(),
            "<=" | "=<" => {
                if pre_blocked {
                    return false;
                }
                if !self.dirty {
                    return v.compare(c).is_le();
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            "~" | "~>" => !pre_blocked && self.tilde(v),
            "^" => !pre_blocked && self.caret(v),
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c).is_lt() {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        v.major == c.major && (v.minor == c.minor || self.minor_dirty)
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c).is_lt() {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 && self.caret_keeps_minor {
            return false;
        }
        c.patch == v.patch
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if c.minor != v.minor && !self.minor_dirty {
                return true;
            } else if self.minor_dirty {
                return false;
            } else if c.patch != v.patch && !self.patch_dirty {
                return true;
            } else if self.patch_dirty {
                if !v.pre.is_empty() || !c.pre.is_empty() {
                    return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                }
                return false;
            }
        }
        !v.compare(c).is_eq()
    }
}

/// `Constraints.Check`: whether any OR group has all its constraints met. Whether a prerelease
/// version may match at all is decided per constraint up to v3.3.0 (only a constraint naming a
/// prerelease admits one) and per AND group from v3.4.0 (one constraint naming a prerelease
/// admits them for its whole group, so `>=1.0.0-0, <2.0.0` takes `1.5.0-rc.1`).
fn check(groups: &[Vec<Constraint>], v: &Version, release: Release) -> bool {
    groups.iter().any(|and| {
        let group_pre = release
            .per_group()
            .then(|| and.iter().any(|c| !c.con.pre.is_empty()));
        and.iter().all(|c| c.check(v, group_pre))
    })
}

/// Helm's `IsCompatibleRange`: whether `version` satisfies the range `constraint` as the
/// Masterminds/semver `release` checks it; false when either does not parse. (Charts'
/// dependency ranges and `kubeVersion` use it.)
pub(crate) fn is_compatible_range(constraint: &str, version: &str, release: Release) -> bool {
    match (
        parse_constraints(constraint, release),
        Version::parse(version),
    ) {
        (Ok(groups), Ok(v)) => check(&groups, &v, release),
        _ => false,
    }
}

/// A version's parse error: Masterminds/semver 3.4 (Helm 3.19 and 4) words its own messages in
/// lower case (`invalid semantic version`, `error parsing version segment: strconv…`), 3.3 and
/// older capitalised (`Invalid Semantic Version`); what follows a `:` is Go's and stays.
fn version_error(ctx: &Ctx, message: String) -> FuncError {
    if !release_of(ctx).per_group() {
        return FuncError::call(message);
    }
    let own = message.find(':').unwrap_or(message.len());
    FuncError::call(format!(
        "{}{}",
        message[..own].to_lowercase(),
        &message[own..]
    ))
}

/// `semverCompare CONSTRAINT VERSION`.
fn semver_compare(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let c = string(&a[0])?.as_str();
    let v = string(&a[1])?.as_str();
    let cs = parse_constraints(c, release_of(ctx)).map_err(FuncError::call)?;
    let v = Version::parse(v).map_err(|e| version_error(ctx, e))?;
    Ok(Value::bool(check(&cs, &v, release_of(ctx))))
}

fn release_of(ctx: &Ctx) -> Release {
    Release(ctx.build.semver())
}

/// `semver VERSION`: a `*semver.Version`.
fn semver(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let v = Version::parse(string(&a[0])?.as_str()).map_err(|e| version_error(ctx, e))?;
    Ok(Value::Object(Rc::new(v)))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{call, err, s, show};
    use super::{
        Release, lone_version, parse_constraints, parse_constraints_by_grammar, plain_constraints,
    };
    use crate::template::value::Value;

    /// Every string of up to four pieces of the grammar's alphabet, and long random ones, read
    /// without the grammar when they are plain: the same constraints, or the same error, as
    /// the grammar's regular expressions give.
    #[test]
    fn plain_constraints_read_as_the_grammar_reads_them() {
        let pieces = [
            "0", "1", "9", "10", "01", "x", "X", "*", "|", ".", "-", "+", "v", "a", "Z", " ", ",",
            ">", "=", "~", "^",
        ];
        let same = |c: &str| {
            for release in [(1, 1), (2, 0), (3, 0)].map(Release) {
                assert_eq!(
                    format!("{:?}", parse_constraints(c, release)),
                    format!("{:?}", parse_constraints_by_grammar(c, release)),
                    "{c:?}"
                );
            }
        };
        let mut fast = 0;
        let mut text = String::new();
        let n = pieces.len();
        for len in 1..=4u32 {
            for mut k in 0..n.pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push_str(pieces[k % n]);
                    k /= n;
                }
                fast += usize::from(plain_constraints(&text).is_some());
                same(&text);
            }
        }
        let mut seed: u64 = 0x2400_5eed;
        for _ in 0..20_000 {
            text.clear();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = 5 + (seed >> 60) as usize;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Mostly a version's own characters, so that many are plain.
                text.push_str(pieces[(seed >> 33) as usize % if seed & 7 == 0 { n } else { 14 }]);
            }
            fast += usize::from(plain_constraints(&text).is_some());
            same(&text);
        }
        for c in [
            "1.x.x",
            "*",
            "4.4.0",
            "12.2.5-stackstate.0",
            "7.6.2-stackstate.14",
            "v1.2.3+b.1",
        ] {
            assert!(lone_version(c).is_some(), "{c}");
            same(c);
        }
        for c in [
            "<1.19-0",
            ">= 1.21-0",
            ">=1.4-0, <1.7-0",
            "^1.7-0",
            " ~> 1.2 || =1.3 !=1.3.1 ",
            ">=1.2 <2",
            "=< 1, => 0",
        ] {
            assert!(plain_constraints(c).is_some(), "{c}");
            same(c);
        }
        assert!(fast > 10_000, "{fast} read without the grammar");
    }

    /// Masterminds/semver v3.1.1 (Helm 3.5 to 3.10), v3.2.0 (3.11.0 to 3.12.0) and v3.2.1 on,
    /// as Helm 3.9.4, 3.11.1, 3.12.1 and 3.17.3 answer `semverCompare`.
    #[test]
    fn older_releases_read_constraints_as_they_did() {
        let [v311, v320, v321] = [(1, 1), (2, 0), (2, 1)].map(Release);
        let ok = |c: &str, v: &str, r: Release| super::is_compatible_range(c, v, r);
        let improper = |c: &str, r: Release| parse_constraints(c, r).unwrap_err();
        // Constraints not apart, and a trailing comma, were taken before v3.2.0.
        assert!(ok(">1.0.0<2.0.0", "1.5.0", v311) && !ok(">1.0.0<2.0.0", "2.5.0", v311));
        assert!(ok(">1,", "2.5.0", v311) && !ok(">1,", "1.5.0", v311));
        assert_eq!(improper(">1,", v320), "improper constraint: >1,");
        // v3.5.0 (Helm 4.2, 3.21.1) quotes it, as Helm 4.2.3 prints `semverCompare "bad!" …`.
        assert_eq!(
            improper("bad!", Release((5, 0))),
            "improper constraint: \"bad!\""
        );
        assert_eq!(
            improper(">1.0.0<2.0.0", v321),
            "improper constraint: >1.0.0<2.0.0"
        );
        assert!(ok(">=1, <=2<3", "1.5.0", v311));
        // A hyphen range ran into what followed it before v3.2.1.
        assert!(ok("1 - 2 <3", "1.5.0", v311) && ok("1 - 2 <3", "1.5.0", v321));
        assert_eq!(
            improper("1 - 2 <3", v320),
            "improper constraint: >= 1, <= 2<3"
        );
        assert_eq!(
            improper("1 - 2 - 3", v311),
            "improper constraint: >= 1, <= 2- 3"
        );
        assert_eq!(
            improper("1 - 2 - 3", v321),
            "improper constraint: >= 1, <= 2 - 3"
        );
        // A wildcard major dropped its prerelease, and `^0.0.z` took any minor, before v3.2.0.
        // v3.4.0 words its own errors in lower case.
        assert_eq!(improper("<1.2.3-01", v321), "constraint Parser Error");
        assert_eq!(
            improper("<1.2.3-01", Release((4, 0))),
            "constraint parser error"
        );
        for c in ["*-0", "x-0"] {
            assert!(
                !ok(c, "1.0.0-rc.1", v311) && ok(c, "1.0.0-rc.1", v320),
                "{c}"
            );
        }
        for (c, v) in [
            ("^0.0.1", "0.1.1"),
            ("^0.0.0", "0.5.0"),
            ("^0.0.3-0", "0.2.3-rc.1"),
        ] {
            assert!(ok(c, v, v311) && !ok(c, v, v320), "{c} {v}");
        }
    }

    fn cmp(c: &str, v: &str) -> String {
        show("semverCompare", &[s(c), s(v)])
    }

    // Expectations from `helm template` (Helm 3.17.3, Masterminds/semver v3.3.0).
    #[test]
    fn constraints() {
        assert_eq!(cmp(">=1.21-0", "v1.20.0"), "false");
        assert_eq!(cmp(">=1.21-0", "v1.28.3-gke.100"), "true");
        assert_eq!(cmp(">=1.21", "v1.28.3-gke.100"), "false");
        assert_eq!(cmp("^1.2.3", "1.9.0"), "true");
        assert_eq!(cmp("^0.2.3", "0.3.0"), "false");
        assert_eq!(cmp("~1.2", "1.2.9"), "true");
        assert_eq!(cmp("~1.2", "1.3.0"), "false");
        assert_eq!(cmp("1.2 - 1.4.5", "1.4.5"), "true");
        assert_eq!(cmp(">1.2 <2 || =3.x", "3.1.0"), "true");
        assert_eq!(cmp(">1.x", "1.9.0"), "false");
        assert_eq!(cmp("!=1.2.x", "1.2.3"), "false");
        assert_eq!(cmp("<=1.2.x", "1.2.9"), "true");
        assert_eq!(cmp("*", "0.0.1"), "true");
        assert_eq!(cmp(">=1.2,<1.3", "1.2.5"), "true");
        assert_eq!(cmp("=1.2.3+b", "1.2.3+c"), "true");
        assert_eq!(cmp(">= 1.19-0 < 1.22-0", "v1.20.0"), "true");
    }

    #[test]
    fn errors() {
        assert_eq!(
            err("semverCompare", &[s("foo"), s("1.0.0")]),
            "improper constraint: foo"
        );
        assert_eq!(
            err("semverCompare", &[s(">1"), s("x1.0")]),
            "Invalid Semantic Version"
        );
        assert_eq!(
            err("semverCompare", &[s(""), s("1.0")]),
            "improper constraint: "
        );
        assert_eq!(
            err("semver", &[s("1.2.3-01")]),
            "Version segment starts with 0"
        );
        assert_eq!(
            err("semver", &[s("99999999999999999999")]),
            "Error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"
        );
    }

    #[test]
    fn version_object() {
        let Value::Object(v) = call("semver", &[s("v1.2.3-rc.1+meta")]).unwrap() else {
            panic!()
        };
        assert_eq!(v.fmt_v(), "1.2.3-rc.1+meta");
        assert_eq!(v.type_name(), "*semver.Version");
        let f = |n: &str| v.field(n).map(|x| crate::template::fmt::sprint_v(&x));
        assert_eq!(f("Major").as_deref(), Some("1"));
        assert_eq!(f("Prerelease").as_deref(), Some("rc.1"));
        assert_eq!(f("Metadata").as_deref(), Some("meta"));
        assert_eq!(f("Original").as_deref(), Some("v1.2.3-rc.1+meta"));
        assert_eq!(f("IncPatch").as_deref(), Some("1.2.3"));
        assert_eq!(f("IncMajor").as_deref(), Some("2.0.0"));
        assert_eq!(v.field("Major").unwrap().type_name(), "uint64");
        let Some(Value::Object(inc)) = v.field("IncPatch") else {
            panic!()
        };
        assert_eq!(inc.type_name(), "semver.Version");
        assert!(inc.field("Original").is_none());
        let other = call("semver", &[s("1.2.3")]).unwrap();
        let lt = v.call("LessThan", &[other]).unwrap().unwrap();
        assert_eq!(crate::template::fmt::sprint_v(&lt), "true");
        assert_eq!(show("semver", &[s("01.2")]), "1.2.0");
        // `SetPrerelease` and `SetMetadata` (value receivers, `(Version, error)`), as Helm
        // 3.17.3 prints them.
        let set = |m: &str, part: &str| {
            v.call(m, &[s(part)]).unwrap().map(|x| {
                (
                    crate::template::fmt::sprint_v(&x),
                    x.type_name().to_string(),
                )
            })
        };
        assert_eq!(
            set("SetPrerelease", "rc.2").unwrap(),
            ("1.2.3-rc.2+meta".into(), "semver.Version".into())
        );
        assert_eq!(set("SetMetadata", "0.01-x").unwrap().0, "1.2.3-rc.1+0.01-x");
        assert_eq!(set("SetPrerelease", "").unwrap().0, "1.2.3+meta");
        let problem = |m: &str, part: &str| match set(m, part) {
            Err(crate::template::FuncError::Call(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            problem("SetPrerelease", "rc.01"),
            "Version segment starts with 0"
        );
        assert_eq!(problem("SetPrerelease", "a_b"), "Invalid Prerelease string");
        assert_eq!(problem("SetMetadata", "a_b"), "Invalid Metadata string");
        let Ok(Value::Object(next)) = v.call("SetPrerelease", &[s("x")]).unwrap() else {
            panic!()
        };
        assert!(next.field("Original").is_none());
        assert_eq!(
            crate::template::fmt::sprint_v(&next.field("Value").unwrap()),
            "1.2.3-x+meta"
        );
    }
}
