//! Scratch: prints catalogs (temporary, removed before finishing).
use modelgen_testdb::*;
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let pg = Postgres::start().unwrap();
    eprintln!("pg start {:?}", t.elapsed());
    let t = Instant::now();
    pg.create_database("d");
    pg.exec("d", "CREATE TABLE u (id serial primary key, a varchar(255), b text, c integer, d bigint, e double precision, f real, g numeric(10,2), h boolean, i timestamp, j timestamptz, k date, l uuid, m json, n jsonb, o char(36), p integer generated always as identity, q varchar(10) default 'x', r timestamp default now(), s smallint, t bytea, unique(c,d)); CREATE INDEX ix ON u (lower(b), c DESC) WHERE (c > 1 AND d < 2); CREATE INDEX ix2 ON u (b) INCLUDE (c);").unwrap();
    let c = pg.catalog("d");
    eprintln!("pg create+catalog {:?}", t.elapsed());
    println!("{}", serde_json::to_string_pretty(&c).unwrap());
    let t = Instant::now();
    let my = MariaDb::start().unwrap();
    eprintln!("maria start {:?}", t.elapsed());
    let t = Instant::now();
    my.create_database("d");
    my.exec("d", "CREATE TABLE u (id int auto_increment primary key, a varchar(255), b text, c integer, d bigint, e double, f float, g numeric(10,2), h boolean, i timestamp null, j datetime, k date, l uuid, m json, o char(36), q varchar(10) default 'x', r timestamp default current_timestamp, s smallint, t blob, v int not null default 0, unique(c,d), key ix(b(10), c)); CREATE VIEW vv AS SELECT id FROM u;").unwrap();
    let c = my.catalog("d");
    eprintln!("maria create+catalog {:?}", t.elapsed());
    println!("{}", serde_json::to_string_pretty(&c).unwrap());
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE u (id INTEGER PRIMARY KEY, a VARCHAR(255), b TEXT, c integer, d BIGINT, e DOUBLE, f FLOAT, g NUMERIC(10,2), h BOOLEAN, i TIMESTAMP, j TIMESTAMPTZ, k DATE, l UUID, m JSON, o CHAR(36), q varchar(10) default 'x', r timestamp default CURRENT_TIMESTAMP, x, UNIQUE(c,d)); CREATE INDEX ix ON u (lower(b), c DESC) WHERE c > 1;").unwrap();
    println!("{}", serde_json::to_string_pretty(&sqlite_catalog(&conn)).unwrap());
}
