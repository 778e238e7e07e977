//! `mm-sdk-bench`: measures the SDK against the hand-written baseline and prints one table.
//! Run it with `cargo xtask bench`, which runs the criterion benches first (their results are
//! part of the table).
//!
//! Options: `--quick` (short runs, for a smoke test), `--build-time` (also measure the
//! generated code and its builds at today's size and at 400 operations, in copies of the
//! workspace; slow the first time), `--build-time-only` (that and codegen, without the calls),
//! `--streams-only` (only the market-data stream, end to end from an in-process sandbox; needs
//! no criterion results).

use std::alloc::System;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use mm_sdk_bench::calls::{Call, Clients, Side};
use mm_sdk_bench::load::{self, Plan, Samples};
use mm_sdk_bench::table::{self, Row, Target, Unit};
use mm_sdk_bench::{criterion_results, decode, fixtures, streams, timing};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Targets from the benchmark's brief.
const LATENCY_P50_MAX: f64 = 1.03;
const THROUGHPUT_MIN: f64 = 0.97;
const LARGE_DECODE_MAX: f64 = 1.2;
const ALLOCATIONS_MAX: f64 = 1.03;
const CODEGEN_MAX_SECONDS: f64 = 1.0;
const CONCURRENCIES: [usize; 3] = [1, 16, 64];
/// Market data end to end: ticker pushes per second, SDK / baseline.
const STREAM_THROUGHPUT_MIN: f64 = 1.0;
/// How often the sandbox pushes a ticker of each subscribed product.
const QUOTE_INTERVAL: Duration = Duration::from_millis(1);
/// Market-data connections a side opens at once to saturate the machine.
const STREAM_CONNECTIONS: usize = 8;

struct Options {
    quick: bool,
    build_time: bool,
    calls: bool,
    /// The market-data stream, end to end.
    streams: bool,
    /// Skip codegen (for `--streams-only`).
    codegen: bool,
}

fn main() -> std::process::ExitCode {
    let mut options = Options {
        quick: false,
        build_time: false,
        calls: true,
        streams: true,
        codegen: true,
    };
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--build-time" => options.build_time = true,
            "--build-time-only" => {
                options.build_time = true;
                options.calls = false;
                options.streams = false;
            }
            "--streams-only" => {
                options.calls = false;
                options.codegen = false;
            }
            other => {
                eprintln!(
                    "unknown option `{other}`; expected --quick, --build-time, --build-time-only \
                     or --streams-only"
                );
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    match run(&options) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .map_err(|e| format!("cannot find the workspace root: {e}"))?;
    let target = timing::target_dir(&root);
    let criterion = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| target.join("criterion"));
    let mut rows = Vec::new();

    if options.codegen {
        eprintln!("timing cargo xtask codegen…");
        rows.extend(codegen_rows(
            &root,
            &target,
            if options.quick { 1 } else { 5 },
        )?);
    }

    if options.calls {
        rows.extend(call_rows(options, &criterion)?);
    }
    if options.streams {
        rows.extend(stream_rows(options)?);
    }

    let mut failed = None;
    if options.build_time {
        // A failure here must not lose the rows measured so far.
        match scale_rows(&target, &root, if options.quick { 1 } else { 3 }) {
            Ok(scale) => rows.extend(scale),
            Err(e) => failed = Some(e),
        }
    }

    println!("{}", table::render(&rows));
    println!("{}", machine());
    failed.map_or(Ok(()), Err)
}

/// The calls through each side: latency, throughput, allocations, and criterion's results.
fn call_rows(options: &Options, criterion: &Path) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let clients = Arc::new(Clients::start()?);
    runtime.block_on(check_sides_agree(&clients))?;
    let plan = Plan {
        rounds: if options.quick { 2 } else { 20 },
        slice: Duration::from_millis(if options.quick { 100 } else { 300 }),
    };
    rows.extend(runtime.block_on(load_rows(&clients, plan))?);
    rows.extend(allocation_rows(
        &runtime,
        &clients,
        if options.quick { 20 } else { 200 },
    )?);
    rows.extend(criterion_rows(criterion)?);
    Ok(rows)
}

