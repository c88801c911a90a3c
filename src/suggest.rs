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
        } else if upper_bound(word, c) < 0.75 {
            // NOTE: a diff per candidate is the cost of every unknown key; most candidates
            // share too few characters to reach the threshold, which is cheap to tell.
            continue;
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

/// The highest ratio a diff of `a` and `b` could reach: twice the characters they share (as
/// multisets, case-insensitive) over their total length.
fn upper_bound(a: &str, b: &str) -> f32 {
    let sorted = |s: &str| {
        let mut v: Vec<char> = s.chars().flat_map(char::to_lowercase).collect();
        v.sort_unstable();
        v
    };
    let (a, b) = (sorted(a), sorted(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * shared as f32 / (a.len() + b.len()) as f32
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
        assert!(upper_bound("abc", "cab") == 1.0 && upper_bound("ab", "cd") == 0.0);
    }
}
