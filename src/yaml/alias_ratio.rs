//! go-yaml's bound on alias expansion (CVE-2019-11253): its decoder counts every node it
//! decodes, and those it decodes through an alias, and stops a document whose count is mostly
//! aliases ("document contains excessive aliasing"). Helm reads every values file, chart values
//! and `fromYaml` text through it, so a small alias bomb that stays under the loader's own
//! bound on values is still one Helm refuses.
//!
//! go-yaml decodes after it parsed the document, walking it in document order, and an alias
//! decodes its anchor's node again, each of its nodes (nested aliases included) counted as
//! aliased. Keys count, a `<<` key does not. The same walk is kept here from the parser's events:
//! an anchored node's weight is what decoding it counted, and an alias adds itself and that
//! weight.

use std::collections::HashMap;

/// go-yaml's `alias_ratio_range_low` and `_high`.
const RANGE_LOW: usize = 400_000;
const RANGE_HIGH: usize = 4_000_000;

/// The counts of go-yaml's decoder for one document.
#[derive(Default)]
pub(super) struct AliasRatio {
    /// `decodeCount`.
    decoded: usize,
    /// `aliasCount`.
    aliased: usize,
    /// For each open collection: its anchor (0: none) and `decoded` before it.
    open: Vec<(usize, usize)>,
    /// Anchor id → what decoding its node counts.
    weights: HashMap<usize, usize>,
}

impl AliasRatio {
    /// A document starts: go-yaml decodes one document per decoder, its node counted.
    pub(super) fn document(&mut self) {
        *self = AliasRatio {
            decoded: 1,
            ..AliasRatio::default()
        };
    }

    /// A scalar (`merge_key`: a `<<` key, which go-yaml merges without decoding).
    #[must_use]
    pub(super) fn scalar(&mut self, anchor: usize, merge_key: bool) -> bool {
        if merge_key {
            return true;
        }
        self.decoded += 1;
        if anchor > 0 {
            self.weights.insert(anchor, 1);
        }
        self.within()
    }

    /// A mapping or sequence opens.
    #[must_use]
    pub(super) fn open(&mut self, anchor: usize) -> bool {
        self.open.push((anchor, self.decoded));
        self.decoded += 1;
        self.within()
    }

    /// The innermost collection closes.
    pub(super) fn close(&mut self) {
        if let Some((anchor, before)) = self.open.pop()
            && anchor > 0
        {
            self.weights.insert(anchor, self.decoded - before);
        }
    }

    /// An alias of anchor `id`.
    #[must_use]
    pub(super) fn alias(&mut self, id: usize) -> bool {
        let weight = self.weights.get(&id).copied().unwrap_or(0);
        self.decoded = self.decoded.saturating_add(1 + weight);
        self.aliased = self.aliased.saturating_add(weight);
        self.within()
    }

    /// go-yaml's test, made after each node: false once the aliases are too large a share.
    /// (Inside an alias both counts grow together, so the share only grows while the allowed
    /// share only shrinks: testing once at its end finds what testing at each node finds.)
    fn within(&self) -> bool {
        !(self.aliased > 100
            && self.decoded > 1000
            && self.aliased as f64 / self.decoded as f64 > allowed_ratio(self.decoded))
    }
}

/// go-yaml's `allowedAliasRatio`.
fn allowed_ratio(decoded: usize) -> f64 {
    if decoded <= RANGE_LOW {
        0.99
    } else if decoded >= RANGE_HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decoded - RANGE_LOW) as f64 / (RANGE_HIGH - RANGE_LOW) as f64)
    }
}
