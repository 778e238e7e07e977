//! Market-data push parsing alone: the SDK's one-pass `QuotePush::parse` against a hand-written
//! `split`-and-`parse` baseline, over 1,000 distinct ticker pushes and 1,000 distinct depth
//! pushes (5 levels a side) per iteration.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mm_sdk_bench::calls::Side;
use mm_sdk_bench::streams;

fn quote_push(c: &mut Criterion) {
    let tickers = streams::ticker_pushes(streams::PUSHES);
    let mut group = c.benchmark_group("quote_push_ticker");
    group.throughput(Throughput::Elements(tickers.len() as u64));
    group.bench_function(Side::Baseline.name(), |b| {
        b.iter(|| {
            for text in &tickers {
                black_box(streams::baseline_ticker(black_box(text)).expect("parses"));
            }
        })
    });
    group.bench_function(Side::Sdk.name(), |b| {
        b.iter(|| {
            for text in &tickers {
                black_box(streams::sdk_ticker(black_box(text)).expect("parses"));
            }
        })
    });
    group.finish();

    let depths = streams::depth_pushes(streams::PUSHES);
    let mut group = c.benchmark_group("quote_push_depth");
    group.throughput(Throughput::Elements(depths.len() as u64));
    group.bench_function(Side::Baseline.name(), |b| {
        b.iter(|| {
            for text in &depths {
                black_box(streams::baseline_depth(black_box(text)).expect("parses"));
            }
        })
    });
    group.bench_function(Side::Sdk.name(), |b| {
        b.iter(|| {
            for text in &depths {
                black_box(streams::sdk_depth(black_box(text)).expect("parses"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, quote_push);
criterion_main!(benches);
