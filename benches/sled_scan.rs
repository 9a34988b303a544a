//! What sled 0.34 holds in memory for a ledger's view: after opening it, after one scan of the
//! whole tree (what the store helper does to load the app), and after handing freed memory back.
//! It shows the scan's nodes staying in memory whatever the cache size, which is why the app
//! lets the helper that loaded a large ledger go (`Store::after_bulk_read`).
//!
//! `cargo bench --bench sled_scan -- VIEW_DIR [CACHE_BYTES]`, on a *copy* of a ledger's `view`
//! directory (opening it directly would bypass the store's lock). Figures go to BENCHMARKS.md.

use std::error::Error;

fn resident() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or("?".to_string(), |kb| format!("{} MB", kb / 1024))
    };
    format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}

fn main() -> Result<(), Box<dyn Error>> {
    // cargo bench hands `--bench` to every bench binary: skip flags.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(view) = args.first() else {
        println!(
            "usage: cargo bench --bench sled_scan -- VIEW_DIR [CACHE_BYTES] (a copy of a view)"
        );
        return Ok(());
    };
    let cache: u64 = match args.get(1) {
        Some(bytes) => bytes.parse()?,
        None => 4 << 20,
    };
    println!("start                     {}", resident());
    let db = sled::Config::new()
        .path(view)
        .flush_every_ms(None)
        .cache_capacity(cache)
        .open()?;
    println!("opened                    {}", resident());
    hand_back();
    println!("freed memory handed back  {}", resident());
    let tree = db.open_tree("ledger")?;
    let (mut keys, mut bytes) = (0u64, 0u64);
    for pair in tree.iter() {
        let (k, v) = pair?;
        keys += 1;
        bytes += (k.len() + v.len()) as u64;
    }
    println!("scanned {keys} keys, {} MB  {}", bytes >> 20, resident());
    hand_back();
    println!("freed memory handed back  {}", resident());
    Ok(())
}

/// Give glibc's free memory back to the system, so what is left resident is what sled holds.
fn hand_back() {
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointers of ours.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}
