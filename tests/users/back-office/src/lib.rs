//! An operator's back-office tool: the Manager API is all it compiles of the SDK
//! (`mm-sdk = { features = ["manager"] }`).

use mm_sdk::manager::customer::CustomerListRequest;
use mm_sdk::{Error, MultiMarkets};

/// How many customers the company has.
pub async fn customer_count(mm: &MultiMarkets) -> Result<i64, Error> {
    let request = CustomerListRequest::new().current(1).size(1);
    let page = mm.manager().customer().customer_list(&request).await?;
    Ok(page.total)
}
