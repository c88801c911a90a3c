//! The error tree santhosh-tekuri/jsonschema v6 builds while it validates, and how its
//! `Error()` prints it: one `- at '<pointer>': <message>` line per node, children indented two
//! spaces under their parent; a `$ref` that failed for one reason is not a line of its own.

use crate::template::fmt as gofmt;

/// One failed keyword (or a group of them) at one place in the values.
#[derive(Debug)]
pub(super) struct Failure {
    /// JSON pointer of the value that failed (`''` is the whole values map).
    pub(super) at: String,
    pub(super) kind: Kind,
    pub(super) causes: Vec<Failure>,
}

#[derive(Debug, PartialEq)]
pub(super) enum Kind {
    /// Several keywords of one schema failed.
    Group,
    /// A `$ref` (or its target) failed.
    Reference,
    /// Any other keyword, with its English message.
    Message(String),
}

impl Failure {
    pub(super) fn new(at: &str, message: String) -> Failure {
        Failure {
            at: at.to_string(),
            kind: Kind::Message(message),
            causes: Vec::new(),
        }
    }

    pub(super) fn with_causes(at: &str, kind: Kind, causes: Vec<Failure>) -> Failure {
        Failure {
            at: at.to_string(),
            kind,
            causes,
        }
    }

    /// The failure a list of failures of one schema becomes: nothing, the one, or a group.
    pub(super) fn of(at: &str, mut errors: Vec<Failure>) -> Result<(), Failure> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(Failure::with_causes(at, Kind::Group, errors)),
        }
    }

    /// The causes listed under `jsonschema validation failed with '…'`: a group at the top is
    /// unwrapped.
    pub(super) fn into_top(self) -> Vec<Failure> {
        if self.kind == Kind::Group {
            self.causes
        } else {
            vec![self]
        }
    }

    /// Appends this failure's lines at `indent` (1 for the top causes).
    pub(super) fn display(&self, out: &mut String, indent: usize) {
        // NOTE: a reference with a single cause is skipped and its cause printed at its place;
        // the validator's own line ('validation failed') appears only for two or more.
        let skip = self.kind == Kind::Reference && self.causes.len() == 1;
        let mut indent = indent;
        if !skip {
            out.push('\n');
            out.push_str(&"  ".repeat(indent - 1));
            out.push_str("- at ");
            out.push_str(&quote(&self.at));
            out.push_str(": ");
            match &self.kind {
                Kind::Message(m) => out.push_str(m),
                Kind::Group | Kind::Reference => out.push_str("validation failed"),
            }
            indent += 1;
        }
        for cause in &self.causes {
            cause.display(out, indent);
        }
    }
}

/// The library's `quote`: Go's `%q` in single quotes, `'` escaped and `"` not.
pub(super) fn quote(s: &str) -> String {
    let q = gofmt::quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// Quoted and joined with `, `.
pub(super) fn join_quoted<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s.as_ref())).collect();
    quoted.join(", ")
}

/// `%d` through golang.org/x/text's English printer: thousands grouped with commas.
pub(super) fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(&digits))
}

/// `%v` of a float64 through golang.org/x/text's English printer: Go's choice between `%e`
/// and `%f`, the integer part grouped, and an exponent written `×10⁻⁰⁵`.
pub(super) fn float(f: f64) -> String {
    // The reader stands the largest float for a number beyond float64 (`1e400`), which v6
    // prints through float64 as infinity.
    if f.abs() == f64::MAX {
        return if f < 0.0 { "-∞" } else { "∞" }.into();
    }
    let go = gofmt::format_float(f, 'g', None);
    let (sign, unsigned) = match go.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", go.as_str()),
    };
    if let Some((mantissa, exp)) = unsigned.split_once('e') {
        let sup: String = exp.chars().filter(|&c| c != '+').map(superscript).collect();
        return format!("{sign}{mantissa}×10{sup}");
    }
    match unsigned.split_once('.') {
        Some((whole, frac)) => format!("{sign}{}.{frac}", group(whole)),
        None => format!("{sign}{}", group(unsigned)),
    }
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn superscript(c: char) -> char {
    match c {
        '-' => '⁻',
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        other => other,
    }
}
