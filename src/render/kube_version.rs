//! `.Capabilities.KubeVersion` and `--kube-version` as each Helm reads it. Helm 3.17 parses
//! with Masterminds semver and keeps the version it printed back (`1.30` is `v1.30.0`); Helm 4.1
//! parses with Kubernetes' generic parser (`k8s.io/apimachinery/pkg/util/version`), keeps what
//! it was given as `Version` (a `v` put in front) and the numbers alone as the version `String`
//! returns and the chart's `kubeVersion` is checked against: `v1.29.3-eks-1234` passes
//! `>=1.29.0`, `1.29` stays `v1.29`.

use std::rc::Rc;

use crate::template::fmt::quote;
use crate::template::value::{GoStruct, Object, Value};

/// `.Capabilities.KubeVersion`.
#[derive(Debug, Clone, PartialEq)]
pub struct KubeVersion {
    /// `v1.32.0`; under Helm 4 the version as given (`v1.29.3-eks-1234`).
    pub(crate) version: String,
    /// What the `String` method returns and the chart's `kubeVersion` is checked against:
    /// Helm 4's numbers alone (`v1.29.3`), Helm 3's [`KubeVersion::version`].
    pub(crate) normalized: String,
    /// `1`.
    pub(crate) major: String,
    /// `32`.
    pub(crate) minor: String,
    /// Helm 4's `common.KubeVersion`, whose `%v` prints its unexported normalized version too.
    pub(crate) helm4: bool,
    /// The field of `.Capabilities` itself, which Go can take the address of, rather than a
    /// copy a function was given (see [`Object::passed`]).
    pub(crate) addressable: bool,
}

impl KubeVersion {
    /// Parses `--kube-version` as Helm 3 does (Masterminds semver, `v` optional, missing parts
    /// 0): `1.30` is `v1.30.0`.
    pub(crate) fn parse(text: &str) -> Result<KubeVersion, String> {
        let v = crate::template::funcs::sprig_semver::Version::parse(text)?;
        let version = format!("v{}", v.string());
        let (major, minor) = v.major_minor();
        Ok(KubeVersion {
            normalized: version.clone(),
            version,
            major: major.to_string(),
            minor: minor.to_string(),
            helm4: false,
            addressable: true,
        })
    }

    /// Parses `--kube-version` as Helm 4's `common.ParseKubeVersion` does, with Kubernetes'
    /// `version.ParseGeneric`: spaces, then an optional `v`, then two or more dot-separated
    /// numbers (the first without a leading zero), then anything but a line break, unread.
    pub(crate) fn parse_helm4(text: &str) -> Result<KubeVersion, String> {
        let numbers = generic_numbers(text)?;
        let components: Vec<&str> = numbers.split('.').collect();
        if components.len() < 2 {
            return Err(format!("illegal version string {}", quote(text)));
        }
        let mut parsed = Vec::with_capacity(components.len());
        for (i, comp) in components.iter().enumerate() {
            if i == 0 && comp.starts_with('0') && *comp != "0" {
                return Err(format!(
                    "illegal zero-prefixed version component {} in {}",
                    quote(comp),
                    quote(text)
                ));
            }
            // Only digits reach here: the one failure is a number past 64 bits.
            let n: u64 = comp.parse().map_err(|_| {
                format!(
                    "illegal non-numeric version component {} in {}: strconv.ParseUint: parsing {}: value out of range",
                    quote(comp),
                    quote(text),
                    quote(comp)
                )
            })?;
            parsed.push(n.to_string());
        }
        let version = if text.starts_with('v') {
            text.to_string()
        } else {
            format!("v{text}")
        };
        Ok(KubeVersion {
            version,
            normalized: format!("v{}", parsed.join(".")),
            major: parsed[0].clone(),
            minor: parsed[1].clone(),
            helm4: true,
            addressable: true,
        })
    }
}

/// The numbers of `^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$` (Kubernetes' `versionMatchRE`), or its
/// error when the text does not match.
fn generic_numbers(text: &str) -> Result<&str, String> {
    let no_match = || format!("could not parse {} as version", quote(text));
    // Go's `\s` is ASCII space, tab, line feed, form feed and carriage return.
    let rest = text.trim_start_matches([' ', '\t', '\n', '\x0c', '\r']);
    let rest = rest.strip_prefix('v').unwrap_or(rest);
    let bytes = rest.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = digits(0);
    if end == 0 {
        return Err(no_match());
    }
    while bytes.get(end) == Some(&b'.') && digits(end + 1) > 0 {
        end += 1 + digits(end + 1);
    }
    // `.` matches no line break, and `$` is the end of the text.
    if rest[end..].contains('\n') {
        return Err(no_match());
    }
    Ok(&rest[..end])
}

