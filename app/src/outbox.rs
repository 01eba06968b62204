//! The outbox: the one way the app writes a change to a deal, a client, a report or
//! a goal's count, whoever makes it (the board's moves too). A change becomes a
//! [`Mutation`] with its own id, is kept in the device's storage at once (so a reload
//! or a closed browser loses nothing), shows as pending, and is sent to
//! `POST /api/sync/push` in order whenever the network allows. Each answer settles
//! it: applied changes leave the outbox, conflicts wait for the person's choice,
//! rejections stay visible until dismissed.
//!
//! [`Outbox`] is the pure queue (tested here); [`OutboxCtx`] binds it to the page,
//! the storage and the network in the browser.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::sync::{Answer, Change, Mutation, MutationResult};
use crate::domain::{DealId, MutationId, UserId};

/// What became of a queued change so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting to be sent (or sent without an answer yet).
    #[default]
    Pending,
    /// The server holds another value of a guarded field: the person chooses.
    Conflict { field: String, yours: serde_json::Value, theirs: serde_json::Value },
    /// Never to be applied; shown with the reason until dismissed.
    Rejected { message: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub mutation: Mutation,
    pub queued_at: DateTime<Utc>,
    #[serde(default)]
    pub state: EntryState,
}

impl Entry {
    pub fn is_pending(&self) -> bool {
        self.state == EntryState::Pending
    }

    /// The deal this change concerns, if any.
    pub fn deal(&self) -> Option<DealId> {
        match &self.mutation.change {
            Change::SetDealStage { deal_id, .. }
            | Change::SetDealAmount { deal_id, .. }
            | Change::SetNextStep { deal_id, .. }
            | Change::LogActivity { deal_id, .. }
            | Change::RecordPayment { deal_id, .. }
            | Change::ExpectPayment { deal_id, .. }
            | Change::CreateDeal { deal_id, .. } => Some(*deal_id),
            _ => None,
        }
    }
}

/// One person's queued changes on this device, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub entries: Vec<Entry>,
    /// When a push last came back answered.
    pub last_synced: Option<DateTime<Utc>>,
}

impl Outbox {
    /// Queues a change; returns its mutation id.
    pub fn queue(&mut self, change: Change, base_version: Option<i64>, now: DateTime<Utc>) -> MutationId {
        let id = MutationId::new();
        self.entries.push(Entry { mutation: Mutation { id, base_version, change }, queued_at: now, state: EntryState::Pending });
        id
    }

    pub fn pending(&self) -> usize {
        self.entries.iter().filter(|e| e.is_pending()).count()
    }

    /// Conflicts and rejections: what needs the person's attention.
    pub fn attention(&self) -> usize {
        self.entries.len() - self.pending()
    }

    /// The next changes to send, in the order they were made.
    pub fn batch(&self, max: usize) -> Vec<Mutation> {
        self.entries.iter().filter(|e| e.is_pending()).take(max).map(|e| e.mutation.clone()).collect()
    }

    /// Takes the server's answers in. An applied change leaves; a conflict or a
    /// rejection stays, marked; a change without an answer stays pending. Returns
    /// how many were applied.
    pub fn settle(&mut self, results: &[MutationResult], now: DateTime<Utc>) -> usize {
        let mut applied = 0;
        for result in results {
            let Some(at) = self.entries.iter().position(|e| e.mutation.id == result.id && e.is_pending()) else { continue };
            match result.answer.first() {
                Answer::Applied { .. } => {
                    self.entries.remove(at);
                    applied += 1;
                }
                Answer::Conflict { field, yours, theirs, .. } => {
                    self.entries[at].state = EntryState::Conflict { field: field.clone(), yours: yours.clone(), theirs: theirs.clone() };
                }
                Answer::Rejected { message, .. } => self.entries[at].state = EntryState::Rejected { message: message.clone() },
                Answer::Duplicate { .. } => {}
            }
        }
        self.last_synced = Some(now);
        applied
    }

