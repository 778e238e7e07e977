//! Rust names for spec names, spelled as typify spells them: the generated code refers to the
//! types typify makes, so both must agree.

use heck::{ToPascalCase, ToSnakeCase};

/// The type name typify gives the schema `name` (`FooVO` becomes `FooVo`).
pub fn pascal_case(name: &str) -> String {
    identifier(name, |s| s.to_pascal_case(), "X")
}

/// A snake_case identifier for `name` (`X-Forwarded-For` becomes `x_forwarded_for`), made
/// raw-safe: a keyword gets a trailing `_`.
pub fn snake_case(name: &str) -> String {
    identifier(name, |s| s.to_snake_case(), "x_")
}

fn identifier(name: &str, case: impl Fn(&str) -> String, prefix: &str) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut out = case(&cleaned);
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert_str(0, prefix);
    }
    if syn::parse_str::<syn::Ident>(&out).is_err() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_spelled_as_typify_spells_them() {
        assert_eq!(pascal_case("CustomerListRequest"), "CustomerListRequest");
        assert_eq!(pascal_case("FooVO"), "FooVo");
        assert_eq!(pascal_case("base_result"), "BaseResult");
        assert_eq!(snake_case("X-Forwarded-For"), "x_forwarded_for");
        assert_eq!(snake_case("recvWindow"), "recv_window");
        assert_eq!(snake_case("type"), "type_");
    }
}
