//! RFM segments: each customer with at least one sale is scored 1 to 5 on
//! recency (their last sale), frequency (their sales) and money (their
//! revenue after refunds) by quintile, and named by the first rule of
//! `RULES` their scores meet. The store turns the same rules into SQL (the
//! reports, a customer's detail) and applies `boundaries` and `score` as
//! they are to the view's lists, so a segment reads the same in a list, a
//! file and a customer's detail.
//!
//! Scores: with the customers' values sorted ascending v1 <= ... <= vN, the
//! k-th boundary (k = 1..4) is v at position ceil(k * N / 5); a customer's
//! score is 1 plus the number of boundaries their value is above. Equal
//! values always get the same score (ties take the lower one).

/// A named group of customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Champions,
    Loyal,
    New,
    Promising,
    NeedsAttention,
    AtRisk,
    Hibernating,
    Lost,
}

/// One rule: recency score in `r`, frequency score in `f`, money score at
/// least `m_min`. Rules are tried in this order; every combination of
/// scores meets one (a test proves it).
pub struct Rule {
    pub segment: Segment,
    pub r: (u8, u8),
    pub f: (u8, u8),
    pub m_min: u8,
}

pub const RULES: [Rule; 8] = [
    // Bought recently, often, and spend the most.
    Rule {
        segment: Segment::Champions,
        r: (4, 5),
        f: (4, 5),
        m_min: 4,
    },
    // Buy often, and not long ago.
    Rule {
        segment: Segment::Loyal,
        r: (3, 5),
        f: (3, 5),
        m_min: 1,
    },
    // Their first and only sales were very recent.
    Rule {
        segment: Segment::New,
        r: (5, 5),
        f: (1, 1),
        m_min: 1,
    },
    // Recent, with few sales yet.
    Rule {
        segment: Segment::Promising,
        r: (4, 5),
        f: (1, 2),
        m_min: 1,
    },
    // Middling recency, few sales.
    Rule {
        segment: Segment::NeedsAttention,
        r: (3, 3),
        f: (1, 2),
        m_min: 1,
    },
    // Bought often, but not for a long time.
    Rule {
        segment: Segment::AtRisk,
        r: (1, 2),
        f: (3, 5),
        m_min: 1,
    },
    // Few sales, long ago.
    Rule {
        segment: Segment::Hibernating,
        r: (2, 2),
        f: (1, 2),
        m_min: 1,
    },
    // Few sales, longest ago.
    Rule {
        segment: Segment::Lost,
        r: (1, 1),
        f: (1, 2),
        m_min: 1,
    },
];

impl Segment {
    pub const ALL: [Segment; 8] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::New,
        Segment::Promising,
        Segment::NeedsAttention,
        Segment::AtRisk,
        Segment::Hibernating,
        Segment::Lost,
    ];

    /// The name shown and written in files.
    pub fn name(self) -> &'static str {
        match self {
            Segment::Champions => "Champions",
            Segment::Loyal => "Loyal",
            Segment::New => "New",
            Segment::Promising => "Promising",
            Segment::NeedsAttention => "Needs attention",
            Segment::AtRisk => "At risk",
            Segment::Hibernating => "Hibernating",
            Segment::Lost => "Lost",
        }
    }

    /// Who its customers are, in a few words (the README's table).
    pub fn about(self) -> &'static str {
        match self {
            Segment::Champions => "bought recently, often, and spend the most",
            Segment::Loyal => "buy often, and not long ago",
            Segment::New => "their first sales were very recent",
            Segment::Promising => "recent, few sales yet",
            Segment::NeedsAttention => "middling recency, few sales",
            Segment::AtRisk => "bought often, but not for a long time",
            Segment::Hibernating => "few sales, long ago",
            Segment::Lost => "few sales, longest ago",
        }
    }

    /// A name as typed (any case, spaces or dashes: "at-risk", "At risk").
    pub fn from_name(text: &str) -> Option<Segment> {
        let key = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let wanted = key(text);
        Segment::ALL.into_iter().find(|s| key(s.name()) == wanted)
    }

    /// The segment of scores (each 1..=5).
    pub fn of(r: u8, f: u8, m: u8) -> Segment {
        RULES
            .iter()
            .find(|rule| {
                (rule.r.0..=rule.r.1).contains(&r)
                    && (rule.f.0..=rule.f.1).contains(&f)
                    && m >= rule.m_min
            })
            .map_or(Segment::Lost, |rule| rule.segment)
    }
}

