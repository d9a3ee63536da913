//! Enum columns through the generated queries on real SQLite, PostgreSQL and MariaDB:
//! PostgreSQL's own enum type, MySQL's ENUM and SQLite's VARCHAR for `TicketState`, a
//! VARCHAR with a CHECK for `Severity` (`native: false`), `Mood`, whose PostgreSQL type
//! name is not ASCII (which sqlx 0.9 cannot look up as it is), every value written and
//! read back, the stored text as the spec spells it, and a value outside the enum refused
//! by the database.

use modelgen_types_example::models::{Mood, NewTicket, Severity, TicketChannel, TicketPatch, TicketState};

#[allow(dead_code)]
#[path = "common/samples.rs"]
#[macro_use]
mod samples;

macro_rules! scenario {
    ($pool:expr, $d:expr, $db:ident) => {{
        use modelgen_types_example::models::queries::$db::ticket as db;
        let pool = $pool;
        let d: modelgen::Dialect = $d;
        let create = modelgen_sql::create_script(&samples::schema(), d);
        sqlx::raw_sql(sqlx::AssertSqlSafe(create)).execute(&pool).await.unwrap();

        let new = NewTicket::new(TicketChannel::Email);
        assert_eq!(new.state, TicketState::Open, "{d:?}: the spec's default");
        let first = db::insert(&pool, &new).await.unwrap();
        assert_eq!(
            (first.state, first.severity, first.channel),
            (TicketState::Open, None, TicketChannel::Email)
        );
        let mut rows = vec![first.clone()];
        for (state, severity) in TicketState::ALL
            .into_iter()
            .zip([Some(Severity::Low), Some(Severity::High), None])
        {
            let row = db::insert(
                &pool,
                &NewTicket {
                    state,
                    severity,
                    channel: TicketChannel::Phone,
                    ref_state: Some(state),
                    mood: Some(if severity.is_some() { Mood::Busy } else { Mood::Calm }),
                },
            )
            .await
            .unwrap();
            assert_eq!(
                (row.state, row.severity, row.ref_state, row.mood),
                (
                    state,
                    severity,
                    Some(state),
                    Some(if severity.is_some() { Mood::Busy } else { Mood::Calm })
                ),
                "{d:?}: insert"
            );
            rows.push(row);
        }
        assert_eq!(db::page(&pool, None, 10).await.unwrap(), rows, "{d:?}: read back");
        let patch = TicketPatch {
            state: Some(TicketState::InProgress),
            severity: Some(Some(Severity::High)),
            ..Default::default()
        };
        assert!(db::patch(&pool, first.id, &patch).await.unwrap(), "{d:?}: patch");
        let patched = db::get(&pool, first.id).await.unwrap().unwrap();
        assert_eq!(
            (patched.state, patched.severity),
            (TicketState::InProgress, Some(Severity::High))
        );
        // The database holds the spec's spelling of each value.
        let text = match d {
            modelgen::Dialect::Postgres => "TEXT",
            _ => "CHAR(20)",
        };
        let stored: Vec<(String, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT CAST(state AS {text}), CAST(severity AS {text}) FROM tickets WHERE id = {}",
            first.id
        )))
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(
            stored,
            [("in-progress".to_owned(), Some("high".to_owned()))],
            "{d:?}: stored text"
        );
        // A value outside the enum is refused by the database itself.
        let bad = sqlx::raw_sql(sqlx::AssertSqlSafe(
            "INSERT INTO tickets (state, severity, channel) VALUES ('open', 'medium', 'email')",
        ))
        .execute(&pool)
        .await;
        assert!(bad.is_err(), "{d:?}: a severity outside the enum");
    }};
}

on_three_databases!(
    scenario,
    "types_enums",
    enums_on_sqlite,
    enums_on_postgres,
    enums_on_mariadb
);
