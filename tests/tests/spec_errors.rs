//! A broken spec is reported with the file and the place in it, never with a panic.

use std::path::Path;

use mm_sdk_codegen::{Error, parse};

/// A minimal valid spec; each test breaks one thing in it.
const VALID: &str = r##"openapi: 3.0.3
info:
  title: Test
  version: 0.1.0
paths:
  /auth2/user:
    post:
      operationId: user_info
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/UserInfoRequest'
      responses:
        "200":
          description: Success
components:
  schemas:
    UserInfoRequest:
      type: object
      properties:
        accessToken:
          type: string
          format: password
"##;

fn error_for(text: &str) -> Error {
    parse(Path::new("openapi/broken.yaml"), text).expect_err("the spec should be rejected")
}

#[test]
fn the_valid_spec_is_accepted() {
    let spec = parse(Path::new("openapi/valid.yaml"), VALID).expect("valid spec");
    assert_eq!(spec.openapi.info.title, "Test");
}

/// A field named like a secret left a plain string would print in `Debug`: refused, naming it.
#[test]
fn a_secret_left_plain_is_refused() {
    let text = VALID.replace("          format: password\n", "");
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /components/schemas/UserInfoRequest/properties/accessToken: `accessToken` names a secret: give it `format: password` so that it is redacted wherever it is printed");
}