/// The four quintile boundaries of values sorted ascending (none when empty).
pub fn boundaries<T: Clone>(sorted: &[T]) -> Option<[T; 4]> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let at = |k: usize| sorted[(k * n).div_ceil(5) - 1].clone();
    Some([at(1), at(2), at(3), at(4)])
}

/// A value's score 1..=5 against its boundaries.
pub fn score<T: PartialOrd>(value: &T, bounds: &[T; 4]) -> u8 {
    1 + bounds.iter().filter(|b| value > *b).count() as u8
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_segment_says_who_it_is_as_the_readme_does() {
        let readme = include_str!("../../README.md");
        for s in super::Segment::ALL {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {} ", s.name())))
                .unwrap_or_else(|| panic!("{} is in the README's table", s.name()));
            assert!(
                row.trim_end().ends_with(&format!("| {} |", s.about())),
                "{row}"
            );
        }
    }

    use super::*;

    #[test]
    fn every_score_has_a_segment_by_the_first_rule() {
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    let hits = RULES
                        .iter()
                        .filter(|x| {
                            (x.r.0..=x.r.1).contains(&r)
                                && (x.f.0..=x.f.1).contains(&f)
                                && m >= x.m_min
                        })
                        .count();
                    assert!(hits >= 1, "{r}{f}{m} has no rule");
                }
            }
        }
        assert_eq!(Segment::of(5, 5, 5), Segment::Champions);
        assert_eq!(Segment::of(5, 5, 3), Segment::Loyal);
        assert_eq!(Segment::of(5, 1, 1), Segment::New);
        assert_eq!(Segment::of(4, 1, 5), Segment::Promising);
        assert_eq!(Segment::of(3, 2, 5), Segment::NeedsAttention);
        assert_eq!(Segment::of(2, 5, 5), Segment::AtRisk);
        assert_eq!(Segment::of(2, 1, 1), Segment::Hibernating);
        assert_eq!(Segment::of(1, 2, 5), Segment::Lost);
    }

    #[test]
    fn quintiles_at_their_boundaries() {
        let v: Vec<i64> = (1..=10).collect();
        let b = boundaries(&v).unwrap();
        assert_eq!(b, [2, 4, 6, 8]);
        let scores: Vec<u8> = v.iter().map(|x| score(x, &b)).collect();
        assert_eq!(scores, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        // Ties take the lower score: half the customers with one sale all score 1.
        let v = [1, 1, 1, 1, 1, 2, 3, 4, 5, 6];
        let b = boundaries(&v).unwrap();
        assert_eq!(b, [1, 1, 2, 4]);
        assert_eq!(score(&1, &b), 1);
        assert_eq!(score(&6, &b), 5);
        assert_eq!(boundaries::<i64>(&[]), None);
        assert_eq!(boundaries(&[7]), Some([7, 7, 7, 7]));
        assert_eq!(score(&7, &[7, 7, 7, 7]), 1);
    }

    #[test]
    fn names_read_back() {
        for s in Segment::ALL {
            assert_eq!(Segment::from_name(s.name()), Some(s));
        }
        assert_eq!(Segment::from_name("at-risk"), Some(Segment::AtRisk));
        assert_eq!(
            Segment::from_name("needs_attention"),
            Some(Segment::NeedsAttention)
        );
        assert_eq!(Segment::from_name("vip"), None);
    }
}
