//! The market-data push parser allocates nothing per field: a ticker or trade push parses
//! with no allocation at all, a depth push with exactly one per side. Counted by the global
//! allocator, so this file holds one test only (others would allocate concurrently).

use std::alloc::System;

use mm_sdk::streams::QuotePush;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn allocations(text: &str) -> usize {
    let region = Region::new(GLOBAL);
    let push = QuotePush::parse(std::hint::black_box(text)).expect("a valid push");
    let allocations = region.change().allocations;
    drop(push);
    allocations
}

#[test]
fn pushes_parse_without_allocating_per_field() {
    let ticker = "p(1123,1,1,1232312,34545435345,6.23,6.23,6.24,123,234);";
    let trade = "pt(1123,1,0,1232312,34545435345,6.23,1000,1);";
    let depth =
        "pd(1123,1,0,1232312,34545435345);(6.23,123)(6.22,256);(6.24,111)(6.25,222)(6.26,7);";
    assert_eq!(allocations(ticker), 0, "ticker push");
    assert_eq!(allocations(trade), 0, "trade push");
    assert_eq!(allocations(depth), 2, "depth push: one vector per side");
}
