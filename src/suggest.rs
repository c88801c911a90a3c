//! Did-you-mean suggestions.

/// The closest candidate to `word` (case-insensitive equality first, then similarity ≥ 0.75).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f32, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let score = if c.eq_ignore_ascii_case(word) {
            1.0
        } else {
            similar::TextDiff::configure()
                .algorithm(similar::Algorithm::Myers)
                .diff_chars(word.to_lowercase().as_str(), c.to_lowercase().as_str())
                .ratio()
        };
        if score >= 0.75 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys() {
        let keys = ["elasticsearch", "hbase", "kafka", "zookeeper"];
        assert_eq!(closest("elasticSearch", keys), Some("elasticsearch"));
        assert_eq!(closest("zookeper", keys), Some("zookeeper"));
        assert_eq!(closest("minio", keys), None);
    }
}
