//! The roles a person in the directory may hold, named after the regulations (seed digest §8):
//! who approves what, who keeps the machine room, who only reads.

/// One role. A person may hold several (a network administrator on the duty roster).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Manages accounts, restores backups, retires templates.
    Admin,
    /// 主任: approves equipment leaving the centre.
    Director,
    /// 副主任 / 副总经理: approves transfer slips.
    Deputy,
    /// 主管领导: approves other departments' tool loans and outside repairs.
    Supervisor,
    /// 部门经理: approves scrapping.
    DepartmentHead,
    /// 网络管理员: keeps the register, the IP table, templates and metrics.
    NetworkAdmin,
    /// 维护员: takes repair steps.
    Maintainer,
    /// 值班: works checklists, readings, fault reports, loans and returns.
    Duty,
    /// Reads only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::Director,
        Role::Deputy,
        Role::Supervisor,
        Role::DepartmentHead,
        Role::NetworkAdmin,
        Role::Maintainer,
        Role::Duty,
        Role::Viewer,
    ];

    /// The stored key, the same in every language.
    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Director => "director",
            Role::Deputy => "deputy",
            Role::Supervisor => "supervisor",
            Role::DepartmentHead => "department_head",
            Role::NetworkAdmin => "network_admin",
            Role::Maintainer => "maintainer",
            Role::Duty => "duty",
            Role::Viewer => "viewer",
        }
    }

    /// The role's name as the regulations write it, which a Chinese file may use.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Director => "主任",
            Role::Deputy => "副主任",
            Role::Supervisor => "主管领导",
            Role::DepartmentHead => "部门经理",
            Role::NetworkAdmin => "网络管理员",
            Role::Maintainer => "维护员",
            Role::Duty => "值班",
            Role::Viewer => "查看",
        }
    }

    /// Catalog key of the role's name on screen.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "role.admin",
            Role::Director => "role.director",
            Role::Deputy => "role.deputy",
            Role::Supervisor => "role.supervisor",
            Role::DepartmentHead => "role.department_head",
            Role::NetworkAdmin => "role.network_admin",
            Role::Maintainer => "role.maintainer",
            Role::Duty => "role.duty",
            Role::Viewer => "role.viewer",
        }
    }

    /// A role by its key (any case) or its Chinese name.
    pub fn parse(text: &str) -> Option<Role> {
        let text = text.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.key().eq_ignore_ascii_case(text) || r.name_zh() == text)
    }
}

/// The roles one person holds, in the order of [`Role::ALL`], each once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Roles(Vec<Role>);

impl Roles {
    /// No role at all.
    pub const fn none() -> Roles {
        Roles(Vec::new())
    }

    pub fn new(roles: impl IntoIterator<Item = Role>) -> Roles {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort();
        roles.dedup();
        Roles(roles)
    }

    /// Roles as a file or a form gives them: keys or Chinese names, separated by spaces,
    /// commas (either width), 、 or semicolons; empty for none. The first word that names no
    /// role is the error.
    pub fn parse(text: &str) -> Result<Roles, String> {
        let words = text
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
            .filter(|w| !w.is_empty());
        let mut roles = Vec::new();
        for word in words {
            roles.push(Role::parse(word).ok_or_else(|| word.to_owned())?);
        }
        Ok(Roles::new(roles))
    }

    /// The stored form: keys separated by one space.
    pub fn keys(&self) -> String {
        self.0.iter().map(|r| r.key()).collect::<Vec<_>>().join(" ")
    }

    /// Roles from their stored form; a key this program does not know is passed over.
    pub fn from_keys(keys: &str) -> Roles {
        Roles::new(keys.split_whitespace().filter_map(Role::parse))
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_by_key_or_chinese_name_in_any_separator_and_stored_by_key() {
        let roles = Roles::parse("网络管理员、Duty， director").unwrap();
        assert_eq!(roles.keys(), "director network_admin duty");
        assert_eq!(Roles::from_keys(&roles.keys()), roles);
        assert_eq!(Roles::parse(" "), Ok(Roles::default()));
        assert_eq!(Roles::parse("主任 老板"), Err("老板".to_owned()));
        // Each once, in one order, however often and in whatever order they were given.
        assert_eq!(Roles::parse("值班 duty 值班").unwrap().keys(), "duty");
    }

    #[test]
    fn every_role_has_its_own_key_and_chinese_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()), Some(role));
            assert_eq!(Role::parse(role.name_zh()), Some(role));
        }
    }
}
