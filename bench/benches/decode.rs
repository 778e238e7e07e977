//! Envelope decoding alone: the SDK's generated types against hand-written structs, for a
//! small answer (`user_info`) and large ones: a customer page of about 1 MB, and a positions
//! page of about 1.1 MB whose rows hold 16 money fields each (`Decimal` in the SDK, `String`
//! in the baseline).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mm_sdk_bench::calls::Side;
use mm_sdk_bench::{decode, fixtures};

fn decode(c: &mut Criterion) {
    let small = fixtures::USER_INFO.as_bytes();
    let mut group = c.benchmark_group("decode_user_info");
    group.throughput(Throughput::Bytes(small.len() as u64));
    group.bench_function(Side::Baseline.name(), |b| {
        b.iter(|| decode::baseline_user_info(black_box(small)).expect("decodes"))
    });
    group.bench_function(Side::Sdk.name(), |b| {
        b.iter(|| decode::sdk_user_info(black_box(small)).expect("decodes"))
    });
    group.finish();

    let large = fixtures::customer_page(fixtures::LARGE_PAGE_ROWS);
    let mut group = c.benchmark_group("decode_customer_page");
    group.throughput(Throughput::Bytes(large.len() as u64));
    group.bench_function(Side::Baseline.name(), |b| {
        b.iter(|| decode::baseline_customer_page(black_box(&large)).expect("decodes"))
    });
    group.bench_function(Side::Sdk.name(), |b| {
        b.iter(|| decode::sdk_customer_page(black_box(&large)).expect("decodes"))
    });
    group.finish();

    let positions = fixtures::position_page(fixtures::POSITION_PAGE_ROWS);
    // Like with like: both sides decode the same values.
    decode::positions_agree(&positions).expect("the SDK and the baseline decode alike");
    let mut group = c.benchmark_group("decode_positions_page");
    group.throughput(Throughput::Bytes(positions.len() as u64));
    group.bench_function(Side::Baseline.name(), |b| {
        b.iter(|| decode::baseline_positions_page(black_box(&positions)).expect("decodes"))
    });
    group.bench_function(Side::Sdk.name(), |b| {
        b.iter(|| decode::sdk_positions_page(black_box(&positions)).expect("decodes"))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
