//! The two fields an approval adds to a form with accounts on (the approver's password to
//! countersign, or the paper slip's number), and turning them into evidence at save: the
//! countersignature is checked and logged on its own first, so a wrong password is recorded
//! even though the action is then not saved.

use super::form::FormField;
use crate::db::approvals::{self, Evidence};
use crate::domain::permission::Deed;
use crate::tui::screens::Ctx;

/// The password and slip fields, where accounts are on; none in open mode.
pub fn fields(ctx: &Ctx) -> Vec<FormField> {
    if !ctx.accounts_on() {
        return Vec::new();
    }
    let lang = ctx.lang;
    let mut slip = FormField::text(lang.t("approval.slip").to_owned(), "");
    slip.hint = Some(lang.t("approval.slip_hint").to_owned());
    vec![
        FormField::secret(
            lang.t("approval.password").to_owned(),
            lang.t("approval.password_hint").to_owned(),
        ),
        slip,
    ]
}

/// Why no evidence could be had, in words, and which field it belongs to.
pub enum Refused {
    /// The approver may not approve this at all.
    Approver(String),
    /// The countersignature was refused.
    Password(String),
}

/// The evidence the two fields give for `approver` approving `deed` within `action`: the
/// countersignature if a password was typed, else the slip, else none.
pub fn evidence(
    ctx: &mut Ctx,
    action: Deed,
    deed: Deed,
    approver: &str,
    password: &str,
    slip: &str,
) -> Result<Evidence, Refused> {
    if !password.is_empty() {
        let lang = ctx.lang;
        // Who may not approve is told so before their password is checked.
        let stamp = ctx.stamp();
        let may = approvals::check_approver(ctx.db.conn(), approver, deed, &stamp);
        match may {
            Ok(Err(e)) => return Err(Refused::Approver(e.message(lang))),
            Err(e) => return Err(Refused::Password(crate::words::failure_message(&e, lang))),
            Ok(Ok(())) => {}
        }
        return countersigned(ctx, action, approver, password, deed.key())
            .map_err(Refused::Password);
    }
    match slip.trim() {
        "" => Ok(Evidence::None),
        number => Ok(Evidence::Paper(number.to_owned())),
    }
}

/// `name` countersigns `what` within `action` with their password: the countersignature, or
/// why not in words. Logged either way.
pub fn countersigned(
    ctx: &mut Ctx,
    action: Deed,
    name: &str,
    password: &str,
    what: &str,
) -> Result<Evidence, String> {
    let lang = ctx.lang;
    let signed = ctx.save(action, |tx, stamp| {
        approvals::countersign(tx, name, password, what, stamp.at, &stamp.by)
    });
    match signed {
        Ok(Ok(countersigned)) => Ok(Evidence::Countersigned(countersigned)),
        Ok(Err(refused)) => Err(refused.message(lang)),
        Err(e) => Err(crate::words::failure_message(&e, lang)),
    }
}