impl Default for KubeVersion {
    fn default() -> Self {
        let version = super::objects::DEFAULT_KUBE_VERSION;
        // The constant is valid; this cannot fail.
        KubeVersion::parse(version).unwrap_or(KubeVersion {
            version: version.into(),
            normalized: version.into(),
            major: "1".into(),
            minor: "32".into(),
            helm4: false,
            addressable: true,
        })
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        if self.helm4 {
            "common.KubeVersion"
        } else {
            "chartutil.KubeVersion"
        }
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::str(match name {
            "Version" => self.version.as_str(),
            // Methods of the pointer, which a copy does not have.
            "GitVersion" if self.addressable => self.version.as_str(),
            "String" if self.addressable => self.normalized.as_str(),
            "Major" => self.major.as_str(),
            "Minor" => self.minor.as_str(),
            _ => return None,
        }))
    }
    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, crate::template::FuncError>> {
        None
    }
    fn arity(&self, name: &str) -> Option<usize> {
        (self.addressable && matches!(name, "String" | "GitVersion")).then_some(0)
    }
    fn comparison(&self) -> crate::template::value::Comparison {
        let fields = format!("{}\0{}\0{}", self.version, self.major, self.minor);
        crate::template::value::Comparison::Fields(fields)
    }
    fn json_order(&self) -> &'static [&'static str] {
        &["Version", "Major", "Minor"]
    }
    fn go_struct(&self) -> Option<GoStruct> {
        let s = |v: &String| Value::str(v.as_str());
        let mut fields = vec![("Version", s(&self.version))];
        if self.helm4 {
            fields.push(("normalizedVersion", s(&self.normalized)));
        }
        fields.extend([("Major", s(&self.major)), ("Minor", s(&self.minor))]);
        Some(GoStruct {
            type_name: if self.helm4 {
                "common.KubeVersion"
            } else {
                "chartutil.KubeVersion"
            },
            pointer: false,
            // `String` is the pointer's: `fmt` is given a copy.
            stringer: false,
            fields,
        })
    }
    fn print_action(&self) -> Option<String> {
        // Printed by an action as `.Capabilities.KubeVersion` (or through a variable, `with`,
        // `template`, `and`/`or`), Go takes the field's address and finds the pointer method
        // String(); a copy a function was given (`include`, `list`, `default`) has none.
        self.addressable.then(|| self.normalized.clone())
    }
    fn passed(&self) -> Option<Value> {
        self.addressable.then(|| {
            Value::Object(Rc::new(KubeVersion {
                addressable: false,
                ..self.clone()
            }))
        })
    }
    fn to_plain(&self) -> Value {
        // The unexported normalized version is no JSON field.
        Value::map(
            [
                ("Version", &self.version),
                ("Major", &self.major),
                ("Minor", &self.minor),
            ]
            .into_iter()
            .map(|(k, v)| (Rc::from(k), Value::str(v.as_str())))
            .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_3_parses_as_semver() {
        let k = KubeVersion::parse("1.30").unwrap();
        assert_eq!(
            (k.version.as_str(), k.major.as_str(), k.minor.as_str()),
            ("v1.30.0", "1", "30")
        );
        assert_eq!(KubeVersion::parse("v1.28.3").unwrap().version, "v1.28.3");
        assert!(KubeVersion::parse("one").is_err());
        assert!(KubeVersion::parse("1.2.3.4").is_err());
        assert_eq!(
            KubeVersion::parse("1.99999999999999999999"),
            Err("Error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range".into())
        );
    }

    #[test]
    fn helm_4_parses_as_kubernetes() {
        // Helm 4.1.4's `.Capabilities.KubeVersion` as `%v` prints it, or its error.
        let cases = [
            ("v1.29.3-eks-1234", "{v1.29.3-eks-1234 v1.29.3 1 29}"),
            ("1.29", "{v1.29 v1.29 1 29}"),
            ("1.029", "{v1.029 v1.29 1 29}"),
            ("1", "illegal version string \"1\""),
            ("abc", "could not parse \"abc\" as version"),
            (
                "01.29",
                "illegal zero-prefixed version component \"01\" in \"01.29\"",
            ),
        ];
        for (text, want) in cases {
            let got = KubeVersion::parse_helm4(text).map_or_else(|e| e, |k| k.fmt_v());
            assert_eq!(got, want, "{text}");
        }
    }
}
