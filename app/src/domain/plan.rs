//! Plans: what the department must bring in a period, split onto its managers, and the
//! pace to it. Amounts are integers (kopecks, or a count of deals); every split adds
//! up exactly to what it splits.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::UserId;
use super::calendar::WorkCalendar;
use super::limits::total;
use super::period::Month;

/// What a plan counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Money received (the control area's "fact").
    #[default]
    Received,
    /// The amount of deals won (closed as won in the period).
    WonAmount,
    /// How many deals were won.
    WonCount,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::Received, Metric::WonAmount, Metric::WonCount];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Received => "received",
            Metric::WonAmount => "won_amount",
            Metric::WonCount => "won_count",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Money metrics hold kopecks; the count holds deals.
    pub fn is_money(self) -> bool {
        self != Metric::WonCount
    }

    /// The smallest step a share moves in: whole rubles for money, whole deals.
    pub fn unit(self) -> i64 {
        if self.is_money() { 100 } else { 1 }
    }
}

/// How a department plan is split onto the managers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitMethod {
    /// In proportion to each manager's working capacity (days × load).
    #[default]
    Equal,
    /// In proportion to each manager's results over the last periods, times capacity.
    History,
    /// As the head typed it.
    Manual,
}

impl SplitMethod {
    pub const ALL: [SplitMethod; 3] = [SplitMethod::Equal, SplitMethod::History, SplitMethod::Manual];