/// Market data end to end, from an in-process sandbox pushing a ticker of each of up to 100
/// products every [`QUOTE_INTERVAL`] on each connection: ticker pushes received and parsed per
/// second, and allocations per push, through each side (see [`streams::Feed`]). First with
/// one connection a side, then with [`STREAM_CONNECTIONS`] at once, which is more than the
/// two cores can serve: there the client's cost limits what gets through.
fn stream_rows(options: &Options) -> Result<Vec<Row>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let ms = Duration::from_millis;
    // One connection: the sandbox's pace is the limit, so long windows. Saturated: the
    // machine is the limit, and whatever else it runs comes and goes, so short windows,
    // interleaved many times, as for the calls.
    let plans = if options.quick {
        [
            (1, 2, ms(100), ms(300)),
            (STREAM_CONNECTIONS, 2, ms(150), ms(300)),
        ]
    } else {
        [
            (1, 6, ms(250), ms(1000)),
            (STREAM_CONNECTIONS, 20, ms(150), ms(300)),
        ]
    };
    runtime.block_on(async {
        let feed = streams::Feed::start(QUOTE_INTERVAL).await?;
        let products = feed.products();
        let mut rows = Vec::new();
        for (connections, rounds, warm_up, window) in plans {
            let plan = streams::Plan {
                rounds,
                connections,
                warm_up,
                window,
            };
            let [baseline, sdk] = stream_compare(&feed, plan).await?;
            let offered = connections * products * 1000 / QUOTE_INTERVAL.as_millis() as usize;
            let what = |measure: &str| {
                format!(
                    "market data end-to-end, {connections} connection{} a side: {measure}",
                    if connections == 1 { "" } else { "s" }
                )
            };
            let throughput = Row::compare(
                what(&format!("ticker pushes per second (sent: {offered}/s)")),
                baseline.per_second(),
                sdk.per_second(),
                Unit::PerSecond,
            );
            rows.push(throughput.target(Target::AtLeast(STREAM_THROUGHPUT_MIN)));
            rows.push(
                Row::compare(
                    what("allocations per push (client and sandbox)"),
                    baseline.allocations_per_push(),
                    sdk.allocations_per_push(),
                    Unit::Count,
                )
                .target(Target::AtMost(ALLOCATIONS_MAX)),
            );
            rows.push(Row::text(
                what("pushes received (dropped by the client)"),
                format!("{} (0)", baseline.pushes),
                format!("{} ({})", sdk.pushes, sdk.missed),
            ));
        }
        Ok(rows)
    })
}

/// One comparison of [`stream_rows`], each window reported as it ends.
async fn stream_compare(
    feed: &Arc<streams::Feed>,
    plan: streams::Plan,
) -> Result<[streams::Received; 2], String> {
    eprintln!(
        "market data end to end: {} connection(s) a side, {} products each, one push each every \
         {} ms; {} rounds of {} ms a side…",
        plan.connections,
        feed.products(),
        QUOTE_INTERVAL.as_millis(),
        plan.rounds,
        plan.window.as_millis()
    );
    let before = feed.connections();
    let received = feed
        .compare(plan, GLOBAL, |round, side, received| {
            eprintln!(
                "  round {}, {:8}: {:7.0} pushes/s, {:5.2} allocations/push, {} dropped",
                round + 1,
                side.name(),
                received.per_second(),
                received.allocations_per_push(),
                received.missed
            );
        })
        .await?;
    let opened = feed.connections() - before;
    let expected = 2 * plan.rounds as usize * plan.connections;
    if opened != expected {
        return Err(format!(
            "the sandbox accepted {opened} market-data connections, not one per side, round \
             and connection ({expected})"
        ));
    }
    eprintln!(
        "  the SDK reported {} pushes dropped (Lagged)",
        received[1].missed
    );
    Ok(received)
}

