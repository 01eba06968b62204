//! CSV export of the lists a user is looking at: the open deals (all, or one
//! manager's) and the clients found by a search. The same scope rules as the pages:
//! a manager exports only their own rows. UTF-8 with a BOM and `;`, as Russian Excel
//! opens it; the headers are ones Pacer's own import recognises.

use super::deals::DealFilter;
use super::{ApiError, Viewer};
use crate::domain::import::write_row;
use super::ssr::list_scope;
use crate::domain::Money;
use crate::i18n::{Locale, format_date};
use crate::store::Store;
use crate::store::prelude::*;

/// The most rows one export holds.
pub const EXPORT_LIMIT: i64 = 100_000;

/// A whole-ruble amount as a spreadsheet reads it: no spaces, the locale's decimal mark.
fn amount(m: Money, locale: Locale) -> String {
    let k = m.kopecks();
    let mark = if locale == Locale::Ru { ',' } else { '.' };
    if k % 100 == 0 { (k / 100).to_string() } else { format!("{}{mark}{:02}", k / 100, (k % 100).abs()) }
}

fn document(header: [&str; 7], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&write_row(&header.map(str::to_string), ';'));
    for row in rows {
        out.push_str(&write_row(&row, ';'));
    }
    out
}

/// The open deals as the deals page lists them for `viewer` under `filter`.
pub async fn deals_csv(store: &Store, viewer: &Viewer, filter: &DealFilter, locale: Locale) -> Result<String, ApiError> {
    let scope = list_scope(store, viewer, filter.manager).await?;
    let today = super::ssr::today(viewer, store.now());
    let deals = store.open_deals(scope.department, scope.owner, filter, today, EXPORT_LIMIT).await?;
    let header = match locale {
        Locale::Ru => ["Компания", "Название сделки", "Бюджет", "Этап сделки", "Ответственный", "Следующий шаг", "Срок"],
        Locale::En => ["Client", "Deal", "Amount", "Stage", "Owner", "Next step", "Due"],
    };
    Ok(document(
        header,
        deals.into_iter().map(|d| {
            vec![
                d.client,
                d.title,
                amount(d.amount, locale),
                d.stage.label(locale),
                d.owner_name,
                d.next_step,
                d.next_step_due_on.map(|x| format_date(locale, x)).unwrap_or_default(),
            ]
        }),
    ))
}

/// The clients a search for `query` finds for `viewer` (all of them when empty).
pub async fn clients_csv(store: &Store, viewer: &Viewer, query: &str, locale: Locale) -> Result<String, ApiError> {
    let scope = list_scope(store, viewer, None).await?;
    let pattern = crate::domain::client::search_pattern(query);
    let clients = store.search_clients(scope.department, scope.owner, pattern.as_deref(), EXPORT_LIMIT).await?;
    let header = match locale {
        Locale::Ru => ["Компания", "ИНН", "Контакт", "Телефон", "Ответственный", "Открытых сделок", "ID"],
        Locale::En => ["Client", "INN", "Contact", "Phone", "Owner", "Open deals", "ID"],
    };
    Ok(document(
        header,
        clients.into_iter().map(|c| {
            vec![c.name, c.inn.unwrap_or_default(), c.contact, c.phone, c.owner_name, c.open_deals.to_string(), c.id.to_string()]
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_plain_numbers_a_spreadsheet_reads() {
        assert_eq!(amount(Money::from_kopecks(125_000_000), Locale::Ru), "1250000");
        assert_eq!(amount(Money::from_kopecks(125_000_050), Locale::Ru), "1250000,50");
        assert_eq!(amount(Money::from_kopecks(125_000_005), Locale::En), "1250000.05");
    }
}
