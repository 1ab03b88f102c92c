use super::*;
use crate::db::Db;
use crate::db::accounts::NewAccount;
use crate::db::directory::{self, PersonInput};
use crate::domain::role::Role;

fn stamp() -> Stamp {
    Stamp::at("王强", "2026-12-01 09:00:00")
}

fn person(db: &mut Db, name: &str, roles: &[Role]) {
    let input = PersonInput {
        name: name.into(),
        department: "信息中心".into(),
        roles: Roles::new(roles.iter().copied()),
        ..Default::default()
    };
    db.write(|tx| directory::add_person(tx, &input, &stamp()))
        .unwrap();
}

fn check_now(db: &Db, approver: &str, evidence: &Evidence) -> Result<String, ApprovalError> {
    check(
        db.conn(),
        approver,
        Deed::ApproveTransfer,
        evidence,
        &stamp(),
    )
    .unwrap()
}

#[test]
fn the_approver_is_a_working_person_who_holds_the_role_and_not_the_operator() {
    let mut db = Db::open_in_memory().unwrap();
    person(&mut db, "赵副", &[Role::Deputy]);
    person(&mut db, "钱工", &[Role::Maintainer, Role::Admin]);
    person(&mut db, "王强", &[Role::Deputy]);
    assert_eq!(check_now(&db, "赵副", &Evidence::None), Ok(String::new()));
    assert_eq!(
        check_now(&db, " ", &Evidence::None),
        Err(ApprovalError::NeedsApprover)
    );
    assert_eq!(
        check_now(&db, "路人甲", &Evidence::None),
        Err(ApprovalError::Unknown("路人甲".into()))
    );
    assert_eq!(
        check_now(&db, "钱工", &Evidence::None),
        Err(ApprovalError::LacksRole {
            name: "钱工".into(),
            roles: Roles::new([Role::Deputy])
        }),
        "an admin keeps the system; approving is the deputy's"
    );
    assert_eq!(
        check_now(&db, "王强", &Evidence::None),
        Err(ApprovalError::SelfApproved)
    );
}

#[test]
fn with_accounts_on_the_approver_countersigns_or_a_paper_slip_is_named() {
    let mut db = Db::open_in_memory().unwrap();
    person(&mut db, "赵副", &[Role::Deputy]);
    let new = NewAccount {
        login: "zhao".into(),
        name: "赵副".into(),
        ..Default::default()
    };
    let hash = crate::domain::account::hash("zhao-pass-1");
    db.write(|tx| accounts::add(tx, &new, &hash, &stamp()))
        .unwrap();
    assert_eq!(
        check_now(&db, "赵副", &Evidence::None),
        Err(ApprovalError::NeedsEvidence)
    );
    assert_eq!(
        check_now(&db, "赵副", &Evidence::Paper("DB-2026-031".into())),
        Ok("paper:DB-2026-031".into())
    );
    let now = stamp().at;
    let wrong = db
        .write(|tx| countersign(tx, "赵副", "guess", "approve_transfer", now, "王强"))
        .unwrap();
    assert_eq!(wrong, Err(Refused::WrongLoginOrPassword));
    let signed = db
        .write(|tx| countersign(tx, "赵副", "zhao-pass-1", "approve_transfer", now, "王强"))
        .unwrap()
        .unwrap();
    let evidence = Evidence::Countersigned(signed);
    assert_eq!(
        check_now(&db, "赵副", &evidence),
        Ok("countersigned:zhao".into())
    );
    let kinds: Vec<String> = crate::db::column(
        db.conn(),
        "SELECT kind || ' ' || detail FROM account_events ORDER BY id",
    );
    assert_eq!(
        kinds[1..],
        [
            "sign_in_failed ",
            "countersigned countersign: approve_transfer"
        ]
    );
}