    pub fn as_str(self) -> &'static str {
        match self {
            SplitMethod::Equal => "equal",
            SplitMethod::History => "history",
            SplitMethod::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<SplitMethod> {
        SplitMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The period a plan is set for: one month, or a quarter that splits into its months.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlanPeriod {
    Month(Month),
    Quarter { year: i32, quarter: u32 },
}

impl PlanPeriod {
    pub fn quarter_of(month: Month) -> PlanPeriod {
        PlanPeriod::Quarter { year: month.year(), quarter: (month.number() - 1) / 3 + 1 }
    }

    /// The months it covers, in order.
    pub fn months(self) -> Vec<Month> {
        match self {
            PlanPeriod::Month(m) => vec![m],
            PlanPeriod::Quarter { year, quarter } => {
                let first = NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1).map(Month::containing);
                first.map(|m| vec![m, m.next(), m.next().next()]).unwrap_or_default()
            }
        }
    }

    /// `2026-11` or `2026-Q4`.
    pub fn key(self) -> String {
        match self {
            PlanPeriod::Month(m) => m.key(),
            PlanPeriod::Quarter { year, quarter } => format!("{year:04}-Q{quarter}"),
        }
    }

    pub fn parse_key(key: &str) -> Option<PlanPeriod> {
        let key = key.trim();
        if let Some((year, q)) = key.split_once("-Q") {
            let (year, quarter) = (year.parse().ok()?, q.parse().ok()?);
            return ((1..=4).contains(&quarter) && (1900..=9999).contains(&year)).then_some(PlanPeriod::Quarter { year, quarter });
        }
        Month::parse_key(key).map(PlanPeriod::Month)
    }
}

/// Splits `total` in proportion to `weights` by the largest-remainder method: each part
/// gets its whole quota, then the units left over go one each to the largest remainders
/// (earlier parts first on a tie). The parts always add up to `total`. When every weight
/// is zero the weights count as equal.
pub fn split(total: i64, weights: &[u64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let equal;
    let weights = if weights.iter().all(|w| *w == 0) {
        equal = vec![1u64; weights.len()];
        &equal[..]
    } else {
        weights
    };
    let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    let magnitude = u128::from(total.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = magnitude * u128::from(*w);
        parts.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let mut left = magnitude - parts.iter().sum::<u128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    let sign = if total < 0 { -1 } else { 1 };
    parts.into_iter().map(|p| sign * i64::try_from(p).expect("a part is no bigger than the total")).collect()
}

/// [`split`] in whole `unit`s (rubles of a kopeck total): every part is a multiple of
/// `unit` except that the biggest-weighted part also takes `total`'s odd remainder, so
/// the parts still add up to `total` exactly.
pub fn split_in(total: i64, weights: &[u64], unit: i64) -> Vec<i64> {
    let unit = unit.max(1);
    let mut parts: Vec<i64> = split(total.div_euclid(unit), weights).into_iter().map(|p| p * unit).collect();
    if let Some(biggest) = (0..weights.len()).max_by_key(|i| (weights[*i], std::cmp::Reverse(*i))) {
        parts[biggest] += total.rem_euclid(unit);
    }
    parts
}

/// What a manager can give a period: their working days in it (from the day they start)
/// times their load in percent (100 = full time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capacity {
    pub days: u32,
    pub load_percent: u32,
}

impl Capacity {
    pub fn weight(self) -> u64 {
        u64::from(self.days) * u64::from(self.load_percent)
    }
}

/// The weights of a split: capacity for [`SplitMethod::Equal`], past results times
/// capacity for [`SplitMethod::History`] (falling back to capacity when nobody has any
/// results). `history` is aligned with `capacity`; negative results count as none.
pub fn split_weights(method: SplitMethod, capacity: &[Capacity], history: &[i64]) -> Vec<u64> {
    let by_capacity: Vec<u64> = capacity.iter().map(|c| c.weight()).collect();
    match method {
        SplitMethod::Equal | SplitMethod::Manual => by_capacity,
        SplitMethod::History => {
            let weighted: Vec<u64> = by_capacity
                .iter()
                .zip(history.iter().chain(std::iter::repeat(&0)))
                .map(|(c, h)| c.saturating_mul(u64::try_from(*h).unwrap_or(0)))
                .collect();
            if weighted.iter().all(|w| *w == 0) { by_capacity } else { weighted }
        }
    }
}

/// How many months back a split by results may look.
pub const HISTORY_MONTHS: RangeInclusive<u32> = 1..=12;

/// A manager's load: from a sliver of full time to full time, in percent.
pub const LOAD_PERCENT: RangeInclusive<u32> = 1..=100;

/// How much of a month a manager works: their load in percent of full time, and their
/// first working day when they start later than the month (`None`: they already work).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub load_percent: u32,
    pub works_from: Option<NaiveDate>,
}

impl Availability {
    /// Their capacity in `month`: its working days from the day they start, at their load.
    fn capacity_in(self, calendar: &WorkCalendar, month: Month) -> Capacity {
        Capacity { days: calendar.working_days(start_in(self.works_from, month), month.next_first_day()), load_percent: self.load_percent }
    }
}

/// The first day of `month` counted for someone working from `works_from`: the month's
/// first day, or theirs if it is later (even past the month's end, which leaves them
/// no days in it).
fn start_in(works_from: Option<NaiveDate>, month: Month) -> NaiveDate {
    works_from.map_or(month.first_day(), |d| d.max(month.first_day()))
}

/// A month's plan split onto the managers by `method`, in steps of `unit`: their
/// shares, aligned with `members` and `history` (their past results), adding up to
/// `target`. Each weighs by their working days in the month from their start, times
/// their load.
pub fn split_month(
    target: i64,
    unit: i64,
    method: SplitMethod,
    calendar: &WorkCalendar,
    month: Month,
    members: &[Availability],
    history: &[i64],
) -> Vec<i64> {
    let capacity: Vec<Capacity> = members.iter().map(|m| m.capacity_in(calendar, month)).collect();
    split_in(target, &split_weights(method, &capacity, history), unit)
}

/// A period's plan split into its months in proportion to their working days, in steps
/// of `unit`; in month order, adding up to `target`.
fn split_period(target: i64, unit: i64, period: PlanPeriod, calendar: &WorkCalendar) -> Vec<(Month, i64)> {
    let months = period.months();
    let days: Vec<u64> = months.iter().map(|m| u64::from(calendar.working_days(m.first_day(), m.next_first_day()))).collect();
    months.into_iter().zip(split_in(target, &days, unit)).collect()
}

/// One month of a plan as the head sets it: the month's target and the managers' shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthSplit {
    pub month: Month,
    pub target: i64,
    /// Aligned with the members the plan was split onto.
    pub shares: Vec<i64>,
}

/// The head's plan for `period`, decomposed: into its months by working days
/// ([`split_period`]), each month onto `members` by `method` ([`split_month`]).
pub fn split_plan(
    target: i64,
    unit: i64,
    method: SplitMethod,
    period: PlanPeriod,
    calendar: &WorkCalendar,
    members: &[Availability],
    history: &[i64],
) -> Vec<MonthSplit> {
    split_period(target, unit, period, calendar)
        .into_iter()
        .map(|(month, target)| MonthSplit { month, target, shares: split_month(target, unit, method, calendar, month, members, history) })
        .collect()
}

/// The months a split by results looks back on: the `history_months` before `first`
/// (the plan's first month), as `[from, to)`.
pub fn history_window(first: Month, history_months: u32) -> (Month, Month) {
    ((0..history_months).fold(first, |m, _| m.previous()), first)
}

/// What one manager brought in in one month, in a plan's metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fact {
    pub user: UserId,
    pub month: Month,
    pub value: i64,
}

/// What `user` (the whole department: `None`) brought in in `month`.
pub fn fact_in(facts: &[Fact], user: Option<UserId>, month: Month) -> i64 {
    total(
        facts.iter().filter(|f| f.month == month && user.is_none_or(|u| f.user == u)).map(|f| f.value),
    )
}

/// Each member's results over all of `facts` (a history window), aligned with `members`.
pub fn results(facts: &[Fact], members: impl IntoIterator<Item = UserId>) -> Vec<i64> {
    members.into_iter().map(|u| total(facts.iter().filter(|f| f.user == u).map(|f| f.value))).collect()
}