/// The operations of the synthetic specs the scale rows compare today's with.
const SCALE_OPERATIONS: usize = 400;
/// Targets of the rebuild after a one-field change at that size.
const REBUILD_MAX_SECONDS: f64 = 30.0;
const REBUILD_GENERATED_MAX_SECONDS: f64 = 10.0;
/// Target of a minimal application's cold build, over a full one's: a user compiles what they
/// enable.
const MINIMAL_BUILD_MAX_RATIO: f64 = 0.3;

/// The generated code and its builds, at today's size (the baseline column) and with synthetic
/// specs of [`SCALE_OPERATIONS`] operations (the SDK column).
fn scale_rows(target: &Path, root: &Path, edits: usize) -> Result<Vec<Row>, String> {
    eprintln!("measuring the build at today's size (slow the first time)…");
    let today = timing::scale(root, &target.join("bench-scale/today"), None, edits)?;
    eprintln!("measuring the build at {SCALE_OPERATIONS} operations (slow the first time)…");
    let big = timing::scale(
        root,
        &target.join("bench-scale/synthetic"),
        Some(SCALE_OPERATIONS),
        edits,
    )?;
    let seconds = |d: Duration| d.as_secs_f64();
    let mut rows = Vec::new();
    if let [full, minimal, ..] = today.applications.as_slice() {
        rows.push(
            Row::compare(
                format!(
                    "cold build of mm-sdk, features: {} / {} (wall)",
                    full.name, minimal.name
                ),
                seconds(full.cold),
                seconds(minimal.cold),
                Unit::Seconds,
            )
            .target(Target::AtMost(MINIMAL_BUILD_MAX_RATIO)),
        );
        rows.push(Row::compare(
            format!(
                "  generated lines compiled: {} / {}",
                full.name, minimal.name
            ),
            full.generated_lines as f64,
            minimal.generated_lines as f64,
            Unit::Whole,
        ));
    }
    rows.extend(vec![
        Row::compare(
            "operations in the specs (today / synthetic)",
            today.operations as f64,
            big.operations as f64,
            Unit::Whole,
        ),
        Row::compare(
            "generated Rust, lines",
            today.lines as f64,
            big.lines as f64,
            Unit::Whole,
        ),
        Row::compare(
            "generated Rust, MB",
            today.bytes as f64 / 1e6,
            big.bytes as f64 / 1e6,
            Unit::Count,
        ),
        Row::compare(
            "cold build of generated crates, mm-sdk and above (wall)",
            seconds(today.cold),
            seconds(big.cold),
            Unit::Seconds,
        ),
        Row::compare(
            "  of which generated crates and mm-sdk (compile times added)",
            seconds(today.cold_generated),
            seconds(big.cold_generated),
            Unit::Seconds,
        ),
        Row::compare(
            "one field added: `cargo xtask codegen`",
            seconds(today.codegen),
            seconds(big.codegen),
            Unit::Seconds,
        ),
        Row::compare(
            "one field added: `cargo build --workspace` after it",
            seconds(today.rebuild),
            seconds(big.rebuild),
            Unit::Seconds,
        ),
        Row::alone(
            "one field added at 400 operations: codegen + rebuild",
            seconds(big.codegen + big.rebuild),
            Unit::Seconds,
        )
        .target(Target::AtMost(REBUILD_MAX_SECONDS)),
        Row::alone(
            "  of which the edited area's crate",
            seconds(big.rebuild_generated),
            Unit::Seconds,
        )
        .target(Target::AtMost(REBUILD_GENERATED_MAX_SECONDS)),
    ]);
    Ok(rows)
}

/// The SDK and the baseline must decode the same answers, or comparing them means nothing.
async fn check_sides_agree(clients: &Clients) -> Result<(), String> {
    for call in Call::ALL {
        let baseline = clients.call(Side::Baseline, call).await?;
        let sdk = clients.call(Side::Sdk, call).await?;
        if baseline != sdk {
            return Err(format!(
                "{}: the baseline decoded {baseline:?}, the SDK {sdk:?}",
                call.name()
            ));
        }
    }
    Ok(())
}

