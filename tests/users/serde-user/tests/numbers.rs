//! The user's own serde types read numbers as serde promises beside `mm-sdk`, which still
//! reads its money exactly.

use mm_sdk::{Decimal, DecimalNumber};
use mm_user_serde::{Event, Figures, Reading, Record};

#[test]
fn untagged_enums_read_numbers() {
    let readings: Vec<Reading> = serde_json::from_str(r#"[7, 1.5, -2, "x"]"#).unwrap();
    assert_eq!(
        readings,
        [
            Reading::Count(7),
            Reading::Measure(1.5),
            Reading::Measure(-2.0),
            Reading::Word("x".into())
        ]
    );
}

#[test]
fn internally_tagged_enums_read_numbers() {
    let events: Vec<Event> = serde_json::from_str(
        r#"[{"kind": "price", "value": 12.25}, {"kind": "volume", "value": 300}]"#,
    )
    .unwrap();
    assert_eq!(
        events,
        [Event::Price { value: 12.25 }, Event::Volume { value: 300 }]
    );
}

#[test]
fn flattened_fields_read_numbers() {
    let record: Record = serde_json::from_str(r#"{"id": 4, "price": 0.5, "change": -3}"#).unwrap();
    assert_eq!(
        record,
        Record {
            id: 4,
            figures: Figures {
                price: 0.5,
                change: -3
            }
        }
    );
}

#[test]
fn a_number_out_of_range_is_an_error_as_serde_json_documents() {
    // With `arbitrary_precision` on, this would be a `Value` holding the text.
    assert!(serde_json::from_str::<serde_json::Value>("1e400").is_err());
}

#[test]
fn the_sdk_still_reads_money_exactly() {
    // 18 significant digits: more than an f64 holds.
    let text = "1234567890.12345678";
    let number: DecimalNumber = serde_json::from_str(text).unwrap();
    assert_eq!(number.get(), Decimal::from_str_exact(text).unwrap());
    assert_eq!(serde_json::to_string(&number).unwrap(), text);
}
