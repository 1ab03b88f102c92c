//! Check-out (工具领用): who borrows, for what, with whose approval, until when; then tool
//! codes typed or scanned one after another (a barcode scanner is a keyboard that presses
//! Enter), each checked at once, and `Ctrl-S` lends them all as one requisition.

use crate::db::paging::Place;
use crate::domain::permission::Deed;
use crate::tui::widgets::approval;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::db::directory;
use crate::db::tools::{self, LoanFilter, LoanQuery, LoanRow, Tool, ToolError};
use crate::domain::record::parse_date;
use crate::domain::tool::{Borrowing, BorrowingProblem, Condition, due_on, lendable};
use crate::text::fit;
use crate::tui::action::{Action, Flash};
use crate::tui::layout::rows;
use crate::tui::screens::Ctx;
use crate::tui::theme;
use crate::tui::widgets::form::{Form, FormEvent, FormField, Outcome, choices};
use crate::tui::widgets::input::Input;
use crate::words::unavailable_text;

const BORROWER: usize = 0;
const DEPARTMENT: usize = 1;
const KIND: usize = 2;
const APPROVER: usize = 3;
const PURPOSE: usize = 4;
const DUE: usize = 5;
const CONDITION: usize = 6;
/// With accounts on: the approver's countersigning password, then the paper slip's number.
const PASSWORD: usize = 7;
/// Title, the seven fields and the form's message line.
/// The form's rows besides its fields: the title and the line of hints.
const FORM_FRAME: u16 = 2;

pub struct Checkout {
    form: Form,
    scan: Input,
    /// The cursor is on the code line, not in the form.
    on_scan: bool,
    tools: Vec<Tool>,
    scan_error: Option<String>,
    people: Vec<(String, String)>,
    /// The tools the borrower holds now, read when the borrower is chosen.
    held: Vec<LoanRow>,
    /// Set once the operator has answered `y` to lending to someone with an overdue tool.
    overdue_agreed: bool,
    /// Asking whether to lend despite the borrower's overdue tools.
    asking: bool,
}

/// Where a key left the check-out.
pub type CheckoutOutcome = Outcome<Flash>;

impl Checkout {
    fn form_height(&self) -> u16 {
        self.form.fields.len() as u16 + FORM_FRAME
    }

    /// Something was typed, or a tool scanned, since the check-out opened.
    pub fn unsaved(&self) -> bool {
        self.form.dirty || !self.tools.is_empty() || !self.scan.text().is_empty()
    }

    /// A new check-out; `first` is already on the list (the tool the cursor was on).
    pub fn new(ctx: &Ctx, first: Option<Tool>) -> Checkout {
        let lang = ctx.lang;
        let conn = ctx.db.conn();
        let label = |key: &str| lang.t(key).to_owned();
        let kinds = vec![
            ("internal".to_owned(), label("tool_form.internal")),
            ("external".to_owned(), label("tool_form.external")),
        ];
        let mut due = FormField::text(label("tool_form.due"), "");
        due.hint = Some(label("tool_form.due_hint"));
        let fields = vec![
            FormField::text(label("tool_form.borrower"), "")
                .with_suggestions(ctx.read(directory::people_names(conn, false))),
            FormField::text(label("tool_form.department"), "")
                .with_suggestions(ctx.read(directory::department_names(conn))),
            FormField::choice(label("tool_form.borrower_type"), "internal", kinds),
            FormField::text(label("tool_form.approver"), "").with_suggestions(ctx.read(
                crate::db::approvals::approvers(conn, Deed::ApproveOutsideLoan),
            )),
            FormField::text(label("tool_form.purpose"), ""),
            due,
            // Stored as a key, shown and exported in the reader's language.
            FormField::choice(
                label("tool_form.condition_out"),
                Condition::Good.key(),
                choices(
                    &[Condition::Good, Condition::Damaged],
                    Condition::key,
                    Condition::label_key,
                    lang,
                ),
            ),
        ]
        .into_iter()
        .chain(approval::fields(ctx))
        .collect();
        Checkout {
            form: Form::new(label("tool_form.checkout_title"), fields),
            scan: Input::default(),
            on_scan: false,
            tools: first.into_iter().collect(),
            scan_error: None,
            people: ctx.read(directory::people_with_departments(conn)),
            held: Vec::new(),
            overdue_agreed: false,
            asking: false,
        }
    }