fn codegen_rows(root: &Path, target: &Path, runs: usize) -> Result<Vec<Row>, String> {
    let cargo_xtask = timing::median(runs, || {
        let mut command = timing::cargo();
        command
            .args(["xtask", "codegen", "--check"])
            .current_dir(root);
        command
    })?;
    let xtask = target.join("debug").join("xtask");
    let binary = timing::median(runs, || {
        let mut command = std::process::Command::new(&xtask);
        command.args(["codegen", "--check"]).current_dir(root);
        command
    })?;
    Ok(vec![
        Row::alone(
            "`cargo xtask codegen --check`, every spec, after build",
            cargo_xtask.as_secs_f64(),
            Unit::Seconds,
        )
        .target(Target::AtMost(CODEGEN_MAX_SECONDS)),
        Row::alone(
            "  of which the xtask binary (load + generate)",
            binary.as_secs_f64(),
            Unit::Seconds,
        ),
    ])
}

async fn load_rows(clients: &Arc<Clients>, plan: Plan) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let mut total = [0usize; 2];
    let mut count = |baseline: &Samples, sdk: &Samples| {
        total[0] += baseline.requests();
        total[1] += sdk.requests();
    };
    for call in Call::ALL {
        eprintln!("latency of {} at concurrency 1…", call.name());
        let (baseline, sdk) = load::compare(clients, call, 1, plan).await?;
        count(&baseline, &sdk);
        rows.push(
            latency_row(call, "p50", 0.5, &baseline, &sdk).target(Target::AtMost(LATENCY_P50_MAX)),
        );
        rows.push(latency_row(call, "p99", 0.99, &baseline, &sdk));
        if call == Call::UserInfo {
            rows.push(throughput_row(call, 1, &baseline, &sdk));
        }
    }
    for concurrency in CONCURRENCIES.into_iter().filter(|&c| c > 1) {
        eprintln!("throughput of user_info at concurrency {concurrency}…");
        let (baseline, sdk) = load::compare(clients, Call::UserInfo, concurrency, plan).await?;
        count(&baseline, &sdk);
        rows.push(
            throughput_row(Call::UserInfo, concurrency, &baseline, &sdk)
                .target(Target::AtLeast(THROUGHPUT_MIN)),
        );
        rows.push(latency_row(
            Call::UserInfo,
            &format!("p99 at concurrency {concurrency},"),
            0.99,
            &baseline,
            &sdk,
        ));
    }
    let opened =
        |side: Side, requests: usize| format!("{} for {requests} calls", clients.connections(side));
    rows.push(Row::text(
        format!(
            "connections opened, all load runs (at most {} at once)",
            CONCURRENCIES[CONCURRENCIES.len() - 1]
        ),
        opened(Side::Baseline, total[0]),
        opened(Side::Sdk, total[1]),
    ));
    Ok(rows)
}

fn latency_row(call: Call, what: &str, q: f64, baseline: &Samples, sdk: &Samples) -> Row {
    Row::compare(
        format!("{}: {what} latency", call.name()),
        nanos(baseline.quantile(q)),
        nanos(sdk.quantile(q)),
        Unit::Nanos,
    )
}

fn throughput_row(call: Call, concurrency: usize, baseline: &Samples, sdk: &Samples) -> Row {
    Row::compare(
        format!("{}: throughput at concurrency {concurrency}", call.name()),
        baseline.throughput(),
        sdk.throughput(),
        Unit::PerSecond,
    )
}

fn nanos(d: Duration) -> f64 {
    d.as_nanos() as f64
}

