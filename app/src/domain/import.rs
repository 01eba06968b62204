//! CSV import of clients and deals: decoding, parsing, the column-mapping guess and
//! the checks that turn a table into the clients and deals to write.
//!
//! Pure: no I/O, no SQL. The caller reads the bytes, asks the user to confirm the
//! mapping, and writes [`Prepared`] all-or-nothing, only when it has no errors.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Money;
use super::client::{ClientError, ClientInput, NewClient, fold};
use super::deal::MAX_TEXT;
use super::limits;
use super::money::MoneyError;

/// The most data rows (header not counted) one file may have.
pub const MAX_ROWS: usize = 10_000;

/// Error values longer than this many characters are cut (with "…") in [`RowError::value`].
const MAX_ERROR_VALUE: usize = 100;

// ---------------------------------------------------------------------------
// Decoding

/// The text of an uploaded file: a UTF-8 BOM is dropped; bytes that are not valid
/// UTF-8 are read as Windows-1251 (what Russian Excel, amoCRM and Bitrix24 write).
/// Server-only: the encoding tables stay out of the browser bundle.
#[cfg(feature = "ssr")]
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

// ---------------------------------------------------------------------------
// Parsing

/// A parsed file: the header cells and the non-empty data rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One data row. Rows may have fewer or more cells than there are headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line of the file where the row starts (the header is on line 1
    /// unless blank lines come before it).
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in column `index`, or "" when the row is shorter.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }
}

/// Why a file could not be read as a table at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has no header row")]
    NoHeader,
    #[error("the file has a header but no rows")]
    NoRows,
    #[error("a quote opened on line {line} is never closed")]
    UnterminatedQuote { line: usize },
    #[error("the file has more than {limit} rows")]
    TooManyRows { limit: usize },
}

/// One CSV record for export: cells joined by `sep`, quoted (quotes doubled) when they
/// hold any separator a reader might guess (`;`, `,`, tab), a quote or a line break;
/// ends with CRLF as Excel writes.
pub fn write_row(cells: &[String], sep: char) -> String {
    let mut line = cells
        .iter()
        .map(|c| {
            if c.contains([sep, ';', ',', '\t', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() }
        })
        .collect::<Vec<_>>()
        .join(&sep.to_string());
    line.push_str("\r\n");
    line
}

/// Parses CSV text (RFC 4180 quoting, CRLF or LF line ends). The separator is taken
/// from the header line: `;` if it has one outside quotes, otherwise `,` or tab,
/// whichever occurs more often (`,` on a tie). Cells are trimmed; rows whose cells
/// are all empty are skipped.
pub fn parse(text: &str) -> Result<Table, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut records = Records { chars: text.chars().peekable(), line: 1, sep: detect_separator(text) };
    let headers = loop {
        match records.next_record()? {
            None => return Err(ImportError::NoHeader),
            Some((_, cells)) if cells.iter().all(String::is_empty) => continue,
            Some((_, cells)) => break cells,
        }
    };
    let mut rows = Vec::new();
    while let Some((line, cells)) = records.next_record()? {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(ImportError::TooManyRows { limit: MAX_ROWS });
        }
        rows.push(Row { line, cells });
    }
    if rows.is_empty() {
        return Err(ImportError::NoRows);
    }
    Ok(Table { headers, rows })
}

/// Counts the candidate separators outside quotes in the first non-blank record.
fn detect_separator(text: &str) -> char {
    let (mut semicolons, mut commas, mut tabs) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    let mut seen_content = false;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            '\n' | '\r' if seen_content => break,
            ';' => semicolons += 1,
            ',' => commas += 1,
            '\t' => tabs += 1,
            c if !c.is_whitespace() => seen_content = true,
            _ => {}
        }
        if c == '"' {
            seen_content = true;
        }
    }
    if semicolons > 0 {
        ';'
    } else if tabs > commas {
        '\t'
    } else if commas > 0 {
        ','
    } else {
        ';'
    }
}

struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    /// The line the next character is on.
    line: usize,
    sep: char,
}

impl Records<'_> {
    /// The next record and the line it starts on; `None` at the end of the text.
    fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>, ImportError> {
        if self.chars.peek().is_none() {
            return Ok(None);
        }
        let start = self.line;
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        loop {
            match self.chars.next() {
                None => break,
                Some(c) if c == self.sep => {
                    cells.push(cell.trim().to_string());
                    cell.clear();
                    quoted = false;
                }
                Some('\n') => {
                    self.line += 1;
                    break;
                }
                Some('\r') => {
                    self.chars.next_if_eq(&'\n');
                    self.line += 1;
                    break;
                }
                Some('"') if !quoted && cell.trim().is_empty() => {
                    cell.clear();
                    quoted = true;
                    self.quoted_part(&mut cell)?;
                }
                Some(c) => cell.push(c),
            }
        }
        cells.push(cell.trim().to_string());
        Ok(Some((start, cells)))
    }

    /// Reads a quoted part up to its closing quote; line breaks inside become `\n`.
    fn quoted_part(&mut self, cell: &mut String) -> Result<(), ImportError> {
        let opened_on = self.line;
        loop {
            match self.chars.next() {
                None => return Err(ImportError::UnterminatedQuote { line: opened_on }),
                Some('"') => {
                    if self.chars.next_if_eq(&'"').is_some() {
                        cell.push('"');
                    } else {
                        return Ok(());
                    }
                }
                Some('\r') => {
                    self.chars.next_if_eq(&'\n');
                    self.line += 1;
                    cell.push('\n');
                }
                Some('\n') => {
                    self.line += 1;
                    cell.push('\n');
                }
                Some(c) => cell.push(c),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Mapping

/// What a column can be imported as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    ClientName,
    Inn,
    ContactName,
    ContactPosition,
    Phone,
    Email,
    ClientNotes,
    DealTitle,
    DealAmount,
    DealStage,
    DealCloseDate,
    DealSource,
    /// A manager, by e-mail or full name.
    Owner,
    NextStep,
    /// Why a lost deal was lost; kept only for deals in a lost stage.
    LossReason,
}

impl Field {
    pub const ALL: [Field; 15] = [
        Field::ClientName,
        Field::Inn,
        Field::ContactName,
        Field::ContactPosition,
        Field::Phone,
        Field::Email,
        Field::ClientNotes,
        Field::DealTitle,
        Field::DealAmount,
        Field::DealStage,
        Field::DealCloseDate,
        Field::DealSource,
        Field::Owner,
        Field::NextStep,
        Field::LossReason,
    ];

    /// A stable key (for HTML selects and forms).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::ClientName => "client_name",
            Field::Inn => "inn",
            Field::ContactName => "contact_name",
            Field::ContactPosition => "contact_position",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::ClientNotes => "client_notes",
            Field::DealTitle => "deal_title",
            Field::DealAmount => "deal_amount",
            Field::DealStage => "deal_stage",
            Field::DealCloseDate => "deal_close_date",
            Field::DealSource => "deal_source",
            Field::Owner => "owner",
            Field::NextStep => "next_step",
            Field::LossReason => "loss_reason",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Column names (as [`header_key`] leaves them) that suggest this field.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::ClientName => &[
                "компания",
                "название компании",
                "наименование компании",
                "наименование",
                "клиент",
                "организация",
                "контрагент",
                "юридическое лицо",
                "client",
                "client name",
                "company",
                "company name",
                "organization",
                "organisation",
            ],
            Field::Inn => &["инн", "инн компании", "инн клиента", "inn", "tax id"],
            Field::ContactName => &[
                "полное имя контакта",
                "полное имя",
                "контакт",
                "контактное лицо",
                "имя контакта",
                "фио",
                "фио контакта",
                "основной контакт",
                "contact",
                "contact name",
                "contact person",
            ],
            Field::ContactPosition => &["должность", "должность контакта", "position", "job title"],
            Field::Phone => &[
                "рабочий телефон",
                "мобильный телефон",
                "телефон",
                "телефон контакта",
                "контактный телефон",
                "рабочий прямой телефон",
                "мобильный",
                "phone",
                "phone number",
                "work phone",
                "mobile",
                "mobile phone",
                "telephone",
            ],
            Field::Email => &[
                "рабочий email",
                "email",
                "личный email",
                "email контакта",
                "электронная почта",
                "почта",
                "work email",
                "mail",
            ],
            Field::ClientNotes => &[
                "примечание",
                "примечания",
                "комментарий",
                "комментарии",
                "notes",
                "note",
                "comment",
                "comments",
            ],
            Field::DealTitle => &["название сделки", "название", "сделка", "наименование сделки", "deal", "deal title", "deal name"],
            Field::DealAmount => &[
                "бюджет",
                "бюджет сделки",
                "сумма",
                "сумма сделки",
                "стоимость",
                "amount",
                "deal amount",
                "budget",
                "value",
                "deal value",
            ],
            Field::DealStage => &[
                "этап сделки",
                "этап",
                "статус",
                "статус сделки",
                "стадия сделки",
                "стадия",
                "stage",
                "deal stage",
                "status",
            ],
            Field::DealCloseDate => &[
                "дата закрытия",
                "дата закрытия сделки",
                "предполагаемая дата закрытия",
                "планируемая дата закрытия",
                "ожидаемая дата закрытия",
                "close date",
                "expected close date",
                "expected close",
                "closing date",
            ],
            Field::DealSource => &["источник", "источник сделки", "source", "lead source"],
            Field::Owner => &["ответственный", "ответственный менеджер", "менеджер", "owner", "manager", "responsible", "assigned to"],
            Field::NextStep => &["следующий шаг", "следующее действие", "next step"],
            Field::LossReason => &[
                "причина отказа",
                "причина проигрыша",
                "причина закрытия",
                "причина потери",
                "loss reason",
                "lost reason",
                "reason lost",
            ],
        }
    }
}