#[test]
fn bad_yaml_names_file_line_and_column() {
    let text = VALID.replace("    post:\n", "    post:\n  - oops: [\n");
    let error = error_for(&text);
    assert!(
        matches!(
            error,
            Error::Syntax {
                location: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    insta::assert_snapshot!(error.to_string(), @"openapi/broken.yaml:8:3: did not find expected key (at /paths)");
}

#[test]
fn wrong_shape_names_the_json_pointer() {
    let text = VALID.replace("  version: 0.1.0\n", "  version: [0, 1]\n");
    let error = error_for(&text);
    insta::assert_snapshot!(error.to_string(), @"openapi/broken.yaml:4:12: invalid type: sequence, expected a string (at /info/version)");
}

#[test]
fn unknown_ref_names_the_ref_and_where_it_is() {
    let text = VALID.replace("schemas/UserInfoRequest'", "schemas/UserInfoRequst'");
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/requestBody/content/application~1json/schema/$ref: unknown $ref `#/components/schemas/UserInfoRequst`");
}

#[test]
fn external_ref_is_refused() {
    let text = VALID.replace("'#/components/schemas/UserInfoRequest'", "'other.yaml#/X'");
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/requestBody/content/application~1json/schema/$ref: external $ref `other.yaml#/X` is not supported; use `#/components/...`");
}

#[test]
fn missing_operation_id_names_the_operation() {
    let text = VALID.replace("      operationId: user_info\n", "");
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /paths/~1auth2~1user/post: missing operationId");
}

#[test]
fn operation_id_must_be_snake_case() {
    let text = VALID.replace("operationId: user_info", "operationId: userInfo");
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/operationId: operationId `userInfo` is not snake_case ([a-z][a-z0-9_]*)");
}

#[test]
fn duplicate_operation_id_names_both_operations() {
    let second = "  /auth2/user2:\n    post:\n      operationId: user_info\n      responses:\n        \"200\":\n          description: Success\n";
    let text = VALID.replace("components:\n", &format!("{second}components:\n"));
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /paths/~1auth2~1user2/post/operationId: duplicate operationId `user_info` (first used at /paths/~1auth2~1user/post)");
}

#[test]
fn missing_example_file_is_reported() {
    let example = "          content:\n            application/json:\n              examples:\n                docs:\n                  externalValue: examples/nowhere.json\n";
    let text = VALID.replace(
        "          description: Success\n",
        &format!("          description: Success\n{example}"),
    );
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/responses/200/content/application~1json/examples/docs/externalValue: example file `examples/nowhere.json` does not exist");
}

#[test]
fn openapi_3_1_is_refused() {
    let text = VALID.replace("openapi: 3.0.3", "openapi: 3.1.0");
    insta::assert_snapshot!(error_for(&text).to_string(), @"openapi/broken.yaml: at /openapi: unsupported OpenAPI version `3.1.0` (expected 3.0.x)");
}

#[test]
fn unreadable_file_is_reported() {
    let error = mm_sdk_codegen::load(Path::new("openapi/does-not-exist.yaml")).unwrap_err();
    assert!(matches!(error, Error::Read { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("openapi/does-not-exist.yaml: cannot read: "),
        "{error}"
    );
}

/// A minimal spec the generator accepts: `VALID` with the `x-mm-*` facts and an envelope.
const MODELLED: &str = r##"openapi: 3.0.3
info:
  title: Test
  version: 0.1.0
x-mm-api: auth2
x-mm-headers:
  trace: trace
  token: credential
x-mm-groups:
  login:
    title: Login
    menu: [Auth2 API]
    description: Third-party login.
tags:
  - name: auth2
paths:
  /auth2/user:
    post:
      operationId: user_info
      tags: [auth2]
      x-mm-group: login
      x-mm-credential: client-login
      x-mm-effect: read
      parameters:
        - { name: trace, in: header, required: true, schema: { type: string } }
        - { name: token, in: header, required: true, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/UserInfoRequest'
      responses:
        "200":
          description: Success
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/UserInfoResponse'
components:
  schemas:
    UserInfoRequest:
      type: object
      properties:
        accessToken:
          type: string
          format: password
    UserInfoResponse:
      type: object
      properties:
        msg: { type: string }
        fail: { type: boolean }
        trace: { type: string }
        code: { type: string }
        data: { type: string, nullable: true }
        bizCode: { type: string }
        tm: { type: integer }
        msgParams: { nullable: true }
        ok: { type: boolean }
"##;

fn model_error_for(text: &str) -> String {
    let spec = parse(Path::new("openapi/broken.yaml"), text).expect("a well-formed spec");
    mm_sdk_codegen::model_of(&spec)
        .expect_err("the model should be rejected")
        .to_string()
}

#[test]
fn the_modelled_spec_is_accepted() {
    let spec = parse(Path::new("openapi/valid.yaml"), MODELLED).expect("valid spec");
    let model = mm_sdk_codegen::model_of(&spec).expect("a valid model");
    assert_eq!(model.operations[0].data, "::std::string::String");
}

#[test]
fn a_missing_credential_is_named() {
    let text = MODELLED.replace("      x-mm-credential: client-login\n", "");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-credential: `x-mm-credential` must be one of `none`, `client-login`, `manager-token`, `auth2-app`, `auth2-access`, `open-api-signature` or `quote-token`, or the list `[client-login, open-api-signature]`");
}

/// An operation an Open API key may call needs the route its spec declares, and a path under
/// that route's prefix.
#[test]
fn an_open_api_choice_needs_its_route() {
    let pair = "      x-mm-credential: [client-login, open-api-signature]\n";
    let text = MODELLED.replace("      x-mm-credential: client-login\n", pair);
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-credential: an operation an Open API key may call needs the spec's `x-mm-open-api`");
    let routed = text.replace(
        "x-mm-headers:\n",
        "x-mm-open-api:\n  from: /api/global/\n  to: /openapi-c/global/\n  headers:\n    - {name: trace, required: true}\n    - {name: timestamp, required: true}\n    - {name: apiKey, required: true}\n    - {name: signature, required: true}\nx-mm-headers:\n  timestamp: timestamp\n  apiKey: api-key\n  signature: signature\n",
    );
    insta::assert_snapshot!(model_error_for(&routed), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-credential: an Open API key reaches only the paths under `x-mm-open-api`'s `from`");
}

/// Types are made from the components only: an answer written in place (here a 400) would
/// silently get none, so the spec is refused, naming where.
#[test]
fn a_schema_written_in_place_is_refused() {
    let text = MODELLED.replace(
        "      responses:\n",
        "      responses:\n        \"400\":\n          description: Refused\n          content:\n            application/json:\n              schema: { type: object }\n",
    );
    let spec = parse(Path::new("openapi/broken.yaml"), &text).expect("a well-formed spec");
    let model = mm_sdk_codegen::model_of(&spec).expect("a valid model");
    let error = mm_sdk_codegen::generate(&spec, &model)
        .expect_err("the spec should be refused")
        .to_string();
    insta::assert_snapshot!(error, @"openapi/broken.yaml: at /paths/~1auth2~1user/post/responses/400/content/application~1json/schema: a body or an answer must be a `$ref` to `#/components/schemas/...`: types are made from the components only");
}

#[test]
fn an_unknown_header_source_is_named_with_every_source() {
    let text = MODELLED.replace("  token: credential\n", "  token: cookie\n");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /x-mm-headers/token: `x-mm-headers` must be a map from parameter name to one of `trace`, `company-id`, `lang`, `version`, `credential`, `timestamp`, `api-key`, `signature`, `recv-window` or `idempotency-key`");
}

#[test]
fn an_unknown_effect_is_named() {
    let text = MODELLED.replace("x-mm-effect: read", "x-mm-effect: sometimes");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-effect: `x-mm-effect` must be one of `read` or `write`");
}

#[test]
fn a_token_credential_without_its_header_is_refused() {
    let text = MODELLED.replace(
        "        - { name: token, in: header, required: true, schema: { type: string } }\n",
        "",
    );
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/parameters: this credential is sent in a header filled from `credential`; none is declared");
}

#[test]
fn an_operation_without_a_group_is_named() {
    let text = MODELLED.replace("      x-mm-group: login\n", "");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-group: `x-mm-group` must be the snake_case name of one of the API's groups (`x-mm-groups`)");
}

#[test]
fn a_group_without_its_description_is_named() {
    let text = MODELLED.replace("    description: Third-party login.\n", "");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /x-mm-groups/login: `x-mm-groups` must be a map from a snake_case group name to `{title, menu, description}` (`menu` a list of upstream's menu entries)");
}

#[test]
fn a_cookie_parameter_is_refused() {
    let text = MODELLED.replace("{ name: trace, in: header,", "{ name: trace, in: cookie,");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/parameters/0: only header and query parameters are supported; put the value in the request");
}

#[test]
fn a_spec_without_its_api_is_refused() {
    let text = MODELLED.replace("x-mm-api: auth2\n", "");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /x-mm-api: `x-mm-api` must be one of `client`, `manager` or `auth2`");
}

#[test]
fn an_undeclared_tag_is_refused() {
    let text = MODELLED.replace("tags:\n  - name: auth2\n", "tags:\n  - name: other\n");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user: tag `auth2` is not declared in the spec's `tags`");
}

/// `MODELLED` paged: the request has `current` and `size`, the answer's data is a page of
/// `records` beside their `total`, and `x-mm-paging` says so.
fn paged() -> String {
    MODELLED
        .replace(
            "      x-mm-effect: read\n",
            "      x-mm-effect: read\n      x-mm-paging: {page: current, size: size, first: 1, items: data.records, total: data.total}\n",
        )
        .replace(
            "          format: password\n",
            "          format: password\n        current: { type: integer }\n        size: { type: integer }\n",
        )
        .replace(
            "        data: { type: string, nullable: true }\n",
            "        data:\n          anyOf:\n            - $ref: '#/components/schemas/UserPage'\n            - { type: string, nullable: true, enum: [null] }\n",
        )
        + "    UserPage:\n      type: object\n      properties:\n        total: { type: integer }\n        label: { type: string }\n        records: { type: array, items: { type: string } }\n"
}

#[test]
fn a_paged_operation_is_read_with_its_paging() {
    let spec = parse(Path::new("openapi/valid.yaml"), &paged()).expect("valid spec");
    let model = mm_sdk_codegen::model_of(&spec).expect("a valid model");
    let paging = model.operations[0].paging.as_ref().expect("paged");
    assert_eq!(
        paging.to_string(),
        "current/size from 1 into data.records, total data.total"
    );
}

/// A pager would send a field the request does not have: refused, naming the field.
#[test]
fn paging_by_a_field_the_request_lacks_is_refused() {
    let text = paged().replace("{page: current,", "{page: pageNum,");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-paging/page: `x-mm-paging` `page`: the request has no integer field `pageNum`");
}

/// A pager would look for the rows where there is no list: refused, naming the path.
#[test]
fn paging_rows_that_are_not_a_list_are_refused() {
    let text = paged().replace("items: data.records,", "items: data.label,");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-paging/items: `x-mm-paging` `items`: `data.label` does not lead to an array in the answer");
}

/// A pager would read the count of all from a field that is no integer: refused.
#[test]
fn a_paging_total_that_is_not_an_integer_is_refused() {
    let text = paged().replace("total: data.total}", "total: data.label}");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-paging/total: `x-mm-paging` `total`: `data.label` does not lead to an integer in the answer");
}

/// Whether pages count from 0 or 1 is said, never guessed.
#[test]
fn a_paging_without_its_first_page_is_refused() {
    let text = paged().replace(" first: 1,", "");
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-paging: `x-mm-paging` must be `{page, size, first, items}` and at most one of `total` or `pages`: `page` and `size` request fields, `first` 1 or 0, the others paths in the answer from `data` (`data.records`)");
}

/// A workspace of `specs` (file name, text) with the files whose parts the codegen writes;
/// what generating it says.
fn workspace_error_for(specs: &[(&str, &str)]) -> String {
    // Each call its own directory: two tests may give the same file names at once.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!(
        "mm-spec-errors-{}-{call}-{}",
        std::process::id(),
        specs
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join("-")
    ));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in [
        ("README.md", "<!-- groups: generated by `cargo xtask codegen` -->\n<!-- end of groups -->\n"),
        ("openapi/README.md", "<!-- operations: generated by `cargo xtask codegen` -->\n<!-- end of operations -->\n"),
        ("sdk-ergonomic/Cargo.toml", "# features: generated by `cargo xtask codegen` from the specs' groups\n# end of generated features\n"),
    ]
    .into_iter()
    .chain(specs.iter().map(|(name, text)| (*name, *text)))
    {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let error = mm_sdk_codegen::files(&root).expect_err("the workspace should be refused");
    std::fs::remove_dir_all(&root).unwrap();
    error
        .to_string()
        .replace(&format!("{}/", root.display()), "")
}

/// A second spec of the same API, without the groups: `MODELLED` names them.
fn second_area() -> String {
    let groups = MODELLED.find("x-mm-groups:").unwrap();
    let tags = MODELLED.find("tags:\n").unwrap();
    format!("{}{}", &MODELLED[..groups], &MODELLED[tags..])
        .replace("/auth2/user:", "/auth2/user2:")
        .replace("operationId: user_info", "operationId: user_info_again")
        .replace("UserInfoResponse", "UserInfoAgainResponse")
}

#[test]
fn a_group_no_spec_of_its_api_declares_is_refused() {
    let second = second_area()
        .replace("x-mm-group: login", "x-mm-group: trade")
        .replace("UserInfoRequest", "AgainRequest");
    insta::assert_snapshot!(
        workspace_error_for(&[("openapi/first.yaml", MODELLED), ("openapi/second.yaml", &second)]),
        @"openapi/second.yaml: at /paths/~1auth2~1user2/post/x-mm-group: group `trade` is not declared in `x-mm-groups` of openapi/first.yaml"
    );
}

#[test]
fn one_type_name_in_two_areas_of_an_api_is_refused() {
    insta::assert_snapshot!(
        workspace_error_for(&[("openapi/first.yaml", MODELLED), ("openapi/second.yaml", &second_area())]),
        @"openapi/second.yaml: at /components/schemas/UserInfoRequest: type `UserInfoRequest` is also made by openapi/first.yaml: type names must differ within an API"
    );
}

#[test]
fn groups_declared_twice_for_an_api_are_refused() {
    let second = MODELLED
        .replace("/auth2/user:", "/auth2/user2:")
        .replace("operationId: user_info", "operationId: user_info_again")
        .replace("UserInfo", "Again");
    insta::assert_snapshot!(
        workspace_error_for(&[("openapi/first.yaml", MODELLED), ("openapi/second.yaml", &second)]),
        @"openapi/second.yaml: at /x-mm-groups: `x-mm-groups` is declared here and in openapi/first.yaml: each API declares its groups once"
    );
}