    /// Whether the borrower typed is in the directory.
    fn borrower_known(&self) -> bool {
        let name = self.value(BORROWER);
        self.people.iter().any(|(_, n)| *n == name)
    }

    /// Read what the borrower holds now (and forget an earlier `y` for someone else).
    fn read_held(&mut self, ctx: &Ctx) {
        let borrower = self.value(BORROWER);
        self.overdue_agreed = false;
        self.held = if borrower.is_empty() {
            Vec::new()
        } else {
            let query = LoanQuery {
                borrower: Some(borrower),
                filter: LoanFilter::Open,
                ..LoanQuery::default()
            };
            ctx.read(tools::loans(
                ctx.db.conn(),
                &query,
                ctx.today,
                Place::top(0),
                50,
            ))
        };
    }

    fn overdue(&self, today: NaiveDate) -> Vec<&LoanRow> {
        self.held
            .iter()
            .filter(|l| l.days_overdue(today) > 0)
            .collect()
    }

    fn value(&self, at: usize) -> String {
        self.form.value(at).trim().to_owned()
    }

    /// The borrower's department from the directory, and whether that makes the loan
    /// internal (the centre's own staff) or external.
    fn follow_borrower(&mut self, ctx: &Ctx, focus_was: usize) {
        if focus_was == BORROWER
            && let Some((department, _)) =
                self.people.iter().find(|(_, n)| *n == self.value(BORROWER))
        {
            self.form.fields[DEPARTMENT].input.set(department.clone());
        }
        if matches!(focus_was, BORROWER | DEPARTMENT)
            && let Ok(Some(centre)) = directory::is_centre(ctx.db.conn(), &self.value(DEPARTMENT))
        {
            let kind = if centre { "internal" } else { "external" };
            self.form.fields[KIND].input.set(kind);
        }
    }

    /// The due date typed for every tool, `Ok(None)` for each tool's own period.
    fn typed_due(&self) -> Result<Option<NaiveDate>, String> {
        match self.value(DUE).as_str() {
            "" => Ok(None),
            text => parse_date(text).map(Some).ok_or_else(|| text.to_owned()),
        }
    }

    fn due_of(&self, tool: &Tool, today: NaiveDate) -> NaiveDate {
        self.typed_due()
            .ok()
            .flatten()
            .unwrap_or_else(|| due_on(today, tool.loan_days))
    }

    /// Enter on the code line: the tool joins the list, or the line says why not.
    fn add_code(&mut self, ctx: &Ctx) {
        let lang = ctx.lang;
        let code = self.scan.text().trim().to_owned();
        if code.is_empty() {
            return;
        }
        let refusal = match tools::by_code(ctx.db.conn(), &code) {
            Ok(None) | Err(_) => Some(ToolError::UnknownCode { code: code.clone() }.message(lang)),
            Ok(Some(t)) if self.tools.iter().any(|x| x.id == t.id) => {
                Some(ToolError::RepeatedCode { code: t.code }.message(lang))
            }
            Ok(Some(t)) => {
                let holder = t.holder.as_ref().map(|h| (h.borrower.as_str(), h.due_on));
                match lendable(t.status, holder) {
                    Err(why) => Some(unavailable_text(&t.code, &why, lang)),
                    Ok(()) => {
                        self.tools.push(t);
                        self.form.dirty = true;
                        None
                    }
                }
            }
        };
        self.scan_error = refusal;
        // A scanner types the next code straight after: the line is empty whatever the answer,
        // and a refusal names the code it refused.
        self.scan = Input::default();
    }

    fn go_to_scan(&mut self) {
        self.on_scan = true;
    }

