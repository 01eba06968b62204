//! The UI's words in Russian and English. Every user-visible string lives here;
//! components ask for a [`Msg`] and never spell text themselves.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ru,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ru, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Locale::Ru),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the first supported language from an `Accept-Language` header, honouring
    /// q-values; Russian when nothing matches (Pacer's users are Russian-speaking teams).
    pub fn from_accept_language(header: &str) -> Locale {
        let mut choices: Vec<(f32, usize, Locale)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let locale = Locale::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, locale))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        choices.first().map(|c| c.2).unwrap_or_default()
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Ru => "Русский",
            Locale::En => "English",
        }
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }
}

macro_rules! messages {
    ($($key:ident => $ru:literal, $en:literal;)*) => {
        /// A message key. Keys travel in API errors, so the client renders them in the
        /// user's language; on the wire a key is its name (`"ErrDateInFuture"`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];
            const KEYS: &'static [&'static str] = &[$(stringify!($key)),*];

            /// The key's name, as it travels.
            pub fn key(self) -> &'static str {
                Msg::KEYS[self as usize]
            }

            pub fn from_key(key: &str) -> Option<Msg> {
                Msg::KEYS.iter().position(|k| *k == key).map(|i| Msg::ALL[i])
            }

            pub fn text(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $(
                        (Msg::$key, Locale::Ru) => $ru,
                        (Msg::$key, Locale::En) => $en,
                    )*
                }
            }
        }
    };
}

// Written by hand: serde's derive for an enum of several hundred keys put over 100 KB
// of matching code into the browser bundle; a table lookup does the same.
impl Serialize for Msg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Msg {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Msg, D::Error> {
        let key = String::deserialize(deserializer)?;
        Msg::from_key(&key).ok_or_else(|| serde::de::Error::unknown_variant(&key, &[]))
    }
}