/// When the head changes one manager's share: whether the others absorb the difference
/// (the department plan stays) or the department plan moves by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditMode {
    SpreadOverOthers,
    ChangeTotal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareError {
    /// A share below zero.
    Negative,
    /// Spreading over the others would need more than the whole plan.
    AbovePlan,
    /// Nobody else to spread the difference over.
    NoOthers,
}

/// The shares after setting `shares[index]` to `value`. Spreading keeps the total and
/// splits what remains over the others in proportion to their current shares, in
/// steps of `unit`.
pub fn edit_share(shares: &[i64], index: usize, value: i64, mode: EditMode, unit: i64) -> Result<Vec<i64>, ShareError> {
    if value < 0 {
        return Err(ShareError::Negative);
    }
    let mut out = shares.to_vec();
    match mode {
        EditMode::ChangeTotal => {
            out[index] = value;
        }
        EditMode::SpreadOverOthers => {
            let total = total(shares.iter().copied());
            if value > total {
                return Err(ShareError::AbovePlan);
            }
            let others: Vec<usize> = (0..shares.len()).filter(|i| *i != index).collect();
            if others.is_empty() {
                return if value == total { Ok(out) } else { Err(ShareError::NoOthers) };
            }
            let weights: Vec<u64> = others.iter().map(|i| u64::try_from(shares[*i]).unwrap_or(0)).collect();
            for (i, part) in others.iter().zip(split_in(total - value, &weights, unit)) {
                out[*i] = part;
            }
            out[index] = value;
        }
    }
    Ok(out)
}

/// Where one manager stands in the middle of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub share: i64,
    pub fact: i64,
    /// Working days they still have in the period, today included.
    pub days_left: u32,
}

/// A new split for the rest of the period: each manager keeps what they have already
/// brought, and what the department still lacks is divided in proportion to their
/// shares times the days they have left, in steps of `unit`. The new shares add up to
/// `plan`. `None` when the department has already made its plan or nobody has days left.
pub fn rebalance(plan: i64, standings: &[Standing], unit: i64) -> Option<Vec<i64>> {
    let done = total(standings.iter().map(|s| s.fact.max(0)));
    let gap = plan.saturating_sub(done);
    if gap <= 0 {
        return None;
    }
    let weights: Vec<u64> =
        standings.iter().map(|s| u64::try_from(s.share.max(0)).unwrap_or(0).saturating_mul(u64::from(s.days_left))).collect();
    if weights.iter().all(|w| *w == 0) {
        return None;
    }
    Some(standings.iter().zip(split_in(gap, &weights, unit)).map(|(s, part)| s.fact.max(0).saturating_add(part)).collect())
}

/// Whether the head is offered a new split of `month` on `today`: it is the month under
/// way, the department (at `department` pace) is behind or close behind the line, and
/// the head has not set the offer aside today.
pub fn offers_rebalance(month: Month, department: &Pace, dismissed_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    let behind = matches!(department.status, PaceStatus::Behind | PaceStatus::Close);
    month.contains(today) && behind && dismissed_on.is_none_or(|d| d < today)
}

/// One manager's line in a rebalancing proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposed {
    /// The new share.
    pub share: i64,
    /// What the new share needs per working day they have left ([`per_day`]).
    pub per_day: i64,
}

/// The proposal to [`rebalance`] a department's `plan` over its managers, each at the
/// pace to their current share (their [`Pace::standing`]). Aligned with `paces`.
pub fn propose(plan: i64, paces: &[Pace], unit: i64) -> Option<Vec<Proposed>> {
    let standings: Vec<Standing> = paces.iter().map(Pace::standing).collect();
    let shares = rebalance(plan, &standings, unit)?;
    Some(standings.iter().zip(shares).map(|(s, share)| Proposed { share, per_day: per_day(share - s.fact, s.days_left) }).collect())
}

/// How the fact compares with where it should be by now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaceStatus {
    /// The plan is made.
    Done,
    /// At or above the expected line.
    OnTrack,
    /// Below it, by at most a tenth.
    Close,
    /// More than a tenth below.
    Behind,
}

/// Pace to a plan over working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pace {
    pub plan: i64,
    pub fact: i64,
    /// Where the fact should be by the start of today: the plan spread evenly over the
    /// working days.
    pub expected: i64,
    /// What is still missing to the plan (never below zero).
    pub gap: i64,
    /// The gap divided over the working days left, today included (rounded up).
    pub per_day: i64,
    /// The fact extrapolated at the pace of the days worked so far.
    pub forecast: i64,
    pub days_total: u32,
    pub days_done: u32,
    pub days_left: u32,
    pub status: PaceStatus,
}

