//! Blocks of lines that a copy repeated right after themselves.

use std::hash::Hash;

use rustc_hash::FxHashMap;

/// `items[start..start + len]` is repeated at once as `items[start + len..start + 2 * len]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    /// Index of the first item of the original block.
    pub start: usize,
    /// Number of items in the block.
    pub len: usize,
}

/// Finds the longest block of `items` (accepted by `eligible`) that is immediately followed
/// by a copy of itself; the earliest one among equals.
///
/// Runs in near-linear time: each item is compared against the block that its previous
/// occurrence would start, and positions an earlier comparison already covered are skipped.
///
/// ```
/// use tgexport::analysis::{find_repeat, Repeat};
/// let lines = ["title", "a", "b", "a", "b"];
/// assert_eq!(find_repeat(&lines, |_| true), Some(Repeat { start: 1, len: 2 }));
/// ```
pub fn find_repeat<T: Eq + Hash>(items: &[T], eligible: impl Fn(usize) -> bool) -> Option<Repeat> {
    // A post's few lines are compared one by one (mostly their lengths, without hashing
    // their text); longer inputs are indexed to stay linear.
    const FEW: usize = 32;
    find_repeat_with(items, eligible, items.len() > FEW)
}

/// [`find_repeat`], finding each item's previous occurrence with an index or by search.
fn find_repeat_with<T: Eq + Hash>(
    items: &[T],
    eligible: impl Fn(usize) -> bool,
    indexed: bool,
) -> Option<Repeat> {
    let mut last_seen: Option<FxHashMap<&T, usize>> =
        indexed.then(|| FxHashMap::with_capacity_and_hasher(items.len(), Default::default()));
    let mut best: Option<Repeat> = None;
    // A comparison with period `k` that matched up to `covered` makes the same comparison
    // from any later position before `covered` pointless.
    let (mut covered, mut covered_period) = (0, 0);
    for (j, item) in items.iter().enumerate() {
        let previous = match &mut last_seen {
            Some(last_seen) => last_seen.insert(item, j),
            None => items[..j].iter().rposition(|seen| seen == item),
        };
        if let Some(p) = previous {
            let k = j - p;
            let fits = j + k <= items.len() && best.is_none_or(|b| k > b.len);
            if fits && !(j < covered && k == covered_period) {
                let matched = (0..k)
                    .take_while(|&t| eligible(p + t) && items[p + t] == items[j + t])
                    .count();
                if matched == k {
                    best = Some(Repeat { start: p, len: k });
                }
                (covered, covered_period) = (j + matched.max(1), k);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_block_repeated_after_itself() {
        let lines = ["fwd", "intro", "a", "b", "c", "#tag", "a", "b", "c", "#tag"];
        assert_eq!(
            find_repeat(&lines, |_| true),
            Some(Repeat { start: 2, len: 4 })
        );
    }

    #[test]
    fn prefers_the_longest_block() {
        let lines = ["x", "x", "a", "b", "c", "a", "b", "c"];
        assert_eq!(
            find_repeat(&lines, |_| true),
            Some(Repeat { start: 2, len: 3 })
        );
    }

    #[test]
    fn no_repeat_without_adjacent_copy() {
        assert_eq!(find_repeat(&["a", "b", "c", "a", "d"], |_| true), None);
        assert_eq!(find_repeat::<&str>(&[], |_| true), None);
    }

    #[test]
    fn ineligible_items_block_a_repeat() {
        assert_eq!(find_repeat(&["a", "b", "a", "b"], |i| i != 1), None);
    }

    #[test]
    fn stays_fast_on_near_repeats() {
        // Two copies of 20 000 lines that differ in the last one: quadratic work would take minutes.
        let mut lines: Vec<u32> = (0..20_000).collect();
        lines.extend(0..19_999);
        lines.push(u32::MAX);
        assert_eq!(find_repeat(&lines, |_| true), None);
    }

    proptest::proptest! {
        #[test]
        fn searching_finds_what_indexing_finds(
            items in proptest::collection::vec(0u8..4, 0..48),
            blocked in 0usize..48,
        ) {
            let eligible = |i| i != blocked;
            proptest::prop_assert_eq!(
                find_repeat_with(&items, eligible, false),
                find_repeat_with(&items, eligible, true)
            );
        }
    }
}
