//! A list flag's value as Helm's flags read it (pflag's `StringSlice`, for `-f/--values` and
//! `-a/--api-versions`): one CSV record of `encoding/csv`, so `-f a.yaml,b.yaml` is two files,
//! `-f '"a,b.yaml"'` is one, and an empty value is none.

/// The items of one flag value, or `encoding/csv`'s error for it.
pub(crate) fn items(value: &str) -> Result<Vec<String>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    // The reader skips empty lines before the record, and reads that one record only.
    let mut line = 1;
    let mut rest = value;
    while let Some(after) = rest
        .strip_prefix('\n')
        .or_else(|| rest.strip_prefix("\r\n"))
    {
        rest = after;
        line += 1;
    }
    if rest.is_empty() {
        return Err("EOF".into());
    }
    let error = |column: usize, problem: &str| {
        format!("parse error on line {line}, column {column}: {problem}")
    };
    let bytes = rest.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        if bytes.get(i) == Some(&b'"') {
            let mut field = String::new();
            i += 1;
            loop {
                let Some(quote) = rest[i..].find('"') else {
                    return Err(error(
                        rest.len() + 1,
                        "extraneous or missing \" in quoted-field",
                    ));
                };
                field.push_str(&rest[i..i + quote]);
                i += quote + 1;
                match bytes.get(i) {
                    Some(b'"') => {
                        field.push('"');
                        i += 1;
                    }
                    Some(b',') => {
                        i += 1;
                        break;
                    }
                    None | Some(b'\n') => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(b'\r') if matches!(bytes.get(i + 1), None | Some(b'\n')) => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(_) => {
                        return Err(error(i, "extraneous or missing \" in quoted-field"));
                    }
                }
            }
            fields.push(field);
        } else {
            let end = rest[i..].find([',', '\n']).map_or(rest.len(), |k| i + k);
            let field = &rest[i..end];
            if let Some(quote) = field.find('"') {
                return Err(error(i + quote + 1, "bare \" in non-quoted-field"));
            }
            let at_comma = bytes.get(end) == Some(&b',');
            let field = if at_comma {
                field
            } else {
                field.strip_suffix('\r').unwrap_or(field)
            };
            fields.push(field.to_string());
            if !at_comma {
                return Ok(fields);
            }
            i = end + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::items;

    // Expectations from Go's encoding/csv as pflag reads a flag (Helm 3.17.3's
    // `--api-versions` and `-f`).
    #[test]
    fn a_value_is_one_csv_record() {
        let ok = |v: &str| items(v).unwrap();
        assert_eq!(ok(""), Vec::<String>::new());
        assert_eq!(ok("a.yaml,b.yaml"), ["a.yaml", "b.yaml"]);
        assert_eq!(ok("\"a,b\""), ["a,b"]);
        assert_eq!(ok("\"a\"\"b\",c"), ["a\"b", "c"]);
        assert_eq!(ok("a,"), ["a", ""]);
        assert_eq!(ok(",a"), ["", "a"]);
        assert_eq!(ok("a b , c"), ["a b ", " c"]);
        assert_eq!(ok("a\nb"), ["a"]);
        assert_eq!(ok("\n\na,b\r\nc"), ["a", "b"]);
        assert_eq!(ok("\"x\ny\",z"), ["x\ny", "z"]);
        assert_eq!(
            items("a\"b").unwrap_err(),
            "parse error on line 1, column 2: bare \" in non-quoted-field"
        );
        assert!(
            items("\"a\"b")
                .unwrap_err()
                .contains("extraneous or missing \" in quoted-field")
        );
        assert!(
            items("\"a")
                .unwrap_err()
                .contains("extraneous or missing \" in quoted-field")
        );
    }
}
