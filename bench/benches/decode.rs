//! Envelope decoding alone: the SDK's generated types against hand-written structs, for a
//! small answer (`user_info`) and a large one (a customer page of about 1 MB).

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
}

criterion_group!(benches, decode);
criterion_main!(benches);
