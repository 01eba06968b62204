use leptos::prelude::*;

use crate::domain::Money;
use crate::model::home::MonthTotal;
use crate::i18n::month_short;
use crate::use_locale;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
const BASELINE: f64 = 124.0;
const TOP: f64 = 22.0;

/// Bars of money per month, drawn as SVG so it shows before any WASM loads.
#[component]
pub fn BarChart(data: Vec<MonthTotal>, title: &'static str) -> impl IntoView {
    let locale = use_locale();
    let max = data.iter().map(|t| t.amount.kopecks()).max().unwrap_or(0).max(1);
    let slot = WIDTH / data.len().max(1) as f64;
    let bar_width = (slot * 0.56).min(56.0);
    let bars = data
        .into_iter()
        .enumerate()
        .map(|(i, MonthTotal { month, amount })| {
            let h = (BASELINE - TOP) * amount.kopecks() as f64 / max as f64;
            let x = slot * i as f64 + (slot - bar_width) / 2.0;
            let center = slot * i as f64 + slot / 2.0;
            let label = compact(amount, locale);
            view! {
                <g>
                    <rect class="bar" x=x y=BASELINE - h width=bar_width height=h.max(1.0) rx="4"></rect>
                    <text class="bar-value" x=center y={BASELINE - h - 6.0} text-anchor="middle">{label}</text>
                    <text class="bar-label" x=center y=HEIGHT - 8.0 text-anchor="middle">{month_short(locale, month.number())}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title>
                <line class="axis" x1="0" x2=WIDTH y1=BASELINE y2=BASELINE></line>
                {bars}
            </svg>
        </figure>
    }
}

/// One step of a conversion funnel as the chart draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelBar {
    pub label: String,
    pub reached: u64,
    pub percent_of_previous: Option<u8>,
}

const FUNNEL_WIDTH: f64 = 320.0;
const FUNNEL_ROW: f64 = 30.0;

/// Conversion by stage as horizontal bars, widest first, each with how many deals got
/// that far and the share of the step before. SVG, so it shows before any WASM loads.
#[component]
pub fn FunnelChart(steps: Vec<FunnelBar>, title: String) -> impl IntoView {
    let max = steps.iter().map(|s| s.reached).max().unwrap_or(0).max(1) as f64;
    let height = FUNNEL_ROW * steps.len() as f64;
    let rows = steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let y = FUNNEL_ROW * i as f64;
            let w = ((FUNNEL_WIDTH * 0.45) * s.reached as f64 / max).max(2.0);
            let x = (FUNNEL_WIDTH * 0.45 - w) / 2.0;
            let figure = match s.percent_of_previous {
                Some(p) => format!("{} · {p}%", s.reached),
                None => s.reached.to_string(),
            };
            view! {
                <g>
                    <rect class="bar" x=x y=y + 4.0 width=w height=FUNNEL_ROW - 8.0 rx="4"></rect>
                    <text class="bar-label funnel-label" x=FUNNEL_WIDTH * 0.48 y=y + FUNNEL_ROW / 2.0 + 1.0 dominant-baseline="middle">{s.label}</text>
                    <text class="bar-value" x=FUNNEL_WIDTH y=y + FUNNEL_ROW / 2.0 + 1.0 text-anchor="end" dominant-baseline="middle">{figure}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart funnel" data-test="funnel">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {FUNNEL_WIDTH} {height}") role="img" aria-label=title>{rows}</svg>
        </figure>
    }
}

/// "1,2 млн" / "1.2M": chart labels must stay short.
fn compact(amount: Money, locale: crate::i18n::Locale) -> String {
    use crate::i18n::Locale;
    let rubles = amount.kopecks() as f64 / 100.0;
    let (value, ru, en) = if rubles >= 1_000_000.0 {
        (rubles / 1_000_000.0, "млн", "M")
    } else if rubles >= 1_000.0 {
        (rubles / 1_000.0, "тыс", "K")
    } else {
        (rubles, "", "")
    };
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    match locale {
        Locale::Ru => format!("{} {ru}", text.replace('.', ",")).trim_end().to_string(),
        Locale::En => format!("{text}{en}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn chart_labels_are_compact_in_both_languages() {
        assert_eq!(compact(Money::from_rubles(1_250_000), Locale::Ru), "1,2 млн");
        assert_eq!(compact(Money::from_rubles(1_250_000), Locale::En), "1.2M");
        assert_eq!(compact(Money::from_rubles(45_000), Locale::Ru), "45 тыс");
        assert_eq!(compact(Money::from_rubles(700), Locale::En), "700");
    }
}