    /// Drops a conflict ("take theirs") or a rejection the person has read.
    pub fn dismiss(&mut self, id: MutationId) {
        self.entries.retain(|e| e.mutation.id != id || e.is_pending());
    }

    /// "Keep mine": the conflicting change again, as a new mutation made against the
    /// server's value, at the end of the queue.
    pub fn keep_mine(&mut self, id: MutationId, now: DateTime<Utc>) -> Option<MutationId> {
        let at = self.entries.iter().position(|e| e.mutation.id == id)?;
        let EntryState::Conflict { theirs, .. } = self.entries[at].state.clone() else { return None };
        let entry = self.entries.remove(at);
        let change = match entry.mutation.change {
            Change::SetDealStage { deal_id, stage_id, loss_reason, .. } => {
                Change::SetDealStage { deal_id, stage_id, loss_reason, seen_stage_id: theirs.as_str().map(str::to_string) }
            }
            Change::SetDealAmount { deal_id, amount, .. } => {
                Change::SetDealAmount { deal_id, amount, seen_amount: theirs.as_i64().map(crate::domain::Money::from_kopecks) }
            }
            other => other,
        };
        Some(self.queue(change, None, now))
    }

    /// The changes of one deal still waiting, oldest first.
    pub fn for_deal(&self, deal: DealId) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.deal() == Some(deal))
    }
}

/// A deal as this device will show it once its waiting changes land: laid over the
/// server's data, each part marked pending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DealOverlay {
    pub stage: Option<String>,
    pub amount: Option<crate::domain::Money>,
    pub next_step: Option<(String, Option<chrono::NaiveDate>)>,
    pub received: Vec<(crate::domain::Money, chrono::NaiveDate)>,
    pub expected: Vec<(crate::domain::Money, chrono::NaiveDate)>,
    pub activities: Vec<(crate::domain::deal::ActivityKind, String)>,
}

impl DealOverlay {
    /// The pending changes of `deal`, in the order they were made (later wins).
    pub fn of(outbox: &Outbox, deal: DealId) -> DealOverlay {
        let mut o = DealOverlay::default();
        for e in outbox.for_deal(deal).filter(|e| e.is_pending()) {
            match &e.mutation.change {
                Change::SetDealStage { stage_id, .. } => o.stage = Some(stage_id.clone()),
                Change::SetDealAmount { amount, .. } => o.amount = Some(*amount),
                Change::SetNextStep { next_step, due_on, .. } => o.next_step = Some((next_step.trim().to_string(), *due_on)),
                Change::RecordPayment { amount, received_on, .. } => o.received.push((*amount, *received_on)),
                Change::ExpectPayment { amount, due_on, .. } => o.expected.push((*amount, *due_on)),
                Change::LogActivity { activity, body, .. } => o.activities.push((*activity, body.trim().to_string())),
                _ => {}
            }
        }
        o
    }

    pub fn is_empty(&self) -> bool {
        *self == DealOverlay::default()
    }
}

/// Where a person's outbox lives in the device's storage: per person, so signing in
/// as someone else never sends another's changes, and signing back in finds them.
pub fn storage_key(user: UserId) -> String {
    format!("pacer.outbox.v1.{user}")
}

/// The form fields of a submitted form, by name (the browser reads them).
#[derive(Clone, Debug, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// An amount of money as typed, or the field's error.
    pub fn money(&self, name: &str) -> Result<crate::domain::Money, crate::api::ApiError> {
        crate::domain::Money::parse(&self.get(name)).map_err(|_| crate::api::ApiError::invalid(name, crate::i18n::Msg::ErrAmountInvalid))
    }

    /// A date from a date input, or the field's error.
    pub fn date(&self, name: &str) -> Result<chrono::NaiveDate, crate::api::ApiError> {
        chrono::NaiveDate::parse_from_str(self.get(name).trim(), "%Y-%m-%d")
            .map_err(|_| crate::api::ApiError::invalid(name, crate::i18n::Msg::ErrDateInvalid))
    }

    /// A date that may be left empty.
    pub fn optional_date(&self, name: &str) -> Result<Option<chrono::NaiveDate>, crate::api::ApiError> {
        if self.get(name).trim().is_empty() { Ok(None) } else { self.date(name).map(Some) }
    }
}

