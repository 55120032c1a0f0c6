//! Speaker lookup by time, for formats that keep speakers apart from words
//! (AWS Transcribe's `speaker_labels.segments`, IBM Watson's
//! `speaker_labels`). Sorted once, then each word costs a binary search:
//! O((n + m) log m) for n words and m labels, where a scan per word was
//! O(n·m) and made a 3-hour AWS file take 16.6 s (issue 9).

use super::TimeOffset;

/// Speakers at exact word start times, plus the spans they talked in.
#[derive(Debug, Default)]
pub(crate) struct SpeakerIndex {
    /// (word start in ms, speaker), sorted by time.
    points: Vec<(i64, String)>,
    /// (start, end, speaker) of whole turns, sorted by start.
    spans: Vec<(i64, i64, String)>,
}

impl SpeakerIndex {
    pub(crate) fn new(mut points: Vec<(i64, String)>, mut spans: Vec<(i64, i64, String)>) -> Self {
        // Stable, so that of two labels for one instant the first wins.
        points.sort_by_key(|(t, _)| *t);
        spans.sort_by_key(|(start, _, _)| *start);
        SpeakerIndex { points, spans }
    }

    /// The speaker of a word starting at `start`: the label given for that
    /// exact start time, else the turn span containing it.
    pub(crate) fn lookup(&self, start: TimeOffset) -> Option<&str> {
        self.lookup_counting(start, &mut 0)
    }

    /// [`Self::lookup`], adding the number of comparisons made to `steps`
    /// (so tests can prove the cost is logarithmic, not linear).
    pub(crate) fn lookup_counting(&self, start: TimeOffset, steps: &mut usize) -> Option<&str> {
        let t = start.millis();
        let i = partition_point_counting(&self.points, |(p, _)| *p < t, steps);
        if let Some((p, speaker)) = self.points.get(i)
            && *p == t
        {
            return Some(speaker);
        }
        // The last span starting at or before `t`, if it has not ended.
        let j = partition_point_counting(&self.spans, |(s, _, _)| *s <= t, steps);
        let (_, end, speaker) = self.spans.get(j.checked_sub(1)?)?;
        (t <= *end).then_some(speaker.as_str())
    }
}

/// `slice::partition_point`, counting predicate calls.
fn partition_point_counting<T>(
    items: &[T],
    mut pred: impl FnMut(&T) -> bool,
    steps: &mut usize,
) -> usize {
    let (mut lo, mut hi) = (0, items.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        *steps += 1;
        if pred(&items[mid]) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(n: i64) -> SpeakerIndex {
        let points = (0..n)
            .map(|i| (i * 400, format!("spk_{}", (i / 25) % 2)))
            .collect();
        let spans = (0..n / 25)
            .map(|k| (k * 10_000, k * 10_000 + 9_999, format!("spk_{}", k % 2)))
            .collect();
        SpeakerIndex::new(points, spans)
    }

    #[test]
    fn exact_points_then_spans() {
        let idx = SpeakerIndex::new(
            vec![(1_000, "b".into()), (0, "a".into())],
            vec![(5_000, 6_000, "c".into())],
        );
        let at = |ms| idx.lookup(TimeOffset::from_millis(ms));
        assert_eq!(at(0), Some("a"));
        assert_eq!(at(1_000), Some("b"));
        assert_eq!(at(5_500), Some("c"));
        assert_eq!(at(6_001), None);
        assert_eq!(at(-1), None);
    }

    /// The structural proof that lookups are logarithmic: the comparisons
    /// per lookup stay within two binary searches, ⌈log2(m+1)⌉ each, so
    /// quadrupling the input adds a constant per word instead of
    /// quadrupling it (a linear scan would make 4× the comparisons).
    #[test]
    fn lookup_cost_is_logarithmic() {
        let per_word = |n: i64| {
            let idx = index(n);
            let mut steps = 0;
            for i in 0..n {
                // Half the words hit exact points, half fall inside spans.
                let t = i * 400 + if i % 2 == 0 { 0 } else { 7 };
                assert!(
                    idx.lookup_counting(TimeOffset::from_millis(t), &mut steps)
                        .is_some()
                );
            }
            steps as f64 / n as f64
        };
        let (small, large) = (per_word(10_000), per_word(40_000));
        let bound = 2.0 * (40_001f64).log2().ceil();
        assert!(large <= bound, "{large} comparisons per word > {bound}");
        assert!(
            large - small <= 4.0,
            "per-word cost grew from {small} to {large}"
        );
    }
}