messages! {
    AppName => "Pacer", "Pacer";
    AppTagline => "Темп отдела продаж", "Your sales team's pace";
    // Navigation
    NavHome => "Главная", "Home";
    NavProfile => "Профиль", "Profile";
    NavAdmin => "Администрирование", "Administration";
    NavAdminShort => "Админ", "Admin";
    NavLogout => "Выйти", "Sign out";
    Language => "Язык", "Language";
    // Offline sync
    PendingMark => "ждёт отправки", "waiting to send";
    SyncPending => "Ждут отправки", "Waiting to send";
    SyncAllSent => "Все изменения отправлены", "All changes sent";
    SyncedAt => "синхронизировано в", "synced at";
    SyncSignInAgain => "Сессия закончилась. Изменения сохранены на устройстве и уйдут после входа.", "Your session has ended. Your changes are kept on this device and will be sent after you sign in.";
    SyncAttention => "Не приняты сервером", "Not accepted by the server";
    ConflictTitle => "Это успели изменить до вас:", "Someone changed this before you did:";
    ConflictYours => "У вас", "Yours";
    ConflictTheirs => "На сервере", "On the server";
    KeepMine => "Оставить моё", "Keep mine";
    TakeTheirs => "Взять с сервера", "Take theirs";
    RejectedTitle => "Не принято:", "Not accepted:";
    DismissNotice => "Скрыть", "Dismiss";
    ChangeAmount => "Сумма сделки", "Deal amount";
    ReportWaiting => "Отчёт сохранён на устройстве и уйдёт, когда появится связь.", "The report is kept on this device and will be sent when you are online.";
    ClientWaiting => "Клиент сохранён на устройстве и появится после отправки.", "The client is kept on this device and will appear once sent.";
    GoalCheckIn => "Отметка по цели", "Goal check-in";
    // Login
    LoginTitle => "Вход", "Sign in";
    LoginSubtitle => "Войдите, чтобы увидеть план, сделки и оплаты.", "Sign in to see your plan, deals and payments.";
    Email => "Эл. почта", "Email";
    Password => "Пароль", "Password";
    LoginButton => "Войти", "Sign in";
    LoginInProgress => "Входим…", "Signing in…";
    ErrBadCredentials => "Неверная почта или пароль.", "Wrong email or password.";
    ErrTooManyAttempts => "Слишком много неудачных попыток. Попробуйте снова через несколько минут.", "Too many failed attempts. Try again in a few minutes.";
    ErrEmailEmpty => "Укажите эл. почту.", "Enter an email address.";
    ErrEmailMalformed => "Это не похоже на адрес эл. почты.", "This doesn't look like an email address.";
    ErrEmailTaken => "Пользователь с такой почтой уже есть.", "A user with this email already exists.";
    ErrPasswordEmpty => "Введите пароль.", "Enter your password.";
    ErrPasswordTooShort => "Пароль должен быть не короче 8 символов.", "The password must be at least 8 characters long.";
    ErrPasswordTooLong => "Пароль должен быть не длиннее 128 символов.", "The password must be at most 128 characters long.";
    ErrPasswordMismatch => "Пароли не совпадают.", "The passwords do not match.";
    ErrCurrentPasswordWrong => "Текущий пароль указан неверно.", "The current password is wrong.";
    ErrNameEmpty => "Укажите имя (до 100 символов).", "Enter a name (up to 100 characters).";
    ErrDepartmentRequired => "Выберите отдел: руководитель и менеджер работают в отделе.", "Choose a department: heads and managers work in one.";
    ErrDepartmentTaken => "Отдел с таким названием уже есть.", "A department with this name already exists.";
    ErrRoleInvalid => "Выберите роль.", "Choose a role.";
    ErrCannotDeactivateSelf => "Нельзя отключить собственную учётную запись.", "You cannot deactivate your own account.";
    ErrUnauthenticated => "Сессия истекла. Войдите снова.", "Your session has expired. Please sign in again.";
    ErrForbidden => "Недостаточно прав для этого действия.", "You are not allowed to do this.";
    ErrNotFound => "Не найдено.", "Not found.";
    ErrSyncGone => "Недоступно: запись удалили или передали другому сотруднику.", "Unavailable: the record was deleted or handed to someone else.";
    ErrSyncForbidden => "Это изменение вам не разрешено.", "You may not make this change.";
    ErrSyncMalformed => "Изменение не удалось прочитать: обновите приложение.", "The change could not be read: update the app.";
    ErrIdTaken => "Запись с таким идентификатором уже есть.", "A record with this id already exists.";
    ErrChangedMeanwhile => "Пока вы были без связи, это изменил кто-то другой.", "Someone else changed this while you were offline.";
    ErrInternal => "Что-то пошло не так. Попробуйте ещё раз.", "Something went wrong. Please try again.";
    ErrNetwork => "Нет связи с сервером. Проверьте подключение и попробуйте снова.", "Cannot reach the server. Check your connection and try again.";
    // Home
    HomeGreeting => "Здравствуйте", "Hello";
    ThisMonth => "Этот месяц", "This month";
    ReceivedThisMonth => "Поступило за месяц", "Received this month";
    WonThisMonth => "Выиграно сделок за месяц", "Deals won this month";
    OpenPipeline => "В работе (открытые сделки)", "Open pipeline";
    OverduePayments => "Просроченные оплаты", "Overdue payments";
    OpenDeals => "Открытых сделок", "Open deals";
    Managers => "Менеджеры", "Managers";
    Manager => "Менеджер", "Manager";
    Received => "Поступило", "Received";
    Won => "Выиграно", "Won";
    Forecast => "Прогноз", "Forecast";
    ForecastThisMonth => "Прогноз на месяц", "Forecast for the month";
    ForecastHint => "поступления + открытые сделки с учётом вероятности этапа", "received + open deals weighted by stage";
    StaleDeals => "Зависшие сделки", "Stale deals";
    Stale => "Зависшие", "Stale";
    StaleHint => "без активности, дней:", "no activity for days:";
    StaleSetting => "Сделка зависла, если нет активности, дней", "A deal is stale after this many quiet days";
    ErrStaleDays => "Укажите число дней от 1 до 365.", "Enter a number of days from 1 to 365.";
    Pipeline => "В работе", "Pipeline";
    Overdue => "Просрочено", "Overdue";
    ReceivedByMonth => "Поступления по месяцам", "Payments received by month";
    NextSteps => "Следующие шаги", "Next steps";
    NextStepsEmpty => "Нет шагов на сегодня — хороший момент позвонить новому клиенту.", "No steps due today — a good moment to call a new client.";
    DueToday => "сегодня", "today";
    OverdueSince => "просрочено с", "overdue since";
    NoDepartment => "Вы не прикреплены к отделу. Обратитесь к администратору.", "You are not assigned to a department. Ask your administrator.";
    AdminHomeHint => "Создавайте отделы и пользователей в разделе «Администрирование».", "Create departments and users under Administration.";
    Departments => "Отделы", "Departments";
    Users => "Пользователи", "Users";
    ActiveUsers => "Активных пользователей", "Active users";
    // Profile
    ProfileTitle => "Профиль", "Profile";
    ChangePassword => "Сменить пароль", "Change password";
    CurrentPassword => "Текущий пароль", "Current password";
    NewPasswordLabel => "Новый пароль", "New password";
    RepeatPassword => "Повторите новый пароль", "Repeat the new password";
    PasswordChanged => "Пароль изменён. Остальные сеансы завершены.", "Password changed. Your other sessions were signed out.";
    Save => "Сохранить", "Save";
    Role => "Роль", "Role";
    Department => "Отдел", "Department";
    RoleAdmin => "Администратор", "Administrator";
    RoleHead => "Руководитель отдела продаж", "Head of sales";
    RoleManager => "Менеджер", "Sales manager";
    // Admin
    CreateDepartment => "Новый отдел", "New department";
    DepartmentName => "Название отдела", "Department name";
    Create => "Создать", "Create";
    CreateUser => "Новый пользователь", "New user";
    FullName => "Имя и фамилия", "Full name";
    InitialPassword => "Начальный пароль", "Initial password";
    NoDepartmentOption => "— без отдела —", "— no department —";
    Status => "Статус", "Status";
    Active => "Активен", "Active";
    Deactivated => "Отключён", "Deactivated";
    Deactivate => "Отключить", "Deactivate";
    ResetPassword => "Сбросить пароль", "Reset password";
    NewPasswordFor => "Новый пароль для", "New password for";
    UserCreated => "Пользователь создан.", "User created.";
    DepartmentCreated => "Отдел создан.", "Department created.";
    PasswordReset => "Пароль изменён, все сеансы пользователя завершены.", "Password changed; all of the user's sessions were signed out.";
    UserDeactivated => "Пользователь отключён; его данные сохранены.", "User deactivated; their data is kept.";
    ConfirmDeactivate => "Отключить пользователя? Его сеансы завершатся, данные останутся.", "Deactivate this user? Their sessions end, their data stays.";
    PeopleCount => "Сотрудников", "People";
    // Deals
    NavDeals => "Сделки", "Deals";
    NavBoard => "Воронка", "Pipeline";
    BoardHint => "Перетащите сделку на другой этап или выберите этап в её карточке.", "Drag a deal to another stage, or pick the stage on its card.";
    BoardMoreInList => "остальные — в списке сделок", "more in the deals list";
    DealsCount => "Сделок", "Deals";
    DealsThisMonth => "Сделок в этом месяце", "Deals this month";
    MoveTo => "Перенести сделку", "Move deal";
    LossDialogTitle => "Почему сделка проиграна?", "Why was the deal lost?";
    LossReasonShort => "Причина проигрыша", "Loss reason";
    MoveToLost => "Перенести в «Проиграна»", "Move to “Lost”";
    Cancel => "Отмена", "Cancel";
    ImportTitle => "Импорт клиентов и сделок", "Import clients and deals";
    ImportHint => "CSV из amoCRM, Bitrix24 или Excel: разделитель «;» или «,», кодировка Windows-1251 или UTF-8. Сначала вы проверите колонки — ничего не запишется, пока все строки не пройдут проверку.", "CSV from amoCRM, Bitrix24 or Excel: “;” or “,” separated, Windows-1251 or UTF-8. You check the columns first — nothing is written until every row passes.";
    ImportFile => "Файл CSV", "CSV file";
    ImportDefaultOwner => "Ответственный, если в строке не указан", "Owner when a row names none";
    ImportUpload => "Загрузить и проверить", "Upload and check";
    ImportNoFile => "Выберите файл.", "Choose a file.";
    ImportEmpty => "Файл пустой.", "The file is empty.";
    ImportNoRows => "В файле только заголовок, строк нет.", "The file has a header but no rows.";
    ImportQuote => "Кавычка открыта и не закрыта", "A quote is opened and never closed";
    ImportTooMany => "Слишком много строк: не больше 10 000 за раз.", "Too many rows: at most 10,000 at a time.";
    ImportTooBig => "Файл слишком большой: не больше 8 МБ.", "The file is too big: at most 8 MB.";
    ImportChooseOwner => "Выберите ответственного менеджера.", "Choose the owner manager.";
    Line => "строка", "line";
    Column => "Колонка", "Column";
    Value => "Значение", "Value";
    Problem => "Что не так", "Problem";
    ImportRows => "строк", "rows";
    ImportMapping => "Сопоставление колонок", "Column mapping";
    ImportAs => "Куда записать", "Import as";
    ImportSample => "Примеры из файла", "Sample values";
    ImportSkip => "— не импортировать —", "— skip —";
    ImportCheck => "Проверить заново", "Check again";
    ImportRun => "Импортировать", "Import";
    ImportWillCreate => "Всё в порядке. Будет создано —", "All rows pass. To be created —";
    ImportDone => "Импорт выполнен.", "Imported.";
    ImportRowsFailed => "Строк с ошибками", "Rows with errors";
    ImportNothingYet => "Пока ничего не записано: исправьте файл или сопоставление.", "Nothing is written yet: fix the file or the mapping.";
    ImportNoClientColumn => "Ни одна колонка не выбрана как «Название компании».", "No column is mapped to “Company name”.";
    ImportNameMissing => "Нет названия компании.", "The company name is missing.";
    ImportInnConflict => "У этой компании выше указан другой ИНН.", "An earlier row gives this company another INN.";
    ImportStageUnknown => "В воронке нет такого этапа.", "The pipeline has no such stage.";
    ImportOwnerUnknown => "Нет такого менеджера в отделе.", "No such manager in the department.";
    Export => "Скачать CSV", "Download CSV";
    ErrContactEmpty => "Укажите имя, телефон или почту контакта.", "Give the contact's name, phone or email.";
    EditClient => "Изменить данные клиента", "Edit client details";
    AddContact => "Добавить контакт", "Add a contact";
    Edit => "Изменить", "Edit";
    Remove => "Убрать", "Remove";
    ClientHistory => "История клиента", "Client history";
    AuditClientUpdated => "Данные клиента изменены", "Client details changed";
    AuditContactAdded => "Добавлен контакт", "Contact added";
    AuditContactChanged => "Изменён контакт", "Contact changed";
    AuditContactRemoved => "Убран контакт", "Contact removed";
    ConversionSince => "Конверсия по этапам: сделки, созданные с", "Conversion by stage: deals created since";
    Month => "Месяц", "Month";
    PreviousMonth => "Предыдущий месяц", "Previous month";
    NextMonth => "Следующий месяц", "Next month";
    AllStages => "Все этапы", "All stages";
    SortBy => "Порядок", "Order";
    SortDue => "По сроку шага", "By next-step date";
    SortAmount => "По сумме", "By amount";
    OnlyOverdue => "Только с просроченной оплатой", "Only with overdue payments";
    CloseMonth => "Закрытие ожидается в месяце", "Expected to close in";
    AnyMonth => "Любой месяц", "Any month";
    Filters => "Фильтры", "Filters";
    AsOfToday => "на сегодня", "as of today";
    PastMonthNote => "Воронка, просрочка и зависшие сделки показаны на сегодня; поступления и выигрыши — за выбранный месяц.", "Pipeline, overdue payments and stale deals are as of today; money received and deals won are for the month shown.";
    Show => "Показать", "Show";
    DealOwner => "Ответственный", "Owner";
    AuditSetOwner => "Передана", "Handed over";
    AuditTitle => "Журнал изменений", "Audit log";
    AuditHint => "Кто и что менял в отделе: этапы, оплаты, шаги, клиенты, настройки.", "Who changed what in the department: stages, payments, steps, clients, settings.";
    AuditEmpty => "Изменений пока нет.", "No changes yet.";
    AuditWhen => "Когда", "When";
    AuditWho => "Кто", "Who";
    AuditWhat => "Что сделано", "What";
    AuditSubject => "Сделка или клиент", "Deal or client";
    AuditOlder => "Раньше", "Older";
    AuditStagesReordered => "Порядок этапов изменён", "Stages reordered";
    AuditPasswordChanged => "Сменил пароль", "Changed their password";
    ErrImportedAlready => "Этот файл уже импортирован.", "This file has already been imported.";
    ErrImportHasErrors => "В файле есть строки с ошибками: исправьте их или сопоставление колонок. Ничего не импортировано.", "Some rows have errors: fix them or the column mapping. Nothing was imported.";
    PipelineSettings => "Этапы воронки", "Pipeline stages";
    PipelineSettingsHint => "Названия, порядок и вероятность выигрыша для прогноза. «Выиграна» и «Проиграна» всегда в конце.", "Names, order and the win probability used by the forecast. “Won” and “Lost” always come last.";
    StageName => "Название", "Name";
    Probability => "Вероятность, %", "Probability, %";
    DealsHere => "Сделок", "Deals";
    MoveUp => "Выше", "Up";
    MoveDown => "Ниже", "Down";
    Delete => "Удалить", "Delete";
    AddStage => "Добавить этап", "Add a stage";
    ErrStageNameEmpty => "Назовите этап.", "Name the stage.";
    ErrStageNameTaken => "Этап с таким названием уже есть.", "A stage with this name already exists.";
    ErrProbability => "Вероятность — целое число от 0 до 100.", "The probability is a whole number from 0 to 100.";
    ErrStageHasDeals => "На этапе есть сделки: сначала перенесите их.", "Deals stand at this stage: move them first.";
    ErrLastOpenStage => "В воронке должен остаться хотя бы один открытый этап.", "The pipeline needs at least one open stage.";
    ErrClosedStage => "«Выиграна» и «Проиграна» нельзя удалить или переставить.", "“Won” and “Lost” cannot be removed or moved.";
    Deals => "Сделки", "Deals";
    MyDay => "Мой день", "My day";
    NavClients => "Клиенты", "Clients";
    Clients => "Клиенты", "Clients";
    SearchClients => "Поиск: название, ИНН, контакт или телефон", "Search: name, INN, contact or phone";
    NoClientsFound => "Ничего не найдено.", "Nothing found.";
    NewClient => "Новый клиент", "New client";
    CompanyName => "Название компании", "Company name";
    Inn => "ИНН", "INN";
    InnHint => "10 цифр для компании, 12 — для ИП; можно не указывать", "10 digits for a company, 12 for a sole trader; optional";
    ContactPerson => "Контактное лицо", "Contact person";
    Position => "Должность", "Position";
    Phone => "Телефон", "Phone";
    Notes => "Заметки", "Notes";
    Contacts => "Контакты", "Contacts";
    NewDeal => "Новая сделка", "New deal";
    DealTitle => "Что продаём", "What we sell";
    ExpectedClose => "Ожидаемая дата закрытия", "Expected close date";
    Source => "Источник", "Source";
    Create2 => "Добавить", "Add";
    ErrClientName => "Укажите название компании (до 200 символов).", "Enter the company name (up to 200 characters).";
    ErrInnInvalid => "ИНН не проходит проверку: 10 или 12 цифр с верной контрольной суммой.", "This INN fails the check: 10 or 12 digits with valid check digits.";
    ErrPhoneInvalid => "Телефон: от 10 до 15 цифр, можно с +, скобками и дефисами.", "Phone: 10 to 15 digits; +, brackets and dashes are fine.";
    AllManagers => "Все менеджеры", "All managers";
    ReassignTitle => "Передать клиентов и сделки", "Hand over clients and deals";
    ReassignHint => "Все клиенты и сделки этого менеджера перейдут выбранному коллеге — например, при увольнении.", "All of this manager's clients and deals go to the chosen colleague — for example when they leave.";
    ReassignTo => "Кому", "To";
    Reassign => "Передать", "Hand over";
    ReassignConfirm => "Передать всех клиентов и все сделки выбранному менеджеру?", "Hand all clients and deals to the chosen manager?";
    Reassigned => "Передано: клиентов — {c}, сделок — {d}.", "Handed over: {c} clients, {d} deals.";
    DepartmentDeals => "Открытые сделки отдела", "The department's open deals";
    MyDayHint => "Сначала просроченные шаги и шаги на сегодня.", "Overdue and today's steps come first.";
    NoOpenDeals => "Открытых сделок нет.", "No open deals.";
    NoNextStep => "Следующий шаг не назначен", "No next step set";
    StageNew => "Новая", "New";
    StageQualified => "Квалификация", "Qualified";
    StageProposal => "Предложение", "Proposal";
    StageNegotiation => "Переговоры", "Negotiation";
    StageInvoice => "Счёт выставлен", "Invoice sent";
    StageWon => "Выиграна", "Won";
    StageLost => "Проиграна", "Lost";
    Stage => "Этап", "Stage";
    MoveStage => "Сменить этап", "Move stage";
    LossReason => "Причина проигрыша (для «Проиграна»)", "Loss reason (for “Lost”)";
    LogActivity => "Звонок или заметка", "Call or note";
    ActivityCall => "Звонок", "Call";
    ActivityMeeting => "Встреча", "Meeting";
    ActivityNote => "Заметка", "Note";
    ActivityStage => "Этап", "Stage";
    ActivityPayment => "Оплата", "Payment";
    WhatHappened => "Что было", "What happened";
    Log => "Записать", "Log";
    RecordPayment => "Оплата получена", "Payment received";
    PaymentAmount => "Сумма, ₽", "Amount, ₽";
    ReceivedOn => "Дата поступления", "Date received";
    ConfirmLostPayment => "Да, сделка проиграна, но оплата пришла — записать", "Yes, the deal is lost but the money came — record it";
    NextStep => "Следующий шаг", "Next step";
    DueOn => "Срок", "Due";
    Payments => "Оплаты", "Payments";
    ExpectedPayments => "Ожидаемые", "Expected";
    ReceivedPayments => "Поступившие", "Received";
    History => "История", "History";
    NoPaymentsYet => "Оплат пока нет.", "No payments yet.";
    Saved => "Сохранено.", "Saved.";
    DealAmount => "Сумма сделки", "Deal amount";
    Owner => "Ответственный", "Owner";
    ErrChooseOne => "Выберите один из вариантов.", "Choose one of the options.";
    ErrAmountInvalid => "Введите сумму цифрами, например 45 000 или 45000,50.", "Enter the amount in digits, e.g. 45,000 or 45000.50.";
    ErrAmountNegative => "Сумма не может быть отрицательной.", "The amount cannot be negative.";
    ErrAmountPositive => "Сумма должна быть больше нуля.", "The amount must be more than zero.";
    ErrDateInvalid => "Укажите дату.", "Enter a date.";
    ErrDateInFuture => "Дата поступления не может быть в будущем.", "The date received cannot be in the future.";
    ErrPaymentOnLostDeal => "Сделка проиграна. Подтвердите, что оплата всё же пришла.", "The deal is lost. Confirm that the money came all the same.";
    ExpectedBy => "Оплатить до", "Due by";
    AddExpected => "Добавить ожидаемую оплату", "Add expected payment";
    ErrExpectedOnLostDeal => "Сделка проиграна: новых оплат по ней не ждём.", "The deal is lost: no more payments are expected.";
    ErrLossReasonRequired => "Укажите причину проигрыша.", "Give the reason the deal was lost.";
    ErrTextEmpty => "Поле не заполнено.", "This field is empty.";
    ErrTextTooLong => "Слишком длинный текст (до 2000 символов).", "The text is too long (2000 characters at most).";
    ErrTooLong => "Слишком длинно: имена и должности до 200 символов, заметки до 2000.", "Too long: names and positions take 200 characters at most, notes 2000.";
    ErrNameTooLong => "Слишком длинно (до 200 символов).", "Too long (200 characters at most).";
    ErrAmountTooLarge => "Сумма не может быть больше 1\u{a0}000\u{a0}000\u{a0}000\u{a0}000\u{a0}₽.", "The amount cannot be more than\u{a0}₽1,000,000,000,000.";
    ErrPaymentsTooLarge => "Оплаты по одной сделке в сумме не могут быть больше 1\u{a0}000\u{a0}000\u{a0}000\u{a0}000\u{a0}₽.", "The payments on one deal cannot add up to more than\u{a0}₽1,000,000,000,000.";
    ErrDateTooEarly => "Дата не может быть раньше, чем 10 лет назад.", "The date cannot be more than 10 years ago.";
    ErrDateTooLate => "Дата не может быть позже, чем через 10 лет.", "The date cannot be more than 10 years ahead.";
    ErrStageNameTooLong => "Слишком длинное название (до 60 символов).", "The name is too long (60 characters at most).";
    ErrGoalTitleTooLong => "Слишком длинная формулировка (до 300 символов).", "The goal is too long (300 characters at most).";
    ErrGoalTargetTooLarge => "Слишком большая цель: до 1\u{a0}000\u{a0}000\u{a0}000\u{a0}000\u{a0}₽ или до 1\u{a0}000\u{a0}000\u{a0}штук.", "The target is too large: up to\u{a0}₽1,000,000,000,000 or 1,000,000 items.";
    ErrDateOutOfRange => "Дата дальше чем на 10 лет от сегодняшней.", "The date is more than 10 years from today.";
    ErrCountTooLarge => "Число не может быть больше 1\u{a0}000\u{a0}000.", "The number cannot be more than 1,000,000.";
    // Planning
    NavPlan => "План", "Plan";
    PlanTitle => "План отдела", "Department plan";
    PlanFor => "План на", "Plan for";
    PeriodMonth => "Месяц", "Month";
    PeriodQuarter => "Квартал", "Quarter";
    QuarterTitle => "{q} квартал {y}", "Q{q} {y}";
    PlanMetric => "Что планируем", "What the plan counts";
    MetricReceived => "Поступившие оплаты", "Payments received";
    MetricWonAmount => "Сумма выигранных сделок", "Amount of deals won";
    MetricWonCount => "Число выигранных сделок", "Number of deals won";
    PlanTarget => "План отдела на период", "Department plan for the period";
    PlanTargetHint => "Квартальный план делится на месяцы по числу рабочих дней.", "A quarter plan is split into its months by working days.";
    SplitMethodLabel => "Как разделить между менеджерами", "How to split it between the managers";
    SplitEqual => "Поровну (с учётом рабочих дней и загрузки)", "Equally (by working days and load)";
    SplitHistory => "По результатам прошлых месяцев", "By results of past months";
    SplitManual => "Вручную (начать с поровну)", "By hand (start from equal)";
    HistoryMonths => "Сколько прошлых месяцев учитывать", "How many past months to count";
    SavePlan => "Сохранить план", "Save plan";
    NoPlanYet => "На этот период плана нет. Задайте его ниже.", "There is no plan for this period yet. Set it below.";
    PlanFact => "Факт", "Fact";
    PlanExpected => "Должно быть к сегодня", "Expected by today";
    PlanGap => "Осталось", "Still to go";
    PlanPerDay => "Нужно в день", "Needed per day";
    PlanForecast => "Прогноз при текущем темпе", "Forecast at this pace";
    PlanShare => "Доля плана", "Share of plan";
    PlanStatus => "Статус", "Status";
    StatusDone => "План выполнен", "Plan made";
    StatusOnTrack => "В графике", "On track";
    StatusClose => "Немного отстаёт", "Slightly behind";
    StatusBehind => "Отстаёт", "Behind";
    WorkingDaysLeft => "Рабочих дней осталось: {left} из {total}", "Working days left: {left} of {total}";
    EditShare => "Изменить", "Change";
    SpreadOverOthers => "Разницу распределить на остальных (план отдела не меняется)", "Spread the difference over the others (the department plan stays)";
    ChangeDeptPlan => "Изменить план отдела на разницу", "Change the department plan by the difference";
    ProposalTitle => "Отдел отстаёт: предлагаем перераспределить остаток", "The department is behind: a new split of what is left";
    ProposalHint => "Каждому засчитано то, что он уже принёс; недостающее до плана отдела делится пропорционально долям и оставшимся рабочим дням.", "Everyone keeps what they have brought; what the department still lacks is divided by their shares and the working days they have left.";
    ProposalNow => "Сейчас", "Now";
    ProposalNew => "Предлагаем", "Proposed";
    Accept => "Принять", "Accept";
    Dismiss => "Отклонить", "Dismiss";
    TeamCapacity => "Загрузка менеджеров", "Managers' load";
    TeamCapacityHint => "Неполная ставка и дата выхода уменьшают долю при следующем разделении плана.", "Part time and a start date reduce the share the next time a plan is split.";
    LoadPercent => "Загрузка, %", "Load, %";
    WorksFrom => "Работает с", "Works from";
    PlanHistory => "История изменений плана", "Plan history";
    HistSetPlan => "План задан", "Plan set";
    HistEditShare => "Доля изменена", "Share changed";
    HistRebalance => "Принято перераспределение", "Rebalancing accepted";
    HistDismiss => "Перераспределение отклонено", "Rebalancing dismissed";
    YourPlanToday => "Нужно сегодня", "Needed today";
    YourPlanHint => "Чтобы выполнить план месяца: {fact} из {plan}", "To make this month's plan: {fact} of {plan}";
    PlanMadeHeadline => "План месяца выполнен", "This month's plan is made";
    PlanMadeHint => "Принесено {fact} при плане {plan}", "{fact} brought in against a plan of {plan}";
    NoPersonalPlan => "План на этот месяц ещё не задан.", "No plan has been set for this month yet.";
    ErrPeriod => "Выберите месяц или квартал.", "Choose a month or a quarter.";
    ErrHistoryMonths => "От 1 до 12 месяцев.", "From 1 to 12 months.";
    ErrNoManagers => "В отделе нет менеджеров, делить план не на кого.", "The department has no managers to split the plan between.";
    ErrShareAbovePlan => "Доля больше всего плана отдела: распределять на остальных нечего.", "The share is more than the whole department plan: there is nothing to spread over the others.";
    ErrShareNoOthers => "Других менеджеров в плане нет: измените план отдела.", "Nobody else is in the plan: change the department plan instead.";
    ErrNothingToRebalance => "Перераспределять нечего: план выполнен или рабочие дни закончились.", "Nothing to rebalance: the plan is made or no working days are left.";
    ErrLoad => "Загрузка — от 1 до 100 %.", "Load is from 1 to 100 %.";
    ErrCount => "Введите целое число не меньше нуля.", "Enter a whole number, zero or more.";
    ErrAmount => "Введите сумму не меньше нуля.", "Enter an amount, zero or more.";
    ErrDate => "Дата в формате ГГГГ-ММ-ДД.", "A date as YYYY-MM-DD.";
    // Goals
    NavGoals => "Цели", "Goals";
    GoalsTitle => "Цели", "Goals";
    GoalsHint => "Цель по SMART: конкретная, измеримая, достижимая, связанная с планом или навыком, с конечным сроком.", "A SMART goal: specific, measurable, achievable, relevant to the plan or a skill, and time-bound.";
    NoGoals => "Целей пока нет.", "No goals yet.";
    NewGoal => "Новая цель", "New goal";
    ProposeGoal => "Предложить цель", "Propose a goal";
    ProposeGoalHint => "Руководитель увидит её и утвердит.", "Your head will see it and approve it.";
    GoalFor => "Для кого", "For";
    GoalTitle => "Что именно (конкретно)", "What exactly (specific)";
    GoalMetricLabel => "Как измерим", "How it is measured";
    GoalMetricReceived => "Поступившие оплаты, ₽", "Money received, ₽";
    GoalMetricWonAmount => "Сумма выигранных сделок, ₽", "Amount of deals won, ₽";
    GoalMetricWonCount => "Выигранные сделки, шт.", "Deals won";
    GoalMetricStageMoves => "Сделки, переведённые на этап", "Deals moved to a stage";
    GoalMetricCalls => "Звонки", "Calls logged";
    GoalMetricManual => "Отмечаю вручную", "Checked in by hand";
    GoalStage => "Этап (для «переведённых на этап»)", "Stage (for “moved to a stage”)";
    GoalTarget => "Цель (сколько)", "Target (how much)";
    GoalDue => "Срок", "Deadline";
    GoalRelevance => "Зачем", "Why";
    RelevancePlan => "Для плана отдела", "For the department plan";
    RelevanceSkill => "Для навыка", "For a skill";
    RelevanceNote => "Какой навык или часть плана", "Which skill or part of the plan";
    ChooseMetric => "— выберите —", "— choose —";
    SaveGoal => "Сохранить цель", "Save goal";
    GoalSaved => "Цель сохранена.", "Goal saved.";
    GoalStretch => "Цель в {x} раза выше лучшего месяца — достижима ли она?", "The target is {x} times the best month: is it achievable?";
    GoalProposed => "Ждёт утверждения", "Awaiting approval";
    GoalActive => "В работе", "Active";
    Approve => "Утвердить", "Approve";
    CancelGoal => "Снять цель", "Drop goal";
    CheckIn => "Отметить", "Check in";
    GoalProgressValue => "Сейчас", "Now";
    GoalUntil => "до", "until";
    ErrGoalVague => "Цель слишком общая: опишите конкретно, что и сколько (не меньше трёх слов).", "The goal is too vague: say exactly what and how much (three words at least).";
    ErrGoalMetric => "Выберите, как Pacer измерит цель.", "Choose how Pacer will measure the goal.";
    ErrGoalStage => "Выберите этап.", "Choose the stage.";
    ErrGoalTarget => "Укажите цель числом больше нуля.", "Give the target as a number above zero.";
    ErrGoalRelevance => "Укажите, зачем цель: для плана или для навыка.", "Say why: for the plan or for a skill.";
    ErrGoalDeadline => "Укажите срок.", "Set a deadline.";
    ErrGoalDeadlinePast => "Срок уже прошёл.", "The deadline has passed.";
    ErrNotManualGoal => "Эта цель считается сама.", "This goal counts itself.";
    // Reports
    NavReports => "Отчёты", "Reports";
    ReportsTitle => "Отчёты менеджеров", "Managers' reports";
    ReportTitle => "Отчёт", "Report";
    ReportFor => "Отчёт за {day}", "Report for {day}";
    ReportDone => "Что сделано", "Done";
    ReportPlan => "План на следующий период", "Plan for the next period";
    ReportBlockers => "Что мешает", "Blockers";
    SendReport => "Отправить отчёт", "Send report";
    ReportSent => "Отчёт отправлен. Можно исправить и отправить снова.", "Report sent. You can correct it and send it again.";
    ReportDueToday => "Сегодня нужен отчёт", "A report is due today";
    ReportDueColumn => "Сегодня", "Due today";
    ReportSentShort => "Отчёт отправлен", "Report sent";
    ReportsOverdue => "Пропущено отчётов: {n}", "Reports missed: {n}";
    ReportsOverdueShort => "Пропущено", "Missed";
    ReportNoCadence => "Руководитель не назначил вам отчётов.", "Your head has not asked you for reports.";
    CadenceLabel => "Как часто", "How often";
    CadenceNone => "Без отчётов", "No reports";
    CadenceDaily => "Каждый рабочий день", "Every working day";
    CadenceWeekly => "Раз в неделю", "Once a week";
    LastReport => "Последний отчёт", "Last report";
    RecentReports => "Отчёты за неделю", "This week's reports";
    NoReports => "Отчётов пока нет.", "No reports yet.";
    ErrNoCadence => "Отчёты вам не назначены.", "You have no reports to send.";
    // The working calendar
    NavCalendar => "Календарь", "Calendar";
    CalendarTitle => "Производственный календарь", "Working calendar";
    CalendarHint => "Будни — рабочие, выходные — нет. Здесь отмечены исключения: праздники и рабочие субботы. Праздники России внесены заранее; поправьте по постановлению правительства о переносах.", "Weekdays are worked, weekends are not. Listed here are the exceptions: holidays and working weekend days. Russia's public holidays are filled in; adjust them to the government's decree on transfers.";
    DayHoliday => "Выходной (праздник)", "Day off (holiday)";
    DayWorkday => "Рабочий день", "Working day";
    DayName => "Название", "Name";
    Date => "Дата", "Date";
    Kind => "Какой день", "Kind of day";
    AddDay => "Добавить день", "Add day";
    RemoveDay => "Сделать обычным днём", "Make an ordinary day";
    WorkingDaysInYear => "Рабочих дней в году: {n}", "Working days in the year: {n}";
    PreviousYear => "Предыдущий год", "Previous year";
    NextYear => "Следующий год", "Next year";
    Loading => "Загрузка…", "Loading…";
    NotFoundTitle => "Страница не найдена", "Page not found";
    BackHome => "На главную", "Back to home";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_quality() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9,ru;q=0.8"), Locale::En);
        assert_eq!(Locale::from_accept_language("de-DE,ru;q=0.5,en;q=0.7"), Locale::En);
        assert_eq!(Locale::from_accept_language("ru-RU,ru;q=0.9"), Locale::Ru);
    }

    #[test]
    fn unknown_languages_fall_back_to_russian() {
        assert_eq!(Locale::from_accept_language("de-DE,fr;q=0.5"), Locale::Ru);
        assert_eq!(Locale::from_accept_language(""), Locale::Ru);
        assert_eq!(Locale::from_accept_language("en;q=0"), Locale::Ru);
    }

    #[test]
    fn a_message_key_travels_as_its_name_and_comes_back() {
        for &msg in Msg::ALL {
            let json = serde_json::to_string(&msg).unwrap();
            assert_eq!(json, format!("\"{msg:?}\""));
            assert_eq!(serde_json::from_str::<Msg>(&json).unwrap(), msg);
        }
        assert!(serde_json::from_str::<Msg>("\"NoSuchMessage\"").is_err());
        assert!(serde_json::from_str::<Msg>("3").is_err());
    }

    #[test]
    fn every_message_has_both_languages() {
        for &msg in Msg::ALL {
            for locale in Locale::ALL {
                assert!(!msg.text(locale).trim().is_empty(), "{msg:?} in {locale:?}");
            }
        }
    }
}

/// A month's name as a page heading shows it ("ноябрь 2026", "November 2026").
pub fn month_title(locale: Locale, year: i32, month: u32) -> String {
    const RU: [&str; 12] =
        ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"];
    const EN: [&str; 12] = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ];
    let i = (month.clamp(1, 12) - 1) as usize;
    match locale {
        Locale::Ru => format!("{} {year}", RU[i]),
        Locale::En => format!("{} {year}", EN[i]),
    }
}

/// A short month label for charts ("ноя", "Nov").
pub fn month_short(locale: Locale, month: u32) -> &'static str {
    const RU: [&str; 12] = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let i = (month.clamp(1, 12) - 1) as usize;
    match locale {
        Locale::Ru => RU[i],
        Locale::En => EN[i],
    }
}

/// A date as people read it: "29.11.2026" in Russian, "Nov 29, 2026" in English.
pub fn format_date(locale: Locale, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match locale {
        Locale::Ru => date.format("%d.%m.%Y").to_string(),
        Locale::En => format!("{} {}, {}", month_short(Locale::En, date.month()), date.day(), date.year()),
    }
}