pub use ctx::*;

mod ctx {
    use leptos::prelude::*;

    use super::*;

    /// The outbox as the page sees it. On the server it stays empty: local changes
    /// are laid over server data only after hydration, from an effect.
    #[derive(Clone, Copy)]
    pub struct OutboxCtx {
        pub state: RwSignal<Outbox>,
        /// Bumped when a push was answered: pages showing server data reload it (an
        /// applied change, or a conflict's server value).
        pub synced: RwSignal<u64>,
        /// The session ended while changes wait: sign in again to send them.
        pub needs_login: RwSignal<bool>,
        user: Option<UserId>,
    }

    /// Makes the outbox available to every page, and in the browser starts sending.
    pub fn provide_outbox(user: Option<UserId>) {
        let ctx =
            OutboxCtx { state: RwSignal::new(Outbox::default()), synced: RwSignal::new(0), needs_login: RwSignal::new(false), user };
        provide_context(ctx);
        #[cfg(feature = "hydrate")]
        if user.is_some() {
            Effect::new(move |_| browser::start(ctx));
        }
    }

    pub fn use_outbox() -> OutboxCtx {
        use_context::<OutboxCtx>().expect("the outbox is provided by App")
    }

    impl OutboxCtx {
        /// Queues a change, keeps it, shows it and tries to send it.
        pub fn submit(&self, change: Change, base_version: Option<i64>) {
            self.update(|outbox, now| {
                outbox.queue(change, base_version, now);
            });
        }

        pub fn dismiss(&self, id: MutationId) {
            self.update(|outbox, _| outbox.dismiss(id));
        }

        pub fn keep_mine(&self, id: MutationId) {
            self.update(|outbox, now| {
                outbox.keep_mine(id, now);
            });
        }

        /// Changes the stored outbox (read fresh: another tab may have written it),
        /// then the page's copy, then sends.
        fn update(&self, change: impl FnOnce(&mut Outbox, DateTime<Utc>)) {
            let Some(user) = self.user else { return };
            #[cfg(feature = "hydrate")]
            {
                let mut outbox = browser::load(user);
                change(&mut outbox, browser::now());
                browser::save(user, &outbox);
                self.state.set(outbox);
                browser::flush(*self);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (user, change);
        }
    }

    /// Reads a submitted form's fields.
    pub fn fields(ev: &leptos::ev::SubmitEvent) -> Fields {
        #[cfg(feature = "hydrate")]
        {
            browser::fields(ev)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = ev;
            Fields::default()
        }
    }

    /// Empties a submitted form after its change was queued.
    pub fn reset(ev: &leptos::ev::SubmitEvent) {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) {
                form.reset();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    }

    /// A moment as the device's clock shows it (hours and minutes).
    pub fn local_time(t: DateTime<Utc>) -> String {
        #[cfg(feature = "hydrate")]
        let t = t - chrono::Duration::minutes(js_sys::Date::new_0().get_timezone_offset() as i64);
        t.format("%H:%M").to_string()
    }

    /// Today on the device: a change made offline is dated by the phone's calendar.
    pub fn device_today(fallback: chrono::NaiveDate) -> chrono::NaiveDate {
        #[cfg(feature = "hydrate")]
        {
            let d = js_sys::Date::new_0();
            chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).map_or(fallback, |t| t.max(fallback))
        }
        #[cfg(not(feature = "hydrate"))]
        fallback
    }

    #[cfg(feature = "hydrate")]
    mod browser {
        //! Storage, the sending loop and its triggers.

