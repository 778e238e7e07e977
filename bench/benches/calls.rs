//! One call through the SDK and through the hand-written baseline, against the same local
//! server: the SDK's per-call cost.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use mm_sdk_bench::calls::{Call, Clients, Side};

fn calls(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let clients = Arc::new(Clients::start().expect("the local servers and both clients"));
    for call in Call::ALL {
        let mut group = c.benchmark_group(call.criterion_group());
        for side in Side::BOTH {
            group.bench_function(side.name(), |b| {
                b.to_async(&runtime).iter(|| {
                    let clients = Arc::clone(&clients);
                    async move { black_box(clients.call(side, call).await.expect("the call succeeds")) }
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, calls);
criterion_main!(benches);
