//! Lists the `data` type of every generated operation's response, so that the envelope target
//! decodes each of them and cannot fall behind the specs.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

const MARKER: &str = "ResponseValue<crate::Envelope<";

fn main() {
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    let mut types = BTreeSet::new();
    for api in ["client", "manager", "auth2"] {
        let file = generated.join(format!("{api}.rs"));
        println!("cargo::rerun-if-changed={}", file.display());
        let source = std::fs::read_to_string(&file).expect("the generated sources are readable");
        // prettyplease may break a long type over lines.
        let source: String = source.split_whitespace().collect();
        for (at, _) in source.match_indices(MARKER) {
            types.insert(
                data_type(&source[at + MARKER.len()..]).replace("crate::", "mm_sdk_generated::"),
            );
        }
    }
    assert!(
        types.len() > 10,
        "found only {} response types",
        types.len()
    );
    let mut out = String::from(
        "/// Every response `data` type of the generated clients.\nmacro_rules! each_response_type {\n    ($check:ident, $body:expr) => {\n",
    );
    for ty in &types {
        writeln!(out, "        $check::<{ty}>($body);").unwrap();
    }
    out.push_str("    };\n}\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("response_types.rs");
    std::fs::write(dest, out).unwrap();
}

/// The type at the start of `rest`, up to the `>` that closes `Envelope<`.
fn data_type(rest: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '<' => depth += 1,
            '>' if depth == 0 => return &rest[..i],
            '>' => depth -= 1,
            _ => {}
        }
    }
    panic!("unterminated `Envelope<` in the generated code");
}
