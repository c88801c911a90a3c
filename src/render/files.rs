//! `.Files`: a chart's files that are neither templates nor values (Helm's `engine.files`, a
//! `map[string][]byte` with methods `Get`, `GetBytes`, `Glob`, `Lines`, `AsConfig`,
//! `AsSecrets`).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::glob::Glob;
use crate::file_bytes::FileBytes;
use crate::template::go_bytes;
use crate::template::value::Entries;
use crate::template::value::{ElemType, Object, Value};

/// A set of chart files.
#[derive(Debug, Clone, Default)]
pub(crate) struct Files {
    files: Rc<BTreeMap<String, FileBytes>>,
}

impl Files {
    /// The files of a chart.
    pub(crate) fn new(files: impl IntoIterator<Item = (String, FileBytes)>) -> Files {
        Files {
            files: Rc::new(files.into_iter().collect()),
        }
    }

    fn bytes(&self, name: &str) -> Value {
        match self.files.get(name) {
            Some(b) => Value::Bytes(Rc::from(&b[..])),
            None => Value::Bytes(Rc::from(&[][..])),
        }
    }

    /// `Get`: the file as a string (empty when missing). A Go string holds the bytes as they
    /// are: `b64enc` of a binary file encodes the file (see [`go_bytes`]).
    pub(crate) fn get(&self, name: &str) -> String {
        self.files
            .get(name)
            .map(|b| go_bytes::from_go_bytes(b))
            .unwrap_or_default()
    }

    /// `Glob`: the files whose names match. gobwas's matcher can panic on a name (see
    /// [`Glob`]); the panic is the call's error, as Go's template makes it.
    pub(crate) fn glob(&self, pattern: &str) -> Result<Files, String> {
        let g = Glob::new(pattern);
        let mut matched = Vec::new();
        for (k, v) in self.files.iter() {
            if g.matches(k)? {
                matched.push((k.clone(), v.clone()));
            }
        }
        Ok(Files::new(matched))
    }

    /// `Lines`: the file split at `\n`, one trailing newline dropped.
    pub(crate) fn lines(&self, name: &str) -> Result<Vec<String>, String> {
        let Some(data) = self.files.get(name) else {
            return Ok(Vec::new());
        };
        let mut s = go_bytes::from_go_bytes(data);
        if s.is_empty() {
            // Go indexes s[len(s)-1]; the panic becomes the call's error (Helm 3.17.3).
            return Err("runtime error: index out of range [-1]".into());
        }
        if s.ends_with('\n') {
            s.pop();
        }
        Ok(s.split('\n').map(str::to_string).collect())
    }

    /// `AsConfig` / `AsSecrets`: base name → contents (base64 for secrets) as YAML.
    fn as_yaml(&self, base64: bool) -> Result<Value, String> {
        let mut m: Entries = Entries::new();
        for (k, v) in self.files.iter() {
            let base = k.rsplit('/').next().unwrap_or(k);
            let text = if base64 {
                encode_base64(v)
            } else {
                go_bytes::from_go_bytes(v)
            };
            m.insert(Rc::from(base), Value::str(text));
        }
        let to_yaml = crate::template::funcs::lookup("toYaml")
            .ok_or_else(|| "toYaml is not available".to_string())?;
        let mut ctx = crate::template::funcs::Ctx::default();
        to_yaml(&mut ctx, &[Value::map(m)]).map_err(|e| format!("{e:?}"))
    }
}

