use modelgen::Model;

#[derive(Model)]
#[model(table = "accounts")]
#[model(index(columns(email), unique, where = "status = 'active'"))]
#[model(index(name = "ix_accounts_email_ci", columns("lower(email)", status)))]
pub struct Account {
    #[model(primary_key)]
    pub id: i32,
    #[model(max_length = 100)]
    pub email: String,
    #[model(max_length = 10)]
    pub status: String,
}

fn main() {
    let indexes = &Account::model().indexes;
    assert_eq!(indexes[0].name, "ix_accounts_email");
    assert!(indexes[0].predicate.is_some());
    assert_eq!(indexes[1].columns[1], "status");
    let sql = Account::create_sql(modelgen::Dialect::Postgres);
    assert!(sql.contains(r#"CREATE UNIQUE INDEX "ix_accounts_email" ON "accounts" ("email") WHERE "status" = 'active';"#), "{sql}");
    assert!(sql.contains(r#"ON "accounts" ((lower("email")), "status");"#), "{sql}");
}
