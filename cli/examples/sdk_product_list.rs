//! The SDK's side of `mm`'s start-up benchmark (BENCHMARKS.md, "The command line"): the call
//! `mm --sandbox URL manager products product-list --company-id 421` makes, as a small Rust
//! program makes it, its data printed as JSON.
//!
//! ```sh
//! cargo run --release -p mm-cli --example sdk_product_list -- http://127.0.0.1:PORT/
//! ```

use mm_sdk::manager::products::ProductListRequest;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .ok_or("give the sandbox's URL (`mm sandbox` prints it)")?
        .parse()?;
    let config = mm_sdk::sandbox::Config::default();
    let mm: mm_sdk::MultiMarkets = mm_sdk::sandbox::builder_at(url, &config).build()?;
    let products = mm
        .manager()
        .products()
        .product_list(&ProductListRequest::new(config.company_id.as_str()))
        .await?;
    println!("{}", serde_json::to_string(&products)?);
    Ok(())
}
