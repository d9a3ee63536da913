//! Prints a synthetic spec: `specgen <models> [seed]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let models: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    print!("{}", modelgen_bench::spec(models, seed));
}
