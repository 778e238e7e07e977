//! An operator's back-office tool: the Manager API is all it compiles of the SDK
//! (`mm-sdk = { features = ["manager"] }`).

use mm_sdk::manager::customer::{CustomerListRequest, CustomerPage};
use mm_sdk::{Error, MultiMarkets};

/// How many customers the company has.
pub async fn customer_count(mm: &MultiMarkets) -> Result<i64, Error> {
    let request = CustomerListRequest::new().current(1).size(1);
    let page = mm.manager().customer().customer_list(&request).await?;
    Ok(page.total)
}

/// The customer numbers of a page's customers that are in customer group `group`.
pub fn in_group(page: &CustomerPage, group: i64) -> Vec<&str> {
    page.records
        .iter()
        .filter(|customer| customer.customer_group_id == Some(group))
        .map(|customer| customer.customer_no.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use mm_sdk::manager::customer::{CustomerPage, CustomerSummary};

    /// An answer built by hand, as a user's own tests build one, fed to the user's code.
    #[test]
    fn a_page_built_by_hand_feeds_the_report() {
        let page = CustomerPage::new(
            1,
            vec![
                CustomerSummary::new(421, "86000001", 1).customer_group_id(7),
                CustomerSummary::new(421, "86000002", 2).customer_group_id(8),
                CustomerSummary::new(421, "86000003", 3),
            ],
            10,
            3,
        );
        assert_eq!(super::in_group(&page, 7), ["86000001"]);
        assert!(super::in_group(&page, 9).is_empty());
    }
}