        use gloo_storage::{LocalStorage, Storage};
        use leptos::prelude::*;
        use wasm_bindgen::JsCast;

        use super::super::{Fields, Outbox, storage_key};
        use super::OutboxCtx;
        use crate::api::sync::{MAX_BATCH, PushRequest, PushResponse, SCHEMA};
        use crate::domain::UserId;

        /// Who sends: one tab at a time holds this lease.
        const LOCK_KEY: &str = "pacer.outbox.lock";
        const LEASE_MS: f64 = 30_000.0;
        /// How often a tab with waiting changes tries again.
        const RETRY_MS: u64 = 20_000;

        pub fn now() -> chrono::DateTime<chrono::Utc> {
            chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
        }

        pub fn load(user: UserId) -> Outbox {
            LocalStorage::get(storage_key(user)).unwrap_or_default()
        }

        pub fn save(user: UserId, outbox: &Outbox) {
            if let Err(e) = LocalStorage::set(storage_key(user), outbox) {
                leptos::logging::warn!("outbox not saved: {e}");
            }
        }

        pub fn fields(ev: &leptos::ev::SubmitEvent) -> Fields {
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return Fields::default() };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else { return Fields::default() };
            let mut out = Vec::new();
            if let Ok(Some(entries)) = js_sys::try_iter(&data.entries()) {
                for pair in entries.flatten() {
                    let pair = js_sys::Array::from(&pair);
                    if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                        out.push((k, v));
                    }
                }
            }
            Fields(out)
        }

        fn online() -> bool {
            web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(false)
        }

        thread_local! {
            static TAB: String = crate::domain::MutationId::new().to_string();
            static SENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }

        /// Takes the sending lease unless another tab holds a live one.
        fn take_lease() -> bool {
            let tab = TAB.with(|t| t.clone());
            let now = js_sys::Date::now();
            if let Ok((holder, until)) = LocalStorage::get::<(String, f64)>(LOCK_KEY) {
                if holder != tab && until > now {
                    return false;
                }
            }
            LocalStorage::set(LOCK_KEY, (&tab, now + LEASE_MS)).is_ok()
                && LocalStorage::get::<(String, f64)>(LOCK_KEY).is_ok_and(|(holder, _)| holder == tab)
        }

        fn release_lease() {
            let tab = TAB.with(|t| t.clone());
            if LocalStorage::get::<(String, f64)>(LOCK_KEY).is_ok_and(|(holder, _)| holder == tab) {
                LocalStorage::delete(LOCK_KEY);
            }
        }

        /// Loads the outbox and sends on: start, the network coming back, the page
        /// becoming visible, a timer, and another tab changing the outbox.
        pub fn start(ctx: OutboxCtx) {
            let Some(user) = ctx.user else { return };
            ctx.state.set(load(user));
            flush(ctx);
            let handles = [
                window_event_listener(leptos::ev::online, move |_| flush(ctx)),
                window_event_listener(leptos::ev::focus, move |_| flush(ctx)),
                window_event_listener(leptos::ev::pageshow, move |_| flush(ctx)),
                // Another tab queued or sent: show the same outbox here.
                window_event_listener(leptos::ev::storage, move |ev| {
                    if ev.key().as_deref() == Some(storage_key(user).as_str()) {
                        ctx.state.set(load(user));
                    }
                }),
            ];
            let visible = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                if document().visibility_state() == web_sys::VisibilityState::Visible {
                    flush(ctx);
                }
            });
            let _ = document().add_event_listener_with_callback("visibilitychange", visible.as_ref().unchecked_ref());
            visible.forget();
            let timer = set_interval_with_handle(move || flush(ctx), std::time::Duration::from_millis(RETRY_MS)).ok();
            on_cleanup(move || {
                for h in handles {
                    h.remove();
                }
                if let Some(t) = timer {
                    t.clear();
                }
            });
        }

        /// Sends what waits, batch after batch, if online and no other tab is at it.
        pub fn flush(ctx: OutboxCtx) {
            let Some(user) = ctx.user else { return };
            if !online() || SENDING.with(|s| s.get()) || load(user).pending() == 0 {
                return;
            }
            if !take_lease() {
                return;
            }
            SENDING.with(|s| s.set(true));
            leptos::task::spawn_local(async move {
                let mut answered = false;
                loop {
                    let batch = load(user).batch(MAX_BATCH.min(200));
                    if batch.is_empty() {
                        break;
                    }
                    match send(&batch).await {
                        Sent::Answered(res) => {
                            // Read again: a change may have been queued while this was on the way.
                            let mut outbox = load(user);
                            outbox.settle(&res.results, now());
                            answered = true;
                            save(user, &outbox);
                            ctx.state.set(outbox);
                            ctx.needs_login.set(false);
                        }
                        Sent::SignedOut => {
                            ctx.needs_login.set(true);
                            break;
                        }
                        Sent::Failed => break,
                    }
                }
                release_lease();
                SENDING.with(|s| s.set(false));
                if answered {
                    ctx.synced.update(|n| *n += 1);
                    // The service worker keeps fresh copies of the pages for offline use.
                    if let Ok(event) = web_sys::Event::new("pacer:synced") {
                        let _ = document().dispatch_event(&event);
                    }
                }
            });
        }

        enum Sent {
            Answered(PushResponse),
            SignedOut,
            Failed,
        }

        async fn send(batch: &[crate::api::sync::Mutation]) -> Sent {
            let body = PushRequest { schema: SCHEMA, mutations: batch.to_vec() };
            let Ok(request) = gloo_net::http::Request::post("/api/sync/push").json(&body) else { return Sent::Failed };
            match request.send().await {
                Ok(res) if res.status() == 401 => Sent::SignedOut,
                Ok(res) if res.ok() => res.json::<PushResponse>().await.map_or(Sent::Failed, Sent::Answered),
                _ => Sent::Failed,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::sync::Reason;
    use crate::domain::Money;
    use proptest::prelude::*;

    fn note(deal: DealId, body: &str) -> Change {
        Change::LogActivity { deal_id: deal, activity: crate::domain::deal::ActivityKind::Note, body: body.into() }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn answer(id: MutationId, answer: Answer) -> MutationResult {
        MutationResult { id, answer }
    }

    #[test]
    fn applied_changes_leave_and_conflicts_and_rejections_stay_marked() {
        let deal = DealId::new();
        let mut outbox = Outbox::default();
        let a = outbox.queue(note(deal, "a"), None, now());
        let b = outbox.queue(Change::SetDealStage { deal_id: deal, stage_id: "s2".into(), loss_reason: String::new(), seen_stage_id: Some("s1".into()) }, Some(3), now());
        let c = outbox.queue(note(deal, "c"), None, now());
        let d = outbox.queue(note(deal, "d"), None, now());
        let results = [
            answer(a, Answer::Applied { version: Some(4) }),
            answer(b, Answer::Conflict { field: "stage_id".into(), yours: "s2".into(), theirs: "s3".into(), row: serde_json::Value::Null }),
            answer(c, Answer::Rejected { reason: Reason::NotFound, field: None, msg: None, message: "нет".into() }),
        ];
        assert_eq!(outbox.settle(&results, now()), 1);
        assert_eq!(outbox.pending(), 1, "d had no answer yet");
        assert_eq!(outbox.attention(), 2);
        assert_eq!(outbox.batch(10).iter().map(|m| m.id).collect::<Vec<_>>(), vec![d]);
        // Keep mine: sent again against the server's value.
        let again = outbox.keep_mine(b, now()).unwrap();
        let m = outbox.batch(10).into_iter().find(|m| m.id == again).unwrap();
        assert!(matches!(m.change, Change::SetDealStage { seen_stage_id: Some(ref s), .. } if s == "s3"));
        outbox.dismiss(c);
        assert_eq!(outbox.attention(), 0);
        assert_eq!(outbox.pending(), 2);
    }

    #[test]
    fn a_duplicate_of_an_applied_change_counts_as_applied() {
        let mut outbox = Outbox::default();
        let a = outbox.queue(Change::SetDealAmount { deal_id: DealId::new(), amount: Money::from_rubles(5), seen_amount: None }, None, now());
        let dup = Answer::Duplicate { first: Box::new(Answer::Applied { version: Some(2) }) };
        outbox.settle(&[answer(a, dup)], now());
        assert!(outbox.entries.is_empty());
        assert_eq!(outbox.last_synced, Some(now()));
    }

    #[test]
    fn a_deal_shows_its_waiting_changes_the_latest_winning() {
        let deal = DealId::new();
        let mut outbox = Outbox::default();
        let stage = |s: &str| Change::SetDealStage { deal_id: deal, stage_id: s.into(), loss_reason: String::new(), seen_stage_id: None };
        outbox.queue(stage("s2"), None, now());
        outbox.queue(stage("s3"), None, now());
        outbox.queue(note(deal, " звонил "), None, now());
        outbox.queue(note(DealId::new(), "другая сделка"), None, now());
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        outbox.queue(Change::RecordPayment { deal_id: deal, amount: Money::from_rubles(100), received_on: day, confirm_lost: false }, None, now());
        let o = DealOverlay::of(&outbox, deal);
        assert_eq!(o.stage.as_deref(), Some("s3"));
        assert_eq!(o.activities, vec![(crate::domain::deal::ActivityKind::Note, "звонил".to_string())]);
        assert_eq!(o.received, vec![(Money::from_rubles(100), day)]);
        assert!(DealOverlay::of(&outbox, DealId::new()).is_empty());
    }

    #[test]
    fn the_outbox_survives_storage_as_json() {
        let mut outbox = Outbox::default();
        outbox.queue(note(DealId::new(), "заметка"), Some(1), now());
        let back: Outbox = serde_json::from_str(&serde_json::to_string(&outbox).unwrap()).unwrap();
        assert_eq!(back, outbox);
    }

    proptest! {
        /// Whatever the server answers, in whatever part: nothing pending is lost,
        /// nothing is sent out of order, and only applied changes leave.
        #[test]
        fn settling_keeps_order_and_loses_nothing(n in 1usize..20, answers in proptest::collection::vec((0usize..20, 0u8..4), 0..30)) {
            let deal = DealId::new();
            let mut outbox = Outbox::default();
            let ids: Vec<MutationId> = (0..n).map(|i| outbox.queue(note(deal, &i.to_string()), None, now())).collect();
            let results: Vec<MutationResult> = answers.iter().filter(|(i, _)| *i < n).map(|(i, kind)| answer(ids[*i], match kind {
                0 => Answer::Applied { version: None },
                1 => Answer::Rejected { reason: Reason::Invalid, field: None, msg: None, message: "x".into() },
                2 => Answer::Conflict { field: "amount".into(), yours: 1.into(), theirs: 2.into(), row: serde_json::Value::Null },
                _ => Answer::Duplicate { first: Box::new(Answer::Applied { version: None }) },
            })).collect();
            let before = outbox.clone();
            let applied = outbox.settle(&results, now());
            prop_assert_eq!(before.entries.len(), outbox.entries.len() + applied);
            // The remaining entries keep their order.
            let order: Vec<usize> = outbox.entries.iter().map(|e| ids.iter().position(|i| *i == e.mutation.id).unwrap()).collect();
            prop_assert!(order.windows(2).all(|w| w[0] < w[1]));
            // An entry with no answer is still pending.
            for e in &outbox.entries {
                if !results.iter().any(|r| r.id == e.mutation.id) {
                    prop_assert!(e.is_pending());
                }
            }
        }
    }
}