/// Standard base64 with padding.
pub(crate) fn encode_base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn name_arg(args: &[Value]) -> Result<&str, crate::template::FuncError> {
    crate::template::funcs::args::string(&args[0]).map(|s| s.as_str())
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "AsConfig" => Some(self.as_yaml(false).unwrap_or_else(|_| Value::str(""))),
            "AsSecrets" => Some(self.as_yaml(true).unwrap_or_else(|_| Value::str(""))),
            "Get" | "GetBytes" | "Glob" | "Lines" => None,
            // A map type: any other name is a key (a missing one is a nil []byte, `[]`).
            key => Some(self.bytes(key)),
        }
    }

    fn call(
        &self,
        name: &str,
        args: &[Value],
    ) -> Option<Result<Value, crate::template::FuncError>> {
        Some(match name {
            "Get" => name_arg(args).map(|n| Value::str(self.get(n))),
            "GetBytes" => name_arg(args).map(|n| self.bytes(n)),
            "Glob" => name_arg(args).and_then(|p| {
                let files = self.glob(p).map_err(crate::template::FuncError::Call)?;
                Ok(Value::Object(Rc::new(files)))
            }),
            "Lines" => name_arg(args).and_then(|n| {
                Ok(Value::typed_list(
                    self.lines(n)
                        .map_err(crate::template::FuncError::Call)?
                        .into_iter()
                        .map(Value::str)
                        .collect(),
                    ElemType::String,
                ))
            }),
            _ => return None,
        })
    }

    fn arity(&self, name: &str) -> Option<usize> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(1),
            "AsConfig" | "AsSecrets" => Some(0),
            _ => None,
        }
    }

    fn fmt_v(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| {
                let bytes: Vec<String> = v.iter().map(u8::to_string).collect();
                format!("{k}:[{}]", bytes.join(" "))
            })
            .collect();
        format!("map[{}]", parts.join(" "))
    }

    fn to_plain(&self) -> Value {
        self.underlying().unwrap_or_default()
    }

    fn underlying(&self) -> Option<Value> {
        Some(Value::map(
            self.files
                .keys()
                .map(|k| (Rc::from(k.as_str()), self.bytes(k)))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        let f = |n: &str, d: &[u8]| (n.to_string(), FileBytes::from(d));
        Files::new([
            f("files/tls/a.crt", b"x\n"),
            f("files/tls/b.pem", b"y"),
            f("files/a/b/c.txt", b"line1\nline2\n\n"),
            f("files/a/x.conf", b"weird: \"q\"\n"),
        ])
    }

    #[test]
    fn get_lines_glob_like_helm() {
        // Expectations printed by Helm 3.17.3 for the same files.
        let f = files();
        assert_eq!(f.get("files/tls/b.pem"), "y");
        assert_eq!(f.get("nope"), "");
        assert_eq!(f.lines("files/a/b/c.txt").unwrap(), ["line1", "line2", ""]);
        assert!(f.lines("nope").unwrap().is_empty());
        // Helm 3.17.3 on an empty file: `error calling Lines: runtime error: index out of range [-1]`.
        let empty = Files::new([("e".to_string(), FileBytes::from(&b""[..]))]);
        assert_eq!(
            empty.lines("e").unwrap_err(),
            "runtime error: index out of range [-1]"
        );
        let g = f.glob("files/tls/*.{crt,pem}").unwrap();
        assert_eq!(g.files.len(), 2);
        assert!(f.glob("files/*").unwrap().files.is_empty());
        assert_eq!(f.glob("files/**").unwrap().files.len(), 4);
        assert!(!Value::Object(Rc::new(f.glob("nomatch").unwrap())).truthy());
        assert!(Value::Object(Rc::new(g)).truthy());
        assert_eq!(
            f.glob("files/tls/b.pem").unwrap().fmt_v(),
            "map[files/tls/b.pem:[121]]"
        );
        let Some(Ok(Value::Bytes(b))) = f.call("GetBytes", &[Value::str("files/tls/b.pem")]) else {
            panic!()
        };
        assert_eq!(&b[..], b"y");
        assert_eq!(encode_base64(b"line1\nline2\n\n"), "bGluZTEKbGluZTIKCg==");
        assert_eq!(encode_base64(b"weird: \"q\"\n"), "d2VpcmQ6ICJxIgo=");
    }

    #[test]
    fn as_config_and_as_secrets_like_helm() {
        // `(.Files.Glob "files/a/**").AsConfig` / `.AsSecrets`, printed by Helm 3.17.3.
        let g = files().glob("files/a/**").unwrap();
        assert_eq!(
            g.field("AsConfig").unwrap().as_str(),
            Some("c.txt: |+\n  line1\n  line2\n\nx.conf: |\n  weird: \"q\"")
        );
        assert_eq!(
            g.field("AsSecrets").unwrap().as_str(),
            Some("c.txt: bGluZTEKbGluZTIKCg==\nx.conf: d2VpcmQ6ICJxIgo=")
        );
        assert_eq!(
            files()
                .glob("nomatch")
                .unwrap()
                .field("AsConfig")
                .unwrap()
                .as_str(),
            Some("{}")
        );
    }
}
