//! Scratch: starts shared servers and sleeps (temporary, removed before finishing).
fn main() {
    // Start from a short-lived thread to check the spawner thread keeps them alive.
    std::thread::spawn(|| {
        modelgen_testdb::shared_postgres().unwrap();
        modelgen_testdb::shared_mariadb().unwrap();
    }).join().unwrap();
    let secs: u64 = std::env::args().nth(1).unwrap().parse().unwrap();
    println!("{}", modelgen_testdb::shared_postgres().unwrap().exec("postgres", "select 1").unwrap().trim());
    std::thread::sleep(std::time::Duration::from_secs(secs));
}