/// Guesses a field for each column from its header, or `None`. Each field goes to
/// the first column that names it; a later column naming it again stays unmapped.
pub fn suggest(headers: &[String]) -> Vec<Option<Field>> {
    let mut taken: Vec<Field> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let key = header_key(header);
            let field = Field::ALL.into_iter().find(|f| f.aliases().contains(&key.as_str()))?;
            if taken.contains(&field) {
                return None;
            }
            taken.push(field);
            Some(field)
        })
        .collect()
}

/// A header as compared with the aliases: folded (lower case, ё = е), without
/// bracketed parts ("(руб.)", "(контакт)"), currency marks and extra spaces.
fn header_key(header: &str) -> String {
    let mut plain = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in fold(header).chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '₽' | '_' => plain.push(' '),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.replace("e-mail", "email").replace("е-mail", "email");
    let mut key = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let trimmed = key.trim_matches(|c: char| matches!(c, ',' | '.' | ':' | '*' | ' ' | '\u{a0}'));
        let stripped = ["руб", "rub", "rur"]
            .iter()
            .find_map(|cur| trimmed.strip_suffix(cur).filter(|rest| rest.is_empty() || rest.ends_with([' ', ','])));
        match stripped {
            Some(rest) => key = rest.to_string(),
            None => return trimmed.to_string(),
        }
    }
}

// ---------------------------------------------------------------------------
// Validation

/// What the rows are checked against. Ids are plain strings; lookups ignore case,
/// treat ё as е and ignore extra spaces.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// (display name, stage id), in pipeline order. The first is used for an empty
    /// stage cell. A stage may appear more than once under different names (e.g. in
    /// Russian and English).
    pub stages: Vec<(String, String)>,
    /// (keys: e-mail and full name, user id). A full name also matches with its words
    /// in another order ("Смирнова Анна").
    pub owners: Vec<(Vec<String>, String)>,
    /// Used when no column is mapped to the owner or the cell is empty.
    pub default_owner: String,
    /// The organisation's today: close dates must lie in the window around it.
    pub today: NaiveDate,
}

/// A client to create. `key` is its index in [`Prepared::clients`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportClient {
    pub key: usize,
    pub client: NewClient,
    pub owner_id: String,
    /// The line of the first row naming this client.
    pub line: usize,
}

/// A deal to create, for the client `client_key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportDeal {
    pub client_key: usize,
    pub title: String,
    pub amount: Money,
    pub stage_id: String,
    pub expected_close_on: Option<NaiveDate>,
    pub source: String,
    pub next_step: String,
    /// Empty unless given; the store keeps it only on a lost deal.
    pub loss_reason: String,
    pub owner_id: String,
    pub line: usize,
}

/// What is wrong with a cell (the UI words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowProblem {
    /// No column is mapped to the client name (reported once, on line 0).
    NoClientColumn,
    NameMissing,
    InnInvalid,
    /// The same client name came earlier with another INN.
    InnConflict,
    PhoneInvalid,
    EmailInvalid,
    AmountInvalid,
    /// Above the largest amount Pacer keeps.
    AmountTooLarge,
    DateInvalid,
    /// More than ten years from today, either way.
    DateOutOfRange,
    StageUnknown,
    OwnerUnknown,
    TooLong,
}

/// One problem in one row. `value` is the cell as it was (cut to 100 characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: usize,
    pub field: Option<Field>,
    pub value: String,
    pub reason: RowProblem,
}

/// The outcome of [`prepare`]: write `clients` and `deals` only when `errors` is empty.
/// A row with any error adds nothing to `clients` or `deals`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prepared {
    pub clients: Vec<ImportClient>,
    pub deals: Vec<ImportDeal>,
    pub errors: Vec<RowError>,
}