    fn go_to_form(&mut self, at: usize) {
        self.on_scan = false;
        self.form.focus = at;
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> CheckoutOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if std::mem::take(&mut self.asking) {
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                self.overdue_agreed = true;
                return self.save(ctx);
            }
            self.scan_error = None;
            return CheckoutOutcome::Stay(Action::Noop);
        }
        if ctrl && matches!(key.code, KeyCode::Char('s' | 'S')) {
            return self.save(ctx);
        }
        if self.on_scan {
            match key.code {
                KeyCode::Enter => self.add_code(ctx),
                KeyCode::Tab | KeyCode::Down => self.go_to_form(BORROWER),
                KeyCode::BackTab | KeyCode::Up => self.go_to_form(CONDITION),
                KeyCode::Char('d' | 'D') if ctrl => {
                    self.tools.pop();
                    self.scan_error = None;
                }
                KeyCode::Esc => {
                    // The form asks before throwing typed work away.
                    self.go_to_form(BORROWER);
                    return self.form_key(key, ctx);
                }
                _ => {
                    if self.scan.handle_key(key) {
                        self.scan_error = None;
                    }
                }
            }
            return CheckoutOutcome::Stay(Action::Noop);
        }
        let forward = matches!(key.code, KeyCode::Tab | KeyCode::Enter | KeyCode::Down);
        let back = matches!(key.code, KeyCode::BackTab | KeyCode::Up);
        if (forward && self.form.focus == CONDITION) || (back && self.form.focus == BORROWER) {
            self.go_to_scan();
            return CheckoutOutcome::Stay(Action::Noop);
        }
        if key.code == KeyCode::Enter && !self.form.picking() {
            if self.form.focus == BORROWER {
                self.follow_borrower(ctx, BORROWER);
                self.read_held(ctx);
            }
            // Enter goes to what is still needed, then to the code line: a borrower of the
            // centre is one Enter from scanning, another department's two (the approver).
            let needed = if self.value(BORROWER).is_empty() {
                Some(BORROWER)
            } else if self.value(DEPARTMENT).is_empty() {
                Some(DEPARTMENT)
            } else if self.value(KIND) == "external" && self.value(APPROVER).is_empty() {
                Some(APPROVER)
            } else {
                None
            };
            match needed {
                Some(at) if at != self.form.focus => self.go_to_form(at),
                Some(_) => return self.form_key(key, ctx),
                None => self.go_to_scan(),
            }
            return CheckoutOutcome::Stay(Action::Noop);
        }
        self.form_key(key, ctx)
    }

    fn form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> CheckoutOutcome {
        let focus_was = self.form.focus;
        match self.form.handle_key(key) {
            FormEvent::Close => CheckoutOutcome::Closed,
            FormEvent::Save => self.save(ctx),
            FormEvent::Changed => {
                self.follow_borrower(ctx, focus_was);
                if focus_was == BORROWER {
                    self.read_held(ctx);
                }
                CheckoutOutcome::Stay(Action::Noop)
            }
            FormEvent::Nothing => CheckoutOutcome::Stay(Action::Noop),
        }
    }

    fn save(&mut self, ctx: &mut Ctx) -> CheckoutOutcome {
        let lang = ctx.lang;
        self.form.clear_errors();
        self.scan_error = None;
        let due = match self.typed_due() {
            Ok(due) => due,
            Err(text) => {
                self.form.fields[DUE].error =
                    Some(lang.tf("tool_error.bad_date", &[("value", &text)]));
                self.go_to_form(DUE);
                return CheckoutOutcome::Stay(Action::Noop);
            }
        };
        let borrowing = Borrowing {
            borrower: self.value(BORROWER),
            department: self.value(DEPARTMENT),
            external: self.value(KIND) == "external",
            approver: self.value(APPROVER),
            purpose: self.value(PURPOSE),
            due_on: due,
            condition_out: self.value(CONDITION),
        };
        let codes: Vec<String> = self.tools.iter().map(|t| t.code.clone()).collect();
        let overdue = self.overdue(ctx.today);
        if !overdue.is_empty() && !self.overdue_agreed && !codes.is_empty() {
            let first = overdue[0];
            self.scan_error = Some(lang.tf(
                "tool_form.ask_overdue",
                &[
                    ("borrower", &borrowing.borrower),
                    ("count", &overdue.len()),
                    ("code", &first.code),
                    ("due", &first.due_on),
                ],
            ));
            self.asking = true;
            self.go_to_scan();
            return CheckoutOutcome::Stay(Action::Noop);
        }
        let now = ctx.now;
        let evidence = match self.form.fields.len() > PASSWORD && borrowing.external {
            false => Default::default(),
            true => {
                let (password, slip) = (
                    self.form.value(PASSWORD).to_owned(),
                    self.value(PASSWORD + 1),
                );
                let deed = Deed::ApproveOutsideLoan;
                match approval::evidence(
                    ctx,
                    Deed::LendTools,
                    deed,
                    &borrowing.approver,
                    &password,
                    &slip,
                ) {
                    Ok(evidence) => evidence,
                    Err(refused) => {
                        let (at, why) = match refused {
                            approval::Refused::Approver(why) => (APPROVER, why),
                            approval::Refused::Password(why) => {
                                self.form.fields[PASSWORD].input.set("");
                                (PASSWORD, why)
                            }
                        };
                        self.form.fields[at].error = Some(why);
                        self.go_to_form(at);
                        return CheckoutOutcome::Stay(Action::Noop);
                    }
                }
            }
        };
        match ctx.save(Deed::LendTools, |tx, stamp| {
            tools::check_out_approved(tx, &borrowing, &codes, now, &evidence, stamp)
        }) {
            Ok((_, number)) => {
                let args: [(&str, &dyn std::fmt::Display); 3] = [
                    ("number", &number),
                    ("count", &codes.len()),
                    ("borrower", &borrowing.borrower),
                ];
                CheckoutOutcome::Saved(Flash::info(lang.tf("tools.checked_out", &args)))
            }
            Err(ToolError::Borrowing(problems)) => {
                for p in &problems {
                    let at = match p {
                        BorrowingProblem::NeedsBorrower => BORROWER,
                        BorrowingProblem::NeedsDepartment => DEPARTMENT,
                        BorrowingProblem::NeedsApprover
                        | BorrowingProblem::SelfApproved
                        | BorrowingProblem::ApprovedByOperator => APPROVER,
                        BorrowingProblem::OutsideCentre => KIND,
                        BorrowingProblem::DueBeforeOut => DUE,
                        BorrowingProblem::NoTools => {
                            self.scan_error = Some(lang.t(p.label_key()).to_owned());
                            continue;
                        }
                    };
                    self.form.fields[at].error = Some(lang.t(p.label_key()).to_owned());
                }
                match self.form.fields.iter().position(|f| f.error.is_some()) {
                    Some(at) => self.go_to_form(at),
                    None => self.go_to_scan(),
                }
                CheckoutOutcome::Stay(Action::Noop)
            }
            Err(ToolError::Approval(e)) => {
                use crate::db::approvals::ApprovalError::{CountersignedByOther, NeedsEvidence};
                let at = match e {
                    NeedsEvidence | CountersignedByOther if self.form.fields.len() > PASSWORD => {
                        PASSWORD
                    }
                    _ => APPROVER,
                };
                self.form.fields[at].error = Some(e.message(lang));
                self.go_to_form(at);
                CheckoutOutcome::Stay(Action::Noop)
            }
            Err(other) => {
                // A tool lent by someone else meanwhile: named on the code line.
                self.scan_error = Some(other.message(lang));
                self.go_to_scan();
                CheckoutOutcome::Stay(Action::Noop)
            }
        }
    }

    /// What the borrower holds now, overdue tools first and marked; or that the name is not
    /// in the directory.
    fn held_line(&self, ctx: &Ctx) -> Option<Span<'static>> {
        let lang = ctx.lang;
        let borrower = self.value(BORROWER);
        if borrower.is_empty() {
            return None;
        }
        let mut text = String::new();
        if !self.borrower_known() {
            text.push_str(&lang.tf("tool_form.unknown_borrower", &[("borrower", &borrower)]));
            text.push_str("  ");
        }
        let overdue = self.overdue(ctx.today);
        let list: Vec<String> = overdue
            .iter()
            .copied()
            .chain(self.held.iter().filter(|l| l.days_overdue(ctx.today) <= 0))
            .map(|l| {
                lang.tf(
                    "tool_form.held_tool",
                    &[("code", &l.code), ("due", &l.due_on)],
                )
            })
            .collect();
        text.push_str(&if self.held.is_empty() {
            lang.tf("tool_form.holds_none", &[("borrower", &borrower)])
        } else {
            lang.tf(
                "tool_form.holds",
                &[
                    ("borrower", &borrower),
                    ("count", &self.held.len()),
                    ("overdue", &overdue.len()),
                    ("list", &list.join(lang.t("tool_form.list_sep"))),
                ],
            )
        });
        let style = if overdue.is_empty() && self.borrower_known() {
            theme::HINT
        } else {
            theme::WARN
        };
        Some(Span::styled(format!(" {text}"), style))
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let lang = ctx.lang;
        let form_area = Rect {
            height: self.form_height().min(area.height),
            ..area
        };
        if self.on_scan {
            // The cursor is on the code line: no form field shows it.
            let mut shown = self.form.clone();
            shown.idle = true;
            shown.render(frame, form_area, lang);
        } else {
            self.form.render(frame, form_area, lang);
        }
        let form_height = self.form_height();
        if area.height <= form_height + 2 {
            return;
        }
        let below = rows(area, form_height, area.height - form_height);
        let label = format!(" {} ", lang.t("tool_form.scan"));
        let label_width = unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        let style = if self.on_scan {
            theme::KEY
        } else {
            theme::TITLE
        };
        frame.render_widget(Span::styled(label, style), rows(below, 0, 1));
        let input_area = Rect {
            x: below.x + label_width,
            width: below.width.saturating_sub(label_width).min(24),
            ..rows(below, 0, 1)
        };
        let input_style = if self.on_scan {
            theme::INPUT
        } else {
            ratatui::style::Style::new()
        };
        self.scan
            .render(frame, input_area, input_style, self.on_scan);
        let message = match &self.scan_error {
            Some(e) => Span::styled(format!(" {e}"), theme::FIELD_ERROR),
            None => Span::styled(format!(" {}", lang.t("tool_form.scan_hint")), theme::HINT),
        };
        frame.render_widget(Paragraph::new(Line::from(message)), rows(below, 1, 1));
        if let Some(held) = self.held_line(ctx) {
            frame.render_widget(Paragraph::new(Line::from(held)), rows(below, 2, 1));
        }
        let lines: Vec<String> = self
            .tools
            .iter()
            .map(|t| {
                let due = self.due_of(t, ctx.today);
                lang.tf(
                    "tool_form.added",
                    &[
                        ("code", &t.code),
                        ("name", &fit(&t.name, 16).trim_end().to_owned()),
                        ("due", &due.to_string()),
                    ],
                )
            })
            .collect();
        let heading = lang.tf("tool_form.scanned", &[("count", &self.tools.len())]);
        render_scanned(
            frame,
            rows(below, 3, below.height.saturating_sub(3)),
            &heading,
            &lines,
        );
    }
}

/// A heading and the codes scanned so far, numbered, the newest at the bottom and always in
/// view: the check-out's list and the return scan's.
pub(super) fn render_scanned(frame: &mut Frame, area: Rect, heading: &str, lines: &[String]) {
    if area.height == 0 {
        return;
    }
    frame.render_widget(
        Span::styled(format!(" {heading}"), theme::SECTION),
        rows(area, 0, 1),
    );
    let room = usize::from(area.height - 1);
    let skip = lines.len().saturating_sub(room);
    for (i, line) in lines.iter().skip(skip).enumerate() {
        frame.render_widget(
            Paragraph::new(format!("  {}. {line}", skip + i + 1)),
            rows(area, 1 + i as u16, 1),
        );
    }
}
