//! A local MultiMarkets sandbox.
