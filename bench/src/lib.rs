//! Benchmarks of the SDK.