/// Heap allocations per call, counted over `calls` sequential calls after a warm-up. They
/// include the local server's, which are the same for both sides: the difference is the
/// SDK's own.
fn allocation_rows(
    runtime: &tokio::runtime::Runtime,
    clients: &Clients,
    calls: usize,
) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for call in Call::ALL {
        let mut per_call = [0.0; 2];
        for (slot, side) in per_call.iter_mut().zip(Side::BOTH) {
            runtime.block_on(clients.call(side, call))?;
            let region = Region::new(GLOBAL);
            runtime.block_on(async {
                for _ in 0..calls {
                    clients.call(side, call).await?;
                }
                Ok::<_, String>(())
            })?;
            *slot = region.change().allocations as f64 / calls as f64;
        }
        rows.push(
            Row::compare(
                format!("{}: allocations per call (client and server)", call.name()),
                per_call[0],
                per_call[1],
                Unit::Count,
            )
            .target(Target::AtMost(ALLOCATIONS_MAX)),
        );
    }
    let page = fixtures::customer_page(fixtures::LARGE_PAGE_ROWS);
    let sdk = count_allocations(|| decode::sdk_customer_page(&page).map(drop))?;
    let baseline = count_allocations(|| decode::baseline_customer_page(&page).map(drop))?;
    rows.push(Row::compare(
        format!(
            "customer_list: allocations per decode ({} kB)",
            page.len() / 1000
        ),
        baseline,
        sdk,
        Unit::Count,
    ));
    let page = fixtures::position_page(fixtures::POSITION_PAGE_ROWS);
    let sdk = count_allocations(|| decode::sdk_positions_page(&page).map(drop))?;
    let baseline = count_allocations(|| decode::baseline_positions_page(&page).map(drop))?;
    rows.push(Row::compare(
        format!(
            "query_position_page: allocations per decode ({} kB)",
            page.len() / 1000
        ),
        baseline,
        sdk,
        Unit::Count,
    ));
    Ok(rows)
}

fn count_allocations(decode: impl Fn() -> decode::Result<()>) -> Result<f64, String> {
    decode()?;
    let region = Region::new(GLOBAL);
    decode()?;
    Ok(region.change().allocations as f64)
}

/// Rows from the criterion benches' last run.
fn criterion_rows(home: &Path) -> Result<Vec<Row>, String> {
    let page_kb = fixtures::customer_page(fixtures::LARGE_PAGE_ROWS).len() / 1000;
    let positions = fixtures::position_page(fixtures::POSITION_PAGE_ROWS);
    // The SDK and the baseline must decode the same values, or comparing them means nothing.
    let position_rows = decode::positions_agree(&positions)?;
    let mut rows = Vec::new();
    let mut compare = |group: &str, what: String, target: Option<Target>| {
        let baseline = criterion_results::median_ns(home, group, Side::Baseline.name())?;
        let sdk = criterion_results::median_ns(home, group, Side::Sdk.name())?;
        let row = Row::compare(what, baseline, sdk, Unit::Nanos);
        rows.push(match target {
            Some(target) => row.target(target),
            None => row,
        });
        Ok::<_, String>(())
    };
    compare(
        "decode_user_info",
        "user_info: decode (criterion median)".into(),
        None,
    )?;
    compare(
        "decode_customer_page",
        format!("customer_list: decode of {page_kb} kB (criterion median)"),
        Some(Target::AtMost(LARGE_DECODE_MAX)),
    )?;
    compare(
        "decode_positions_page",
        format!(
            "query_position_page: decode of {} kB, {position_rows} rows of {} money fields \
             (criterion median)",
            positions.len() / 1000,
            fixtures::POSITION_MONEY_FIELDS.len()
        ),
        Some(Target::AtMost(LARGE_DECODE_MAX)),
    )?;
    for call in Call::ALL {
        compare(
            &call.criterion_group(),
            format!("{}: one call (criterion median)", call.name()),
            None,
        )?;
    }
    Ok(rows)
}

/// The machine the numbers were taken on.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_else(|| "rustc unknown".into());
    format!("Machine: {cores} cores, {cpu}; {rustc}.")
}
