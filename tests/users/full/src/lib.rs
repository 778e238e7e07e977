//! A trading app over the whole platform (`mm-sdk = { features = ["full"] }`).

use mm_sdk::client::trade::PositionQueryPositionPageRequest;
use mm_sdk::{Error, LoginToken, MultiMarkets};

/// The trade type of the isolated-margin contract.
const ISOLATED_MARGIN: i64 = 2;

/// How many isolated-margin positions the customer of `token` holds open.
pub async fn open_positions(mm: &MultiMarkets, token: &LoginToken) -> Result<usize, Error> {
    let request = PositionQueryPositionPageRequest::new(ISOLATED_MARGIN);
    let page = mm
        .client()
        .trade()
        .position_query_position_page(token, &request)
        .await?;
    Ok(page.len())
}
