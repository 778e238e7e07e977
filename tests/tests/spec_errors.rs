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
"##;

fn error_for(text: &str) -> Error {
    parse(Path::new("openapi/broken.yaml"), text).expect_err("the spec should be rejected")
}

#[test]
fn the_valid_spec_is_accepted() {
    let spec = parse(Path::new("openapi/valid.yaml"), VALID).expect("valid spec");
    assert_eq!(spec.openapi.info.title, "Test");
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
tags:
  - name: auth2
paths:
  /auth2/user:
    post:
      operationId: user_info
      tags: [auth2]
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
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-credential: `x-mm-credential` must be one of `none`, `client-login`, `manager-token`, `auth2-app`, `auth2-access`, `open-api-signature` or `quote-token`");
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
fn app_credentials_in_the_body_need_a_hand_written_method() {
    let text = MODELLED
        .replace(
            "x-mm-credential: client-login",
            "x-mm-credential: auth2-app",
        )
        .replace(
            "required: true, schema: { type: string } }\n      requestBody",
            "required: false, schema: { type: string } }\n      requestBody",
        );
    insta::assert_snapshot!(model_error_for(&text), @"openapi/broken.yaml: at /paths/~1auth2~1user/post/x-mm-credential: an `auth2-app` operation must be `x-mm-curated`: its credential goes in the body");
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