/// Checks every row under `mapping` (one entry per column; missing entries are
/// unmapped) and groups rows into clients: rows with the same INN, or the same name
/// when either lacks an INN, are one client; later rows fill contact fields the
/// earlier ones left empty. A row makes a deal when it has a deal title or amount.
/// When several columns map to one field, the first non-empty cell is used (notes
/// are joined).
pub fn prepare(table: &Table, mapping: &[Option<Field>], ctx: &Context) -> Prepared {
    let mut out = Prepared::default();
    if !mapping.contains(&Some(Field::ClientName)) {
        out.errors.push(RowError {
            line: 0,
            field: Some(Field::ClientName),
            value: String::new(),
            reason: RowProblem::NoClientColumn,
        });
        return out;
    }
    let stages: Vec<(String, &str)> = ctx.stages.iter().map(|(name, id)| (fold_words(name), id.as_str())).collect();
    let owners: Vec<(Vec<String>, &str)> =
        ctx.owners.iter().map(|(keys, id)| (keys.iter().map(String::as_str).map(owner_key).collect(), id.as_str())).collect();
    let mut by_inn: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    // Whether a client's owner came from an owner cell (else a later row may name one).
    let mut owner_named: Vec<bool> = Vec::new();

    for row in &table.rows {
        let value = |field: Field| cell_for(row, mapping, field);
        let mut errors: Vec<RowError> = Vec::new();
        let mut fail = |field: Field, value: &str, reason: RowProblem| {
            errors.push(RowError { line: row.line, field: Some(field), value: clip(value), reason });
        };

        let owner_raw = value(Field::Owner);
        let owner = if owner_raw.is_empty() {
            Some((ctx.default_owner.as_str(), false))
        } else {
            let key = owner_key(&owner_raw);
            let found = owners.iter().find(|(keys, _)| keys.contains(&key)).map(|(_, id)| (*id, true));
            if found.is_none() {
                fail(Field::Owner, &owner_raw, RowProblem::OwnerUnknown);
            }
            found
        };

        // The client, through the usual client rules. A failed field is blanked and
        // the form parsed again, so that every problem in the row is reported.
        let raw_name = value(Field::ClientName);
        let raw_inn = value(Field::Inn);
        let raw_phone = value(Field::Phone);
        let raw_email = value(Field::Email);
        let mut input = ClientInput {
            name: raw_name.clone(),
            inn: raw_inn.clone(),
            contact_name: value(Field::ContactName),
            contact_position: value(Field::ContactPosition),
            contact_phone: raw_phone.clone(),
            contact_email: raw_email.clone(),
            notes: value(Field::ClientNotes),
        };
        let form = loop {
            match NewClient::parse(&input) {
                Ok(form) => break form,
                Err((_, ClientError::NameEmpty)) => {
                    fail(Field::ClientName, &raw_name, RowProblem::NameMissing);
                    input.name = "?".to_string();
                }
                Err((field, ClientError::TooLong)) => {
                    let (column, text) = match field {
                        "contact_name" => (Field::ContactName, &mut input.contact_name),
                        "contact_position" => (Field::ContactPosition, &mut input.contact_position),
                        "notes" => (Field::ClientNotes, &mut input.notes),
                        _ => (Field::ClientName, &mut input.name),
                    };
                    fail(column, text, RowProblem::TooLong);
                    *text = if column == Field::ClientName {
                        "?".to_string()
                    } else {
                        String::new()
                    };
                }
                Err((_, ClientError::InnInvalid)) => {
                    fail(Field::Inn, &raw_inn, RowProblem::InnInvalid);
                    input.inn.clear();
                }
                Err((_, ClientError::PhoneInvalid)) => {
                    fail(Field::Phone, &raw_phone, RowProblem::PhoneInvalid);
                    input.contact_phone.clear();
                }
                Err((_, ClientError::EmailInvalid)) => {
                    fail(Field::Email, &raw_email, RowProblem::EmailInvalid);
                    input.contact_email.clear();
                }
            }
        };

        let existing = match &form.inn {
            Some(inn) => by_inn.get(inn).or_else(|| by_name.get(&name_key(&form.name))).copied(),
            None => by_name.get(&name_key(&form.name)).copied(),
        };
        if let (Some(k), Some(inn)) = (existing, &form.inn)
            && out.clients[k].client.inn.as_ref().is_some_and(|known| known != inn)
        {
            fail(Field::Inn, inn, RowProblem::InnConflict);
        }

        // The deal, when the row has one.
        let title_raw = value(Field::DealTitle);
        let amount_raw = value(Field::DealAmount);
        let deal = if title_raw.is_empty() && amount_raw.is_empty() {
            None
        } else {
            let amount = if amount_raw.is_empty() {
                Some(Money::ZERO)
            } else {
                match Money::parse(&amount_raw) {
                    Ok(m) if limits::amount_fits(m) => Some(m),
                    Ok(m) if m > Money::ZERO => {
                        fail(Field::DealAmount, &amount_raw, RowProblem::AmountTooLarge);
                        None
                    }
                    Err(MoneyError::TooLarge) => {
                        fail(Field::DealAmount, &amount_raw, RowProblem::AmountTooLarge);
                        None
                    }
                    _ => {
                        fail(Field::DealAmount, &amount_raw, RowProblem::AmountInvalid);
                        None
                    }
                }
            };
            let stage_raw = value(Field::DealStage);
            let stage = if stage_raw.is_empty() {
                stages.first().map(|(_, id)| *id)
            } else {
                let key = fold_words(&stage_raw);
                stages.iter().find(|(name, _)| *name == key).map(|(_, id)| *id)
            };
            if stage.is_none() {
                fail(Field::DealStage, &stage_raw, RowProblem::StageUnknown);
            }
            let date_raw = value(Field::DealCloseDate);
            let close = if date_raw.is_empty() {
                Some(None)
            } else {
                match parse_date(&date_raw) {
                    None => {
                    fail(Field::DealCloseDate, &date_raw, RowProblem::DateInvalid);
                        None
                    }
                    Some(date) if limits::When::Due.check(date, ctx.today).is_err() => {
                        fail(Field::DealCloseDate, &date_raw, RowProblem::DateOutOfRange);
                        None
                    }
                    Some(date) => Some(Some(date)),
                }
            };
            let title = if title_raw.is_empty() { form.name.clone() } else { title_raw };
            let source = value(Field::DealSource);
            let next_step = value(Field::NextStep);
            let loss_reason = value(Field::LossReason);
            for (field, text, max) in
                [(Field::DealTitle, &title, limits::NAME_LEN), (Field::DealSource, &source, limits::NAME_LEN), (Field::NextStep, &next_step, MAX_TEXT), (Field::LossReason, &loss_reason, MAX_TEXT)]
            {
                if !limits::fits(text, max) {
                    fail(field, text, RowProblem::TooLong);
                }
            }
            Some((title, amount, stage, close, source, next_step, loss_reason))
        };

        if !errors.is_empty() {
            out.errors.append(&mut errors);
            continue;
        }
        let Some((owner_id, named)) = owner else { continue };

        let key = match existing {
            Some(k) => {
                let client = &mut out.clients[k].client;
                if client.inn.is_none()
                    && let Some(inn) = &form.inn
                {
                    client.inn = Some(inn.clone());
                    by_inn.insert(inn.clone(), k);
                }
                for (mine, theirs) in [
                    (&mut client.contact_name, &form.contact_name),
                    (&mut client.contact_position, &form.contact_position),
                    (&mut client.contact_phone, &form.contact_phone),
                    (&mut client.contact_email, &form.contact_email),
                ] {
                    if mine.is_empty() {
                        mine.clone_from(theirs);
                    }
                }
                if client.notes.is_empty() {
                    client.notes.clone_from(&form.notes);
                } else if !form.notes.is_empty()
                    && !client.notes.contains(&form.notes)
                    && client.notes.chars().count() + 2 + form.notes.chars().count() <= MAX_TEXT
                {
                    client.notes.push_str("\n\n");
                    client.notes.push_str(&form.notes);
                }
                if named && !owner_named[k] {
                    out.clients[k].owner_id = owner_id.to_string();
                    owner_named[k] = true;
                }
                k
            }
            None => {
                let k = out.clients.len();
                if let Some(inn) = &form.inn {
                    by_inn.insert(inn.clone(), k);
                }
                by_name.entry(name_key(&form.name)).or_insert(k);
                owner_named.push(named);
                out.clients.push(ImportClient {
                    key: k,
                    client: form,
                    owner_id: owner_id.to_string(),
                    line: row.line,
                });
                k
            }
        };
        if let Some((title, Some(amount), Some(stage_id), Some(expected_close_on), source, next_step, loss_reason)) = deal {
            out.deals.push(ImportDeal {
                client_key: key,
                title,
                amount,
                stage_id: stage_id.to_string(),
                expected_close_on,
                source,
                next_step,
                loss_reason,
                owner_id: owner_id.to_string(),
                line: row.line,
            });
        }
    }
    out
}

