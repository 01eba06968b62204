//! Conversion by stage: of the deals created in a window, how many got at least as far
//! as each open stage, how many were won, and the share that went on from each step.

/// Deals grouped by how far they got: the furthest open stage (an index into the open
/// stages, in pipeline order; `None` if never in one) and whether they were won.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathCount {
    pub furthest: Option<usize>,
    pub won: bool,
    pub deals: u64,
}

/// One step of the funnel: how many deals reached it, and what share of the previous
/// step's deals that is (none for the first step, or when the previous step is empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub reached: u64,
    pub percent_of_previous: Option<u8>,
}

/// The funnel over `open_stages` open stages, then "won". A won deal passed every
/// open stage, whichever it skipped; any deal of the window entered the pipeline, so
/// the first step counts them all.
pub fn funnel(open_stages: usize, paths: &[PathCount]) -> Vec<Step> {
    let total: u64 = paths.iter().map(|p| p.deals).sum();
    let won: u64 = paths.iter().filter(|p| p.won).map(|p| p.deals).sum();
    let mut reached: Vec<u64> = (0..open_stages)
        .map(|k| {
            if k == 0 {
                return total;
            }
            paths.iter().filter(|p| p.won || p.furthest.is_some_and(|f| f >= k)).map(|p| p.deals).sum()
        })
        .collect();
    reached.push(won);
    let mut steps = Vec::with_capacity(reached.len());
    for (i, &r) in reached.iter().enumerate() {
        let percent = match i {
            0 => None,
            _ if reached[i - 1] == 0 => None,
            _ => Some(((r * 100 + reached[i - 1] / 2) / reached[i - 1]).min(100) as u8),
        };
        steps.push(Step { reached: r, percent_of_previous: percent });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(furthest: Option<usize>, won: bool, deals: u64) -> PathCount {
        PathCount { furthest, won, deals }
    }

    #[test]
    fn won_deals_pass_every_stage_and_lost_ones_stop_where_they_were() {
        // 10 deals: 4 still at stage 0, 3 got to stage 2, 1 lost after stage 1, 2 won.
        let steps = funnel(3, &[p(Some(0), false, 4), p(Some(2), false, 3), p(Some(1), false, 1), p(Some(1), true, 2)]);
        let reached: Vec<u64> = steps.iter().map(|s| s.reached).collect();
        assert_eq!(reached, vec![10, 6, 5, 2]);
        assert_eq!(steps[0].percent_of_previous, None);
        assert_eq!(steps[1].percent_of_previous, Some(60));
        assert_eq!(steps[2].percent_of_previous, Some(83));
        assert_eq!(steps[3].percent_of_previous, Some(40));
    }

    #[test]
    fn an_empty_window_has_no_percentages() {
        let steps = funnel(2, &[]);
        assert!(steps.iter().all(|s| s.reached == 0 && s.percent_of_previous.is_none()));
    }

    proptest! {
        #[test]
        fn a_funnel_only_narrows(paths in proptest::collection::vec((proptest::option::of(0usize..6), any::<bool>(), 0u64..50), 0..20)) {
            let paths: Vec<PathCount> = paths.into_iter().map(|(f, w, d)| p(f, w, d)).collect();
            let steps = funnel(6, &paths);
            prop_assert_eq!(steps.len(), 7);
            prop_assert_eq!(steps[0].reached, paths.iter().map(|p| p.deals).sum::<u64>());
            for w in steps.windows(2) {
                prop_assert!(w[1].reached <= w[0].reached);
                prop_assert!(w[1].percent_of_previous.is_none_or(|x| x <= 100));
            }
        }
    }
}