/// The pace to `plan` with `fact` so far, over the working days of `[from, to)`, as of
/// the start of `today`. A period that ends before it starts (someone who starts work
/// after the month) has no working days.
pub fn pace(plan: i64, fact: i64, calendar: &WorkCalendar, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Pace {
    let to = to.max(from);
    let days_total = calendar.working_days(from, to);
    let days_done = calendar.working_days(from, today.clamp(from, to));
    let days_left = days_total - days_done;
    // With no working days at all, nothing is left to spread the plan over.
    let expected = if days_total == 0 {
        plan
    } else {
        mul_div(plan, i64::from(days_done), i64::from(days_total))
    };
    let gap = (plan - fact).max(0);
    let per_day = per_day(gap, days_left);
    let forecast = if days_done == 0 { fact } else { mul_div(fact, i64::from(days_total), i64::from(days_done)) };
    let status = if fact >= plan {
        PaceStatus::Done
    } else if fact >= expected {
        PaceStatus::OnTrack
    } else if i128::from(fact) * 10 >= i128::from(expected) * 9 {
        PaceStatus::Close
    } else {
        PaceStatus::Behind
    };
    Pace { plan, fact, expected, gap, per_day, forecast, days_total, days_done, days_left, status }
}

impl Pace {
    /// How much of the plan is done, in whole percent (more than 100 when beaten);
    /// 100 for a plan of nothing.
    pub fn percent(&self) -> i64 {
        attainment(self.fact, self.plan)
    }

    /// Where someone on this pace stands, for [`rebalance`].
    fn standing(&self) -> Standing {
        Standing { share: self.plan, fact: self.fact, days_left: self.days_left }
    }
}

/// The pace to `plan` in `month` for someone working from `works_from` (`None`: the
/// whole month, as for the department), as of the start of `today`.
pub fn month_pace(plan: i64, fact: i64, calendar: &WorkCalendar, month: Month, works_from: Option<NaiveDate>, today: NaiveDate) -> Pace {
    pace(plan, fact, calendar, start_in(works_from, month), month.next_first_day(), today)
}

/// What must come in per working day to close `gap` (not negative) in `days_left`
/// working days, today included, rounded up; the whole gap when no day is left.
fn per_day(gap: i64, days_left: u32) -> i64 {
    if days_left == 0 { gap } else {
        gap.saturating_add(i64::from(days_left) - 1) / i64::from(days_left)
    }
}

/// `fact` as whole percent of `plan` (more than 100 when beaten), without overflowing
/// whatever the figures; 100 for a plan of nothing.
pub fn attainment(fact: i64, plan: i64) -> i64 {
    if plan <= 0 {
        100
    } else {
        mul_div(fact, 100, plan) }
}

/// `a * b / c`, rounded down, without overflowing.
fn mul_div(a: i64, b: i64, c: i64) -> i64 {
    i64::try_from(i128::from(a) * i128::from(b) / i128::from(c)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{DayKind, russian_holidays};
    use proptest::prelude::*;

    #[test]
    fn attainment_is_whole_percent_and_survives_the_64_bit_edge() {
        assert_eq!(attainment(45, 100), 45);
        assert_eq!(attainment(150, 100), 150);
        assert_eq!(attainment(7, 0), 100);
        assert_eq!(attainment(i64::MAX, i64::MAX), 100);
        assert_eq!(
            attainment(i64::MAX / 100, 1),
            i64::MAX / 100 * 100,
            "exact while the answer fits"
        );
        assert_eq!(
            attainment(i64::MAX, 1),
            i64::MAX,
            "saturates rather than wrapping"
        );
        assert_eq!(per_day(i64::MAX, 3), i64::MAX / 3);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn largest_remainder_gives_the_odd_kopecks_to_the_biggest_fractions() {
        assert_eq!(split(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(split(10, &[5, 3, 2]), vec![5, 3, 2]);
        assert_eq!(split(7, &[0, 0]), vec![4, 3], "all zero counts as equal");
        assert_eq!(split(1_000_000_00, &[2, 1]), vec![66_666_667, 33_333_333]);
        assert_eq!(split(5, &[]), Vec::<i64>::new());
        assert_eq!(split(-10, &[1, 2]), vec![-3, -7]);
    }

    #[test]
    fn a_quarter_splits_into_its_months_and_periods_have_keys() {
        let q = PlanPeriod::parse_key("2026-Q4").unwrap();
        assert_eq!(q.months().iter().map(|m| m.key()).collect::<Vec<_>>(), ["2026-10", "2026-11", "2026-12"]);
        assert_eq!(q.key(), "2026-Q4");
        assert_eq!(PlanPeriod::quarter_of(Month::containing(d(2026, 2, 10))).key(), "2026-Q1");
        assert_eq!(PlanPeriod::parse_key("2026-11"), Some(PlanPeriod::Month(Month::containing(d(2026, 11, 1)))));
        for bad in ["2026-Q5", "2026-Q0", "Q4", "", "2026"] {
            assert_eq!(PlanPeriod::parse_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_manager_who_starts_mid_month_or_part_time_gets_a_smaller_share() {
        let capacity = [
            Capacity { days: 20, load_percent: 100 },
            Capacity { days: 10, load_percent: 100 },
            Capacity { days: 20, load_percent: 50 },
        ];
        let shares = split(200_000, &split_weights(SplitMethod::Equal, &capacity, &[]));
        assert_eq!(shares, vec![100_000, 50_000, 50_000]);
        // By history: twice the results, twice the share (at equal capacity).
        let full = [Capacity { days: 20, load_percent: 100 }; 2];
        assert_eq!(split(90, &split_weights(SplitMethod::History, &full, &[200, 100])), vec![60, 30]);
        // Nobody has a history yet: capacity decides.
        assert_eq!(split(90, &split_weights(SplitMethod::History, &full, &[0, -5])), vec![45, 45]);
    }

    #[test]
    fn editing_a_share_spreads_the_difference_or_moves_the_total() {
        let shares = [100, 100, 200];
        assert_eq!(edit_share(&shares, 0, 200, EditMode::SpreadOverOthers, 1), Ok(vec![200, 67, 133]));
        assert_eq!(edit_share(&shares, 0, 200, EditMode::ChangeTotal, 1), Ok(vec![200, 100, 200]));
        assert_eq!(edit_share(&shares, 0, 401, EditMode::SpreadOverOthers, 1), Err(ShareError::AbovePlan));
        assert_eq!(edit_share(&shares, 0, -1, EditMode::ChangeTotal, 1), Err(ShareError::Negative));
        assert_eq!(edit_share(&[50], 0, 40, EditMode::SpreadOverOthers, 1), Err(ShareError::NoOthers));
    }

    #[test]
    fn pace_in_november_2026() {
        // 20 working days (4 November is a holiday). On Tuesday 17 November, 10 are done.
        let cal = WorkCalendar::new(russian_holidays(2026).into_iter().map(|(d, k, _)| (d, k)));
        let p = pace(2_000_000, 800_000, &cal, d(2026, 11, 1), d(2026, 12, 1), d(2026, 11, 17));
        assert_eq!((p.days_total, p.days_done, p.days_left), (20, 10, 10));
        assert_eq!(p.expected, 1_000_000);
        assert_eq!(p.gap, 1_200_000);
        assert_eq!(p.per_day, 120_000);
        assert_eq!(p.forecast, 1_600_000);
        assert_eq!(p.status, PaceStatus::Behind);
        // 900 000 is within a tenth of the line; a million is on it; two is done.
        assert_eq!(pace(2_000_000, 900_000, &cal, d(2026, 11, 1), d(2026, 12, 1), d(2026, 11, 17)).status, PaceStatus::Close);
        assert_eq!(pace(2_000_000, 1_000_000, &cal, d(2026, 11, 1), d(2026, 12, 1), d(2026, 11, 17)).status, PaceStatus::OnTrack);
        assert_eq!(pace(2_000_000, 2_000_000, &cal, d(2026, 11, 1), d(2026, 12, 1), d(2026, 11, 17)).status, PaceStatus::Done);
        // A working Saturday adds a day to do it in.
        let with_saturday = WorkCalendar::new([(d(2026, 11, 21), DayKind::Workday)]);
        assert_eq!(pace(100, 0, &with_saturday, d(2026, 11, 16), d(2026, 11, 23), d(2026, 11, 16)).days_left, 6);
        // The period is over: everything missing is due "today".
        let after = pace(2_000_000, 800_000, &cal, d(2026, 11, 1), d(2026, 12, 1), d(2026, 12, 5));
        assert_eq!((after.days_left, after.per_day, after.expected), (0, 1_200_000, 2_000_000));
    }

    #[test]
    fn someone_who_starts_after_the_month_has_no_days_in_it_and_pace_does_not_fail() {
        // Their share stays on the plan, but their first day is past its end.
        let cal = WorkCalendar::default();
        let p = pace(1000, 100, &cal, d(2026, 12, 7), d(2026, 12, 1), d(2026, 11, 17));
        assert_eq!((p.days_total, p.days_done, p.days_left), (0, 0, 0));
        assert_eq!((p.expected, p.gap, p.per_day, p.forecast), (1000, 900, 900, 100));
        assert_eq!(p.status, PaceStatus::Behind);
    }

    #[test]
    fn rebalancing_keeps_the_plan_and_what_each_has_brought() {
        let s = [
            Standing { share: 500, fact: 400, days_left: 10 },
            Standing { share: 500, fact: 100, days_left: 10 },
        ];
        // 500 missing, split evenly: the one ahead carries more of the total.
        assert_eq!(rebalance(1000, &s, 1), Some(vec![650, 350]));
        assert_eq!(rebalance(500, &s, 1), None, "the plan is already made");
        let gone = [Standing { share: 500, fact: 100, days_left: 0 }, Standing { share: 500, fact: 100, days_left: 5 }];
        assert_eq!(rebalance(1000, &gone, 1), Some(vec![100, 900]), "nobody is planned past their last day");
    }

    fn russia() -> WorkCalendar {
        WorkCalendar::new(russian_holidays(2026).into_iter().map(|(d, k, _)| (d, k)))
    }

    fn month(y: i32, m: u32) -> Month {
        Month::containing(d(y, m, 1))
    }

    #[test]
    fn a_quarter_plan_goes_to_its_months_by_working_days_then_onto_the_managers() {
        // Q4 2026 has 22, 20 and 22 working days; a half-timer weighs half a full-timer.
        let q4 = PlanPeriod::Quarter { year: 2026, quarter: 4 };
        let full = Availability { load_percent: 100, works_from: None };
        let half = Availability { load_percent: 50, works_from: None };
        let splits = split_plan(6_400_000, 100, SplitMethod::Equal, q4, &russia(), &[full, half], &[]);
        let months: Vec<(String, i64, Vec<i64>)> = splits.into_iter().map(|s| (s.month.key(), s.target, s.shares)).collect();
        assert_eq!(
            months,
            [
                ("2026-10".to_string(), 2_200_000, vec![1_466_700, 733_300]),
                ("2026-11".to_string(), 2_000_000, vec![1_333_300, 666_700]),
                ("2026-12".to_string(), 2_200_000, vec![1_466_700, 733_300]),
            ]
        );
        // A month's plan is the month's whole target.
        let november = split_plan(2_000_050, 100, SplitMethod::Equal, PlanPeriod::Month(month(2026, 11)), &russia(), &[full, full], &[]);
        assert_eq!((november.len(), november[0].target, november[0].shares.clone()), (1, 2_000_050, vec![1_000_050, 1_000_000]));
    }

    #[test]
    fn a_late_starter_counts_only_the_working_days_from_their_first() {
        let nov = month(2026, 11);
        // Monday 16 November to the end of the month: 11 working days of 20.
        let late = Availability { load_percent: 100, works_from: Some(d(2026, 11, 16)) };
        assert_eq!(late.capacity_in(&russia(), nov), Capacity { days: 11, load_percent: 100 });
        let earlier = Availability { load_percent: 50, works_from: Some(d(2026, 10, 5)) };
        assert_eq!(earlier.capacity_in(&russia(), nov), Capacity { days: 20, load_percent: 50 });
        assert_eq!(start_in(Some(d(2026, 10, 5)), nov), d(2026, 11, 1));
        assert_eq!(start_in(None, nov), d(2026, 11, 1));
        let next_month = Availability { load_percent: 100, works_from: Some(d(2026, 12, 7)) };
        assert_eq!(next_month.capacity_in(&russia(), nov).days, 0);
    }

    #[test]
    fn a_split_by_results_looks_at_the_months_just_before_the_plan() {
        let (from, to) = history_window(month(2026, 2), 3);
        assert_eq!((from, to), (month(2025, 11), month(2026, 2)));
        let (from, to) = history_window(month(2026, 10), 1);
        assert_eq!((from, to), (month(2026, 9), month(2026, 10)));
    }

    #[test]
    fn facts_add_up_per_manager_and_per_month() {
        let (anna, boris, gone) = (UserId::new(), UserId::new(), UserId::new());
        let (oct, nov) = (month(2026, 10), month(2026, 11));
        let fact = |user, month, value| Fact { user, month, value };
        let facts = [fact(anna, oct, 100), fact(anna, nov, 30), fact(boris, nov, 50), fact(gone, nov, 7)];
        assert_eq!(fact_in(&facts, None, nov), 87, "the department counts everyone who brought something in");
        assert_eq!(fact_in(&facts, Some(anna), nov), 30);
        assert_eq!(fact_in(&facts, Some(boris), oct), 0);
        assert_eq!(results(&facts, [boris, anna]), vec![50, 130]);
    }

    #[test]
    fn the_daily_amount_rounds_up_and_is_the_whole_gap_when_no_day_is_left() {
        assert_eq!(per_day(1_200_000, 10), 120_000);
        assert_eq!(per_day(1_000_001, 10), 100_001);
        assert_eq!(per_day(0, 10), 0);
        assert_eq!(per_day(500, 0), 500);
    }

    #[test]
    fn a_rebalance_is_offered_in_the_month_under_way_when_behind_unless_set_aside_today() {
        let (nov, today) = (month(2026, 11), d(2026, 11, 17));
        let at = |fact| month_pace(2_000_000, fact, &russia(), nov, None, today);
        assert!(offers_rebalance(nov, &at(800_000), None, today), "behind");
        assert!(offers_rebalance(nov, &at(900_000), None, today), "close behind");
        assert!(!offers_rebalance(nov, &at(1_000_000), None, today), "on track");
        assert!(!offers_rebalance(nov, &at(800_000), Some(today), today), "set aside today");
        assert!(offers_rebalance(nov, &at(800_000), Some(d(2026, 11, 16)), today), "set aside yesterday");
        assert!(!offers_rebalance(month(2026, 10), &at(800_000), None, today), "a past month");
    }

    #[test]
    fn a_proposal_asks_each_manager_for_the_rest_of_their_new_share_per_day_left() {
        // On Tuesday 17 November Anna has 10 working days left; Boris starts on
        // Tuesday 24th and has 5. The 500 missing go 2:1 by share times days.
        let (nov, today) = (month(2026, 11), d(2026, 11, 17));
        let anna = month_pace(500, 400, &russia(), nov, None, today);
        let boris = month_pace(500, 100, &russia(), nov, Some(d(2026, 11, 24)), today);
        assert_eq!((anna.days_left, boris.days_left), (10, 5));
        assert_eq!(
            propose(1000, &[anna, boris], 1),
            Some(vec![Proposed { share: 733, per_day: 34 }, Proposed { share: 267, per_day: 34 }])
        );
        assert_eq!(propose(500, &[anna, boris], 1), None, "the plan is already made");
    }

    fn calendar() -> impl Strategy<Value = WorkCalendar> {
        proptest::collection::vec((0i64..120, any::<bool>()), 0..15).prop_map(|marks| {
            WorkCalendar::new(marks.into_iter().map(|(o, h)| {
                (d(2026, 1, 1) + chrono::Duration::days(o), if h { DayKind::Holiday } else { DayKind::Workday })
            }))
        })
    }

    proptest! {
        #[test]
        fn a_split_always_adds_up_and_stays_within_one_unit_of_its_quota(
            total in 0i64..10_000_000_000_000,
            weights in proptest::collection::vec(0u64..1_000_000, 1..60),
        ) {
            let parts = split(total, &weights);
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            let sum: u128 = weights.iter().map(|w| u128::from(*w)).sum();
            for (p, w) in parts.iter().zip(&weights) {
                prop_assert!(*p >= 0);
                if sum > 0 {
                    let quota = u128::from(total as u64) * u128::from(*w);
                    let floor = quota / sum;
                    prop_assert!(*p as u128 == floor || *p as u128 == floor + 1, "part {} quota {}/{}", p, quota, sum);
                }
            }
        }

        #[test]
        fn a_split_in_rubles_is_whole_rubles_and_still_exact(
            total in 0i64..10_000_000_000_000,
            weights in proptest::collection::vec(0u64..1_000_000, 1..60),
        ) {
            let parts = split_in(total, &weights, 100);
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            prop_assert!(parts.iter().filter(|p| *p % 100 != 0).count() <= 1);
            if total % 100 == 0 {
                prop_assert!(parts.iter().all(|p| p % 100 == 0));
            }
        }

        #[test]
        fn spreading_an_edited_share_never_changes_the_department_plan(
            shares in proptest::collection::vec(0i64..1_000_000_000, 2..30),
            pick in any::<prop::sample::Index>(),
            fraction in 0u32..=100,
        ) {
            let total: i64 = shares.iter().sum();
            let index = pick.index(shares.len());
            let value = total * i64::from(fraction) / 100;
            let edited = edit_share(&shares, index, value, EditMode::SpreadOverOthers, 1).unwrap();
            prop_assert_eq!(edited.iter().sum::<i64>(), total);
            prop_assert_eq!(edited[index], value);
            prop_assert!(edited.iter().all(|s| *s >= 0));
            let changed = edit_share(&shares, index, value, EditMode::ChangeTotal, 1).unwrap();
            prop_assert_eq!(changed.iter().sum::<i64>(), total - shares[index] + value);
        }

        #[test]
        fn rebalancing_never_changes_the_department_total(
            plan in 0i64..1_000_000_000_000,
            standings in proptest::collection::vec((0i64..100_000_000_000, 0i64..50_000_000_000, 0u32..23), 1..40),
        ) {
            let standings: Vec<Standing> = standings.into_iter().map(|(share, fact, days_left)| Standing { share, fact, days_left }).collect();
            if let Some(shares) = rebalance(plan, &standings, 1) {
                prop_assert_eq!(shares.iter().sum::<i64>(), plan);
                for (new, s) in shares.iter().zip(&standings) {
                    prop_assert!(*new >= s.fact, "nobody is asked for less than they have brought");
                    if s.days_left == 0 {
                        prop_assert_eq!(*new, s.fact);
                    }
                }
            } else {
                let done: i64 = standings.iter().map(|s| s.fact).sum();
                prop_assert!(done >= plan || standings.iter().all(|s| s.share == 0 || s.days_left == 0));
            }
        }

        #[test]
        fn pace_adds_up_over_any_calendar(
            cal in calendar(),
            start in 0i64..60,
            len in 1i64..60,
            at in -5i64..70,
            plan in 0i64..1_000_000_000_000,
            fact in 0i64..1_000_000_000_000,
        ) {
            let from = d(2026, 1, 1) + chrono::Duration::days(start);
            let to = from + chrono::Duration::days(len);
            let today = from + chrono::Duration::days(at);
            let p = pace(plan, fact, &cal, from, to, today);
            prop_assert_eq!(p.days_done + p.days_left, p.days_total);
            prop_assert_eq!(p.days_total, cal.working_days(from, to));
            prop_assert!(p.expected >= 0 && p.expected <= plan);
            prop_assert_eq!(p.gap, (plan - fact).max(0));
            // The daily amount, worked every day left, closes the gap, and a kopeck less would not.
            let left = i64::from(p.days_left.max(1));
            prop_assert!(p.per_day * left >= p.gap);
            prop_assert!(p.per_day == 0 || (p.per_day - 1) * left < p.gap);
            prop_assert_eq!(p.status == PaceStatus::Done, fact >= plan);
            if p.days_left == 0 {
                prop_assert_eq!(p.expected, plan);
            }
        }

        #[test]
        fn a_plan_splits_exactly_into_its_months_and_each_month_onto_its_managers(
            cal in calendar(),
            target in 0i64..10_000_000_000_000,
            money in any::<bool>(),
            method in prop::sample::select(SplitMethod::ALL.to_vec()),
            quarter in any::<bool>(),
            members in proptest::collection::vec((1u32..=100, proptest::option::of(0i64..90), 0i64..1_000_000), 1..20),
        ) {
            let unit = if money { 100 } else { 1 };
            let period = if quarter { PlanPeriod::Quarter { year: 2026, quarter: 1 } } else { PlanPeriod::Month(month(2026, 2)) };
            let availability: Vec<Availability> = members
                .iter()
                .map(|(load_percent, from, _)| Availability { load_percent: *load_percent, works_from: from.map(|o| d(2026, 1, 1) + chrono::Duration::days(o)) })
                .collect();
            let history: Vec<i64> = members.iter().map(|m| m.2).collect();
            let splits = split_plan(target, unit, method, period, &cal, &availability, &history);
            prop_assert_eq!(splits.iter().map(|s| s.month).collect::<Vec<_>>(), period.months());
            prop_assert_eq!(splits.iter().map(|s| s.target).sum::<i64>(), target);
            for s in &splits {
                prop_assert_eq!(s.shares.len(), members.len());
                prop_assert_eq!(s.shares.iter().sum::<i64>(), s.target);
                prop_assert!(s.shares.iter().all(|x| *x >= 0));
            }
        }

        #[test]
        fn a_pace_counts_the_days_left_from_today_or_the_start_whichever_is_later(
            cal in calendar(),
            number in 1u32..=3,
            from in proptest::option::of(0i64..90),
            at in -10i64..110,
        ) {
            let m = month(2026, number);
            let works_from = from.map(|o| d(2026, 1, 1) + chrono::Duration::days(o));
            let today = d(2026, 1, 1) + chrono::Duration::days(at);
            let p = month_pace(100, 0, &cal, m, works_from, today);
            prop_assert_eq!(p.days_left, cal.working_days(today.max(start_in(works_from, m)), m.next_first_day()));
            prop_assert_eq!(p.standing(), Standing { share: 100, fact: 0, days_left: p.days_left });
        }

        #[test]
        fn a_proposal_keeps_the_plan_and_its_daily_amounts_cover_what_is_left(
            cal in calendar(),
            at in 0i64..90,
            plan in 0i64..1_000_000_000_000,
            money in any::<bool>(),
            managers in proptest::collection::vec((0i64..100_000_000_000, -1_000i64..50_000_000_000, proptest::option::of(0i64..90)), 1..30),
        ) {
            let unit = if money { 100 } else { 1 };
            let today = d(2026, 1, 1) + chrono::Duration::days(at);
            let m = Month::containing(today);
            let pace_of = |share: i64, fact: i64, from: Option<i64>| {
                month_pace(share, fact, &cal, m, from.map(|o| d(2026, 1, 1) + chrono::Duration::days(o)), today)
            };
            let paces: Vec<Pace> = managers.iter().map(|(share, fact, from)| pace_of(*share, *fact, *from)).collect();
            if let Some(lines) = propose(plan, &paces, unit) {
                prop_assert_eq!(lines.len(), paces.len());
                prop_assert_eq!(lines.iter().map(|l| l.share).sum::<i64>(), plan);
                for ((line, p), (_, fact, from)) in lines.iter().zip(&paces).zip(&managers) {
                    let left = line.share - p.fact;
                    let days = i64::from(p.days_left.max(1));
                    prop_assert!(left >= 0);
                    prop_assert!(line.per_day * days >= left, "the daily amount closes the new share");
                    prop_assert!(line.per_day == 0 || (line.per_day - 1) * days < left, "and no less would");
                    // One formula: the proposal asks what the pace to the new share would.
                    prop_assert_eq!(line.per_day, pace_of(line.share, *fact, *from).per_day);
                }
            }
        }
    }
}
