//! Benchmarks of the SDK: what it costs over a hand-written HTTP call to the same local server,
//! what decoding costs, what its market-data stream costs over a hand-written WebSocket client
//! of the sandbox, and how long code generation and rebuilds take.
//!
//! - `cargo bench -p mm-sdk-bench` runs the criterion benches (`benches/calls.rs`: one call
//!   through each side; `benches/decode.rs`: envelope decoding alone; `benches/quote_push.rs`:
//!   market-data push parsing alone).
//! - `cargo xtask bench` runs them, then the `mm-sdk-bench` binary, which measures latency
//!   percentiles, throughput, connection reuse, allocations, market-data pushes per second
//!   end to end ([`streams::Feed`]) and codegen time and prints one table. See
//!   `BENCHMARKS.md`.

pub mod baseline;
pub mod calls;
pub mod criterion_results;
pub mod decode;
pub mod fixtures;
pub mod load;
pub mod server;
pub mod streams;
pub mod table;
pub mod timing;