/// The row's value for `field`: the first non-empty cell among the columns mapped to
/// it (notes from several columns are joined).
fn cell_for(row: &Row, mapping: &[Option<Field>], field: Field) -> String {
    let mut cells = mapping
        .iter()
        .enumerate()
        .filter(|(_, f)| **f == Some(field))
        .map(|(i, _)| row.cell(i))
        .filter(|c| !c.is_empty());
    if field == Field::ClientNotes {
        cells.collect::<Vec<_>>().join("\n")
    } else {
        cells.next().unwrap_or_default().to_string()
    }
}

/// A date as exports write it: `dd.mm.yyyy`, `dd.mm.yy` or `yyyy-mm-dd`, with an
/// optional time after a space (or a `T`), which is ignored.
fn parse_date(raw: &str) -> Option<NaiveDate> {
    let date = raw.split_whitespace().next()?;
    let date = date.split_once('T').map_or(date, |(d, _)| d);
    let number = |part: &str, lengths: &[usize]| -> Option<u32> {
        if lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None }
    };
    let parts: Vec<&str> = date.split(['.', '-']).collect();
    let [a, b, c] = parts[..] else { return None };
    let (year, month, day) = if date.contains('.') && !date.contains('-') {
        let year = number(c, &[2, 4])?;
        let year = if c.len() == 2 { 2000 + year } else { year };
        (year, number(b, &[1, 2])?, number(a, &[1, 2])?)
    } else if date.contains('-') && !date.contains('.') {
        (number(a, &[4])?, number(b, &[1, 2])?, number(c, &[1, 2])?)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Folded, with runs of spaces made one.
fn fold_words(s: &str) -> String {
    s.split_whitespace().map(fold).collect::<Vec<_>>().join(" ")
}

/// What makes two client names the same: folded words, quotes of any kind ignored
/// (`ООО "Вектор"` is `ООО «Вектор»`).
fn name_key(name: &str) -> String {
    let unquoted: String = name.chars().filter(|c| !matches!(c, '"' | '«' | '»' | '“' | '”' | '„' | '\'')).collect();
    fold_words(&unquoted)
}

/// An owner key: folded words in sorted order, so a full name matches in any order.
fn owner_key(s: &str) -> String {
    let mut words: Vec<String> = s.split_whitespace().map(fold).collect();
    words.sort();
    words.join(" ")
}

fn clip(value: &str) -> String {
    if value.chars().count() <= MAX_ERROR_VALUE {
        value.to_string()
    } else {
        let mut cut: String = value.chars().take(MAX_ERROR_VALUE).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    // --- decoding ---

    #[test]
    fn utf8_is_kept_and_its_bom_dropped() {
        assert_eq!(decode("Компания;ИНН".as_bytes()), "Компания;ИНН");
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice("Компания;ИНН".as_bytes());
        assert_eq!(decode(&with_bom), "Компания;ИНН");
        assert_eq!(decode(b""), "");
    }

    #[test]
    fn non_utf8_bytes_are_read_as_windows_1251() {
        // "Привет; ёлка «ок» 1 000" in cp1251, with a no-break space.
        let bytes = b"\xCF\xF0\xE8\xE2\xE5\xF2; \xB8\xEB\xEA\xE0 \xAB\xEE\xEA\xBB 1\xA0000";
        assert_eq!(decode(bytes), "Привет; ёлка «ок» 1\u{a0}000");
    }

    // --- parsing ---

    #[test]
    fn quoted_cells_keep_separators_newlines_and_doubled_quotes() {
        let t = parse("Компания;Примечание\n\"ООО \"\"Вектор\"\"\";\"раз; два\nтри\"\n").unwrap();
        assert_eq!(t.headers, strings(&["Компания", "Примечание"]));
        assert_eq!(t.rows, vec![Row { line: 2, cells: strings(&["ООО \"Вектор\"", "раз; два\nтри"]) }]);
    }

    #[test]
    fn crlf_inside_and_outside_quotes() {
        let t = parse("a;b\r\n\"x\r\ny\";z\r\nlast;row\r\n").unwrap();
        assert_eq!(t.rows[0].cells, strings(&["x\ny", "z"]));
        assert_eq!(t.rows[1], Row { line: 4, cells: strings(&["last", "row"]) });
    }

    #[test]
    fn cells_are_trimmed_and_empty_rows_skipped() {
        let t = parse("\u{feff} a ; b \n\n ;  \n  1 ;  \"  2 \"  \n;;\n3\n").unwrap();
        assert_eq!(t.headers, strings(&["a", "b"]));
        assert_eq!(t.rows, vec![Row { line: 4, cells: strings(&["1", "2"]) }, Row { line: 6, cells: strings(&["3"]) }]);
        assert_eq!(t.rows[1].cell(1), "");
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_just_a_character() {
        let t = parse("Компания;ИНН\nООО \"Ромашка\";7707083893\n\"ООО\" Ромашка;1\n").unwrap();
        assert_eq!(t.rows[0].cells, strings(&["ООО \"Ромашка\"", "7707083893"]));
        assert_eq!(t.rows[1].cells, strings(&["ООО Ромашка", "1"]));
    }

    #[test]
    fn the_separator_is_detected_from_the_header() {
        assert_eq!(parse("a,b\n1,2\n").unwrap().rows[0].cells, strings(&["1", "2"]));
        assert_eq!(parse("a\tb\n1\t2\n").unwrap().rows[0].cells, strings(&["1", "2"]));
        // Semicolon wins even when the header also has commas.
        assert_eq!(parse("Сумма, руб.;Название\n1,5;x\n").unwrap().rows[0].cells, strings(&["1,5", "x"]));
        // Separators inside quotes do not count.
        assert_eq!(parse("\"a;b\",c\n1,2\n").unwrap().headers, strings(&["a;b", "c"]));
        assert_eq!(parse("\"a\nb;c\",d\n1,2\n").unwrap().headers, strings(&["a\nb;c", "d"]));
        // More tabs than commas: tab.
        assert_eq!(parse("Сумма, руб\tНазвание\tЭтап\n1\t2\t3\n").unwrap().headers, strings(&["Сумма, руб", "Название", "Этап"]));
        // One column: anything goes.
        assert_eq!(parse("Компания\nООО Вектор\n").unwrap().rows[0].cells, strings(&["ООО Вектор"]));
    }

    #[test]
    fn line_numbers_follow_multi_line_cells() {
        let t = parse("a;b\n1;\"x\ny\nz\"\n\n2;\"p\r\nq\"\r\n3;w").unwrap();
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 6, 8]);
    }

    #[test]
    fn files_that_are_not_tables_are_refused() {
        assert_eq!(parse(""), Err(ImportError::Empty));
        assert_eq!(parse(" \r\n \n"), Err(ImportError::Empty));
        assert_eq!(parse("\u{feff}"), Err(ImportError::Empty));
        assert_eq!(parse(";;;\n ; \n"), Err(ImportError::NoHeader));
        assert_eq!(parse("a;b\n;\n"), Err(ImportError::NoRows));
        assert_eq!(parse("a;b\n1;2\n3;\"open\nstill open\n"), Err(ImportError::UnterminatedQuote { line: 3 }));
    }

    #[test]
    fn duplicate_and_empty_headers_are_fine() {
        let t = parse("a;;;a\n1;2;3;4\n").unwrap();
        assert_eq!(t.headers, strings(&["a", "", "", "a"]));
    }

    #[test]
    fn the_row_limit_is_enforced() {
        let mut text = String::from("a;b\n");
        for i in 0..MAX_ROWS {
            text.push_str(&format!("{i};x\n"));
        }
        assert_eq!(parse(&text).unwrap().rows.len(), MAX_ROWS);
        text.push_str("one;more\n");
        assert_eq!(parse(&text), Err(ImportError::TooManyRows { limit: MAX_ROWS }));
    }

    /// The export's writer: what Pacer writes, Pacer reads back.
    fn write_csv(rows: &[Vec<String>], sep: char) -> String {
        rows.iter().map(|r| write_row(r, sep)).collect()
    }

    /// What the parser gives back for a cell: line breaks as `\n`, trimmed.
    fn as_parsed(cell: &str) -> String {
        cell.replace("\r\n", "\n").replace('\r', "\n").trim().to_string()
    }

    proptest! {
        #[test]
        fn quoted_cells_parse_back_to_themselves(
            header in proptest::collection::vec(".*", 1..5),
            rows in proptest::collection::vec(proptest::collection::vec(any::<String>(), 1..6), 1..8),
            comma in any::<bool>(),
        ) {
            let sep = if comma { ',' } else { ';' };
            // A header of at least two columns whose first is non-empty shows the separator.
            let mut header = header;
            header.insert(0, "h".to_string());
            let mut all = vec![header.clone()];
            all.extend(rows.iter().cloned());
            let table = parse(&write_csv(&all, sep));
            let expected: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| as_parsed(c)).collect::<Vec<_>>())
                .filter(|r| r.iter().any(|c| !c.is_empty()))
                .collect();
            if expected.is_empty() {
                prop_assert_eq!(table, Err(ImportError::NoRows));
            } else {
                let table = table.unwrap();
                prop_assert_eq!(table.headers, header.iter().map(|c| as_parsed(c)).collect::<Vec<_>>());
                prop_assert_eq!(table.rows.into_iter().map(|r| r.cells).collect::<Vec<_>>(), expected);
            }
        }
    }

    // --- mapping ---

    #[test]
    fn fields_round_trip_through_their_keys() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.as_str()), Some(f));
        }
        assert_eq!(Field::parse("nope"), None);
    }

    #[test]
    fn suggest_reads_an_amocrm_deals_export() {
        let headers = strings(&[
            "ID",
            "Название сделки",
            "Бюджет ₽",
            "Ответственный",
            "Дата создания",
            "Кем создана",
            "Теги",
            "Этап сделки",
            "Воронка",
            "Полное имя контакта",
            "Компания контакта",
            "Компания",
            "Должность (контакт)",
            "Рабочий телефон (контакт)",
            "Мобильный телефон (контакт)",
            "Рабочий email (контакт)",
            "Примечание",
            "Дата закрытия",
            "Источник",
            "ИНН",
            "Валюта",
        ]);
        use Field::*;
        assert_eq!(
            suggest(&headers),
            vec![
                None,
                Some(DealTitle),
                Some(DealAmount),
                Some(Owner),
                None,
                None,
                None,
                Some(DealStage),
                None,
                Some(ContactName),
                None,
                Some(ClientName),
                Some(ContactPosition),
                Some(Phone),
                None, // a second phone column stays unmapped
                Some(Email),
                Some(ClientNotes),
                Some(DealCloseDate),
                Some(DealSource),
                Some(Inn),
                None,
            ]
        );
        assert_eq!(suggest(&strings(&["Статус", "Бюджет", "Контакт", "Email", "Бюджет (руб.)"])), vec![
            Some(DealStage),
            Some(DealAmount),
            Some(ContactName),
            Some(Email),
            None
        ]);
    }

    #[test]
    fn suggest_reads_bitrix24_exports() {
        use Field::*;
        let companies = strings(&["ID", "Название компании", "ИНН", "Рабочий телефон", "Рабочий e-mail", "Ответственный", "Комментарий"]);
        assert_eq!(suggest(&companies), vec![None, Some(ClientName), Some(Inn), Some(Phone), Some(Email), Some(Owner), Some(ClientNotes)]);
        let deals = strings(&[
            "ID",
            "Название",
            "Стадия сделки",
            "Сумма",
            "Валюта",
            "Компания",
            "Контакт",
            "Ответственный",
            "Предполагаемая дата закрытия",
            "Источник",
            "Комментарий",
            "Дата создания",
        ]);
        assert_eq!(
            suggest(&deals),
            vec![
                None,
                Some(DealTitle),
                Some(DealStage),
                Some(DealAmount),
                None,
                Some(ClientName),
                Some(ContactName),
                Some(Owner),
                Some(DealCloseDate),
                Some(DealSource),
                Some(ClientNotes),
                None,
            ]
        );
        assert_eq!(suggest(&strings(&["Стадия", "Сумма, руб."])), vec![Some(DealStage), Some(DealAmount)]);
    }

    #[test]
    fn suggest_reads_pacers_own_headers_in_any_case_and_spacing() {
        use Field::*;
        let headers = strings(&[
            "Client", "INN", "Contact", "Position", "Phone", "Email", "Notes", "Deal", "Amount", "Stage", "Close date", "Source",
            "Owner", "Next step", "Loss reason",
        ]);
        assert_eq!(suggest(&headers), Field::ALL.map(Some).to_vec());
        assert_eq!(
            suggest(&strings(&["  НАЗВАНИЕ   СДЕЛКИ ", "Ответственный:", "*Компания*", "Дата  закрытия", "Следующий шаг", "Теги", ""])),
            vec![Some(DealTitle), Some(Owner), Some(ClientName), Some(DealCloseDate), Some(NextStep), None, None]
        );
        assert_eq!(suggest(&strings(&["Счёт", "Ёмкость"])), vec![None, None]);
    }

    #[test]
    fn header_keys_drop_brackets_currency_and_case() {
        assert_eq!(header_key("Бюджет ₽"), "бюджет");
        assert_eq!(header_key("Сумма (руб.)"), "сумма");
        assert_eq!(header_key("Сумма, руб."), "сумма");
        assert_eq!(header_key("Amount, RUB"), "amount");
        assert_eq!(header_key("Рабочий E-mail"), "рабочий email");
        assert_eq!(header_key("Полное  имя\u{a0}контакта"), "полное имя контакта");
        assert_eq!(header_key("Рубрика"), "рубрика");
    }

    // --- validation ---

    fn ctx() -> Context {
        Context {
            stages: vec![
                ("Новая".into(), "s-new".into()),
                ("Переговоры".into(), "s-neg".into()),
                ("Счёт выставлен".into(), "s-inv".into()),
                ("Invoice sent".into(), "s-inv".into()),
            ],
            owners: vec![
                (strings(&["anna@pacer.demo", "Анна Смирнова"]), "u-anna".into()),
                (strings(&["dmitry@pacer.demo", "Дмитрий Козлов"]), "u-dmitry".into()),
            ],
            default_owner: "u-me".into(),
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        }
    }

    const HEADER: &str = "Компания;ИНН;Контакт;Должность;Телефон;Email;Примечание;Сделка;Сумма;Этап;Дата закрытия;Источник;Ответственный;Следующий шаг";

    fn run(rows: &str) -> Prepared {
        let table = parse(&format!("{HEADER}\n{rows}")).unwrap();
        let mapping = suggest(&table.headers);
        assert!(mapping.iter().all(Option::is_some), "{mapping:?}");
        prepare(&table, &mapping, &ctx())
    }

    fn problems(p: &Prepared) -> Vec<(usize, Option<Field>, &str, RowProblem)> {
        p.errors.iter().map(|e| (e.line, e.field, e.value.as_str(), e.reason)).collect()
    }

    #[test]
    fn a_good_row_becomes_a_client_and_a_deal() {
        let p = run(
            "ООО «Вектор»;7707 083 893;Иван Кузнецов;Директор;+7 (916) 123-45-67;Ivan@Vektor.RU;важный;Серверы;1 250 000,50;переговоры;28.02.2026 10:00;Сайт;Анна  Смирнова;Позвонить\n",
        );
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.clients, vec![ImportClient {
            key: 0,
            client: NewClient {
                name: "ООО «Вектор»".into(),
                inn: Some("7707083893".into()),
                contact_name: "Иван Кузнецов".into(),
                contact_position: "Директор".into(),
                contact_phone: "+7 (916) 123-45-67".into(),
                contact_email: "ivan@vektor.ru".into(),
                notes: "важный".into(),
            },
            owner_id: "u-anna".into(),
            line: 2,
        }]);
        assert_eq!(p.deals, vec![ImportDeal {
            client_key: 0,
            title: "Серверы".into(),
            amount: Money::from_kopecks(125_000_050),
            stage_id: "s-neg".into(),
            expected_close_on: Some(date(2026, 2, 28)),
            source: "Сайт".into(),
            next_step: "Позвонить".into(),
            loss_reason: String::new(),
            owner_id: "u-anna".into(),
            line: 2,
        }]);
    }

    #[test]
    fn defaults_fill_empty_stage_owner_and_title() {
        let p = run("ООО Вектор;;;;;;;;50 000;;;;;\nООО Бета;;;;;;;Только название;;;;;;\nООО Гамма;;;;;;;;;Новая;01.01.2026;;;\n");
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.clients.len(), 3);
        assert!(p.clients.iter().all(|c| c.owner_id == "u-me"));
        assert_eq!(p.deals.len(), 2, "a row with neither title nor amount has no deal");
        assert_eq!((p.deals[0].title.as_str(), p.deals[0].amount), ("ООО Вектор", Money::from_rubles(50_000)));
        assert_eq!((p.deals[1].title.as_str(), p.deals[1].amount), ("Только название", Money::ZERO));
        assert!(p.deals.iter().all(|d| d.stage_id == "s-new" && d.owner_id == "u-me" && d.expected_close_on.is_none()));
    }

    #[test]
    fn stages_match_in_any_case_with_yo_and_in_any_listed_language() {
        let p = run("A;;;;;;;d;1;СЧЕТ  ВЫСТАВЛЕН;;;;\nB;;;;;;;d;1;invoice sent;;;;\nC;;;;;;;d;1;Счёт выставлен;;;;\n");
        assert_eq!(p.errors, vec![]);
        assert!(p.deals.iter().all(|d| d.stage_id == "s-inv"));
    }

    #[test]
    fn owners_match_by_email_or_name_in_any_order() {
        let p = run("A;;;;;;;;1;;;;ANNA@pacer.demo;\nB;;;;;;;;1;;;;смирнова анна;\nC;;;;;;;;1;;;;Дмитрий Козлов;\n");
        assert_eq!(p.errors, vec![]);
        let owners: Vec<&str> = p.deals.iter().map(|d| d.owner_id.as_str()).collect();
        assert_eq!(owners, vec!["u-anna", "u-anna", "u-dmitry"]);
    }

    #[test]
    fn dates_in_export_formats() {
        assert_eq!(parse_date("28.02.2026"), Some(date(2026, 2, 28)));
        assert_eq!(parse_date("1.2.26"), Some(date(2026, 2, 1)));
        assert_eq!(parse_date("2026-02-28"), Some(date(2026, 2, 28)));
        assert_eq!(parse_date("28.02.2026 14:35:00"), Some(date(2026, 2, 28)));
        assert_eq!(parse_date("2026-02-28 14:35"), Some(date(2026, 2, 28)));
        assert_eq!(parse_date("2026-02-28T14:35:00Z"), Some(date(2026, 2, 28)));
        for bad in ["31.02.2026", "2026.02.28", "28-02-2026", "28.02", "завтра", "28/02/2026", "28.02.026", "2026-02-28-01"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn rows_naming_one_client_become_one_client() {
        let p = run(concat!(
            "ООО «Вектор»;7707083893;Иван;;;;первая;Сделка 1;100;;;;;\n",
            "ооо \"вектор\";;;Директор;+7 916 123-45-67;;вторая;Сделка 2;200;;;;anna@pacer.demo;\n",
            "АО Вектор-Холдинг;7707083893;Пётр;;;ivan@vektor.ru;первая;Сделка 3;300;;;;dmitry@pacer.demo;\n",
            "ООО   «Вектор»;;;;;;;;;;;;;\n",
            "ООО «Ёлка»;;;;;;;Ель;1;;;;;\n",
            "ооо «елка»;500100732259;;;;;;Ель 2;1;;;;;\n",
            "ООО «Ёлка»;500100732259;;;;;;;;;;;;\n",
        ));
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.clients.len(), 2);
        let v = &p.clients[0];
        assert_eq!(v.client.name, "ООО «Вектор»");
        assert_eq!(v.client.inn.as_deref(), Some("7707083893"));
        assert_eq!(v.client.contact_name, "Иван", "the first row's contact stays");
        assert_eq!(v.client.contact_position, "Директор", "a later row fills what was empty");
        assert_eq!(v.client.contact_phone, "+7 916 123-45-67");
        assert_eq!(v.client.contact_email, "ivan@vektor.ru");
        assert_eq!(v.client.notes, "первая\n\nвторая");
        assert_eq!(v.owner_id, "u-anna", "the first owner named wins over the default");
        assert_eq!(v.line, 2);
        let e = &p.clients[1];
        assert_eq!((e.client.name.as_str(), e.client.inn.as_deref(), e.line), ("ООО «Ёлка»", Some("500100732259"), 6));
        let deals: Vec<(usize, &str, &str)> = p.deals.iter().map(|d| (d.client_key, d.title.as_str(), d.owner_id.as_str())).collect();
        assert_eq!(deals, vec![
            (0, "Сделка 1", "u-me"),
            (0, "Сделка 2", "u-anna"),
            (0, "Сделка 3", "u-dmitry"),
            (1, "Ель", "u-me"),
            (1, "Ель 2", "u-me"),
        ]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line_field_and_value() {
        let long = "я".repeat(MAX_TEXT + 1);
        let long_name = "Я".repeat(201);
        let p = run(&format!(
            concat!(
                ";;;;;;;Без клиента;1;;;;;\n",                         // 2
                "ООО Альфа;7707083894;;;;;;;;;;;;\n",                   // 3
                "ООО Бета;7707083893;;;;;;;;;;;;\n",                    // 4 (good)
                "ооо бета;500100732259;;;;;;;;;;;;\n",                  // 5
                "ООО Гамма;;;;123;;;;;;;;;\n",                          // 6
                "ООО Дельта;;;;;ivan@;;;;;;;;\n",                       // 7
                "ООО Эпсилон;;;;;;;Сделка;сто тысяч;;;;;\n",            // 8
                "ООО Дзета;;;;;;;Сделка;-5;;;;;\n",                     // 9
                "ООО Эта;;;;;;;Сделка;1;;31.02.2026;;;\n",              // 10
                "ООО Тета;;;;;;;Сделка;1;Согласование;;;;\n",           // 11
                "ООО Йота;;;;;;;;;;;;boss@pacer.demo;\n",               // 12
                "ООО Каппа;;;;;;{long};;;;;;;\n",                       // 13
                "{long_name};;;;;;;;;;;;;\n",                           // 14
                "ООО Лямбда;;;;;;;Сделка;1;;;;;{long}\n",               // 15
            ),
            long = long,
            long_name = long_name,
        ));
        let clipped = format!("{}…", "я".repeat(MAX_ERROR_VALUE));
        let clipped_name = format!("{}…", "Я".repeat(MAX_ERROR_VALUE));
        use Field::*;
        use RowProblem::*;
        assert_eq!(problems(&p), vec![
            (2, Some(ClientName), "", NameMissing),
            (3, Some(Inn), "7707083894", InnInvalid),
            (5, Some(Inn), "500100732259", InnConflict),
            (6, Some(Phone), "123", PhoneInvalid),
            (7, Some(Email), "ivan@", EmailInvalid),
            (8, Some(DealAmount), "сто тысяч", AmountInvalid),
            (9, Some(DealAmount), "-5", AmountInvalid),
            (10, Some(DealCloseDate), "31.02.2026", DateInvalid),
            (11, Some(DealStage), "Согласование", StageUnknown),
            (12, Some(Owner), "boss@pacer.demo", OwnerUnknown),
            (13, Some(ClientNotes), clipped.as_str(), TooLong),
            (14, Some(ClientName), clipped_name.as_str(), TooLong),
            (15, Some(NextStep), clipped.as_str(), TooLong),
        ]);
        // Only the good row made anything.
        assert_eq!(p.clients.iter().map(|c| c.client.name.as_str()).collect::<Vec<_>>(), vec!["ООО Бета"]);
        assert_eq!(p.deals, vec![]);
    }

    #[test]
    fn all_problems_of_one_row_are_reported() {
        let p = run(";123;;;12;x@;;;abc;Нет такого;99.99.2026;;никто;\n");
        let reasons: Vec<RowProblem> = p.errors.iter().map(|e| e.reason).collect();
        use RowProblem::*;
        assert_eq!(reasons, vec![OwnerUnknown, NameMissing, InnInvalid, PhoneInvalid, EmailInvalid, AmountInvalid, StageUnknown, DateInvalid]);
        assert!(p.errors.iter().all(|e| e.line == 2));
        assert_eq!((p.clients.len(), p.deals.len()), (0, 0));
    }

    #[test]
    fn a_client_name_column_is_required() {
        let table = parse("ИНН;Сумма\n7707083893;100\n").unwrap();
        let p = prepare(&table, &suggest(&table.headers), &ctx());
        assert_eq!(p, Prepared {
            clients: vec![],
            deals: vec![],
            errors: vec![RowError { line: 0, field: Some(Field::ClientName), value: String::new(), reason: RowProblem::NoClientColumn }],
        });
    }

    #[test]
    fn several_columns_for_one_field_take_the_first_non_empty() {
        let table = parse("Компания;Рабочий телефон;Мобильный телефон\nA;;+7 916 000-00-00\nB;+7 495 000-00-00;+7 916 000-00-00\n").unwrap();
        let mapping = [Some(Field::ClientName), Some(Field::Phone), Some(Field::Phone)];
        let p = prepare(&table, &mapping, &ctx());
        let phones: Vec<&str> = p.clients.iter().map(|c| c.client.contact_phone.as_str()).collect();
        assert_eq!(phones, vec!["+7 916 000-00-00", "+7 495 000-00-00"]);
        // A short mapping leaves the remaining columns unmapped.
        let p = prepare(&table, &[Some(Field::ClientName)], &ctx());
        assert!(p.errors.is_empty() && p.clients.iter().all(|c| c.client.contact_phone.is_empty()));
    }

    #[test]
    fn an_empty_stage_with_no_pipeline_is_unknown() {
        let table = parse("Компания;Сумма\nA;100\n").unwrap();
        let p = prepare(&table, &suggest(&table.headers), &Context { default_owner: "u".into(), ..Context::default() });
        assert_eq!(problems(&p), vec![(2, Some(Field::DealStage), "", RowProblem::StageUnknown)]);
    }

    // --- the fixture files ---

    /// Pacer's default pipeline as it is named in Russian.
    fn pacer_ctx() -> Context {
        let stages = ["Новая", "Квалификация", "Предложение", "Переговоры", "Счёт выставлен", "Выиграна", "Проиграна"];
        let codes = ["new", "qualified", "proposal", "negotiation", "invoice", "won", "lost"];
        let users = [
            ("admin@pacer.demo", "Алексей Воронин"),
            ("head@pacer.demo", "Сергей Петров"),
            ("anna@pacer.demo", "Анна Смирнова"),
            ("dmitry@pacer.demo", "Дмитрий Козлов"),
            ("ekaterina@pacer.demo", "Екатерина Волкова"),
            ("igor@pacer.demo", "Игорь Морозов"),
            ("olga@pacer.demo", "Ольга Новикова"),
        ];
        Context {
            stages: stages.iter().zip(codes).map(|(n, c)| (n.to_string(), c.to_string())).collect(),
            owners: users
                .iter()
                .map(|(email, name)| (strings(&[email, name]), email.split('@').next().unwrap().to_string()))
                .collect(),
            default_owner: "head".into(),
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        }
    }

    fn load(bytes: &[u8]) -> (Table, Vec<Option<Field>>) {
        let table = parse(&decode(bytes)).unwrap();
        let mapping = suggest(&table.headers);
        (table, mapping)
    }

    #[test]
    fn fixture_amocrm_deals_export() {
        let bytes = include_bytes!("../../../server/tests/fixtures/amocrm-deals.csv");
        assert!(String::from_utf8(bytes.to_vec()).is_err(), "the fixture is Windows-1251");
        let (table, mapping) = load(bytes);
        use Field::*;
        assert_eq!(mapping, vec![
            None, // ID
            Some(DealTitle),
            Some(DealAmount),
            Some(Owner),
            None, // Дата создания
            Some(DealStage),
            None, // Воронка
            None, // Теги
            Some(ClientName),
            Some(Inn),
            Some(ContactName),
            Some(ContactPosition),
            Some(Phone),
            Some(Email),
            Some(ClientNotes),
            Some(DealCloseDate),
            Some(DealSource),
            Some(LossReason),
        ]);
        assert_eq!(table.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 5, 6, 7, 8, 9]);
        let p = prepare(&table, &mapping, &pacer_ctx());
        assert_eq!(p.errors, vec![]);
        let clients: Vec<(&str, Option<&str>, &str, usize)> =
            p.clients.iter().map(|c| (c.client.name.as_str(), c.client.inn.as_deref(), c.owner_id.as_str(), c.line)).collect();
        assert_eq!(clients, vec![
            ("ООО «Вектор»", Some("7728145300"), "anna", 2),
            ("АО «Уралтехснаб»", Some("6671029383"), "dmitry", 3),
            ("ООО «Медтех Плюс»", Some("7816450720"), "ekaterina", 6),
            ("ООО «Северный ветер»", Some("5406318273"), "head", 8),
        ]);
        let vektor = &p.clients[0];
        assert_eq!(
            (vektor.client.contact_name.as_str(), vektor.client.contact_phone.as_str(), vektor.client.contact_email.as_str()),
            ("Иван Кузнецов", "+7 (916) 123-45-67", "i.kuznetsov@vektor-it.ru"),
        );
        assert_eq!(p.clients[1].client.notes, "Звонить после 14:00; пятница не подходит\nОплата только по счёту");
        type DealLine<'a> = (usize, &'a str, i64, &'a str, Option<NaiveDate>, &'a str, usize);
        let deals: Vec<DealLine> = p
            .deals
            .iter()
            .map(|d| {
                (d.client_key, d.title.as_str(), d.amount.kopecks() / 100, d.stage_id.as_str(), d.expected_close_on, d.owner_id.as_str(), d.line)
            })
            .collect();
        assert_eq!(deals, vec![
            (0, "Поставка серверов", 1_250_000, "new", Some(date(2026, 2, 28)), "anna", 2),
            (1, "Обслуживание парка ККТ", 150_000, "qualified", Some(date(2026, 3, 15)), "dmitry", 3),
            (0, "Лицензии 1С на 25 мест", 320_000, "invoice", Some(date(2026, 2, 10)), "anna", 5),
            (2, "Оснащение лаборатории", 2_400_000, "negotiation", Some(date(2026, 4, 30)), "ekaterina", 6),
            (1, "Годовой контракт на сервис", 780_000, "won", Some(date(2025, 12, 25)), "igor", 7),
            (3, "Видеонаблюдение на складе", 95_000, "proposal", None, "head", 8),
            (2, "Шумоизоляция переговорных", 430_000, "lost", Some(date(2026, 3, 20)), "ekaterina", 9),
        ]);
        assert_eq!(p.deals[6].loss_reason, "Выбрали подрядчика дешевле");
        assert!(p.deals[..6].iter().all(|d| d.loss_reason.is_empty()));
        assert_eq!(p.deals[2].amount, Money::from_kopecks(32_000_050));
        assert_eq!(p.deals[0].source, "Сайт");
    }

    #[test]
    fn fixture_bitrix24_companies_export() {
        let bytes = include_bytes!("../../../server/tests/fixtures/bitrix24-companies.csv");
        assert!(String::from_utf8(bytes.to_vec()).is_err(), "the fixture is Windows-1251");
        let (table, mapping) = load(bytes);
        use Field::*;
        assert_eq!(mapping, vec![
            None, // ID
            Some(ClientName),
            None, // Тип компании
            Some(Inn),
            Some(Phone),
            None, // Мобильный телефон: the phone is taken
            Some(Email),
            Some(Owner),
            None, // Дата создания
            Some(ClientNotes),
        ]);
        let p = prepare(&table, &mapping, &pacer_ctx());
        assert_eq!(p.errors, vec![]);
        assert_eq!(p.deals, vec![]);
        let clients: Vec<(&str, Option<&str>, &str, &str)> =
            p.clients.iter().map(|c| (c.client.name.as_str(), c.client.inn.as_deref(), c.client.contact_phone.as_str(), c.owner_id.as_str())).collect();
        assert_eq!(clients, vec![
            ("ООО «Ромашка»", Some("7715432107"), "+7 (495) 777-12-34", "anna"),
            ("ИП Соколов Андрей Викторович", Some("502412345682"), "8 (498) 520-11-22", "dmitry"),
            ("ООО «Стройресурс»", Some("5260173950"), "+7 831 415-90-00", "olga"),
            ("АО «Кубань Агро»", Some("2310098769"), "", "igor"),
            ("ООО «Ёлка Девелопмент»", None, "+7 (495) 640-00-01", "ekaterina"),
        ]);
        assert_eq!(p.clients[3].client.notes, "Сезонные закупки: март — май");
        // Mapping the mobile column to the phone too fills the gap.
        let mut both = mapping.clone();
        both[5] = Some(Phone);
        assert_eq!(prepare(&table, &both, &pacer_ctx()).clients[3].client.contact_phone, "+7 (918) 455-67-89");
    }

    #[test]
    fn fixture_broken_file_is_refused_row_by_row() {
        let bytes = include_bytes!("../../../server/tests/fixtures/broken.csv");
        let (table, mapping) = load(bytes);
        let p = prepare(&table, &mapping, &pacer_ctx());
        use Field::*;
        use RowProblem::*;
        assert_eq!(problems(&p), vec![
            (2, Some(Inn), "7707083894", InnInvalid),
            (3, Some(DealStage), "Согласование", StageUnknown),
            (4, Some(DealAmount), "сто тысяч", AmountInvalid),
            (5, Some(DealCloseDate), "31.02.2026", DateInvalid),
        ]);
        assert_eq!(p.clients.iter().map(|c| c.client.name.as_str()).collect::<Vec<_>>(), vec!["ООО «Эпсилон»"]);
        assert_eq!(p.deals.len(), 1);
    }
}
