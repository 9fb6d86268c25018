//! The JSON output matches the JSON Schema that `tgexport schema` prints.

fn validator(schema: serde_json::Value) -> jsonschema::Validator {
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn assert_valid(validator: &jsonschema::Validator, instance: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

#[test]
fn every_fixture_output_matches_the_schema() {
    let export_schema = validator(tgexport::schema());
    let message_schema = validator(tgexport::message_schema());
    let mut checked = 0;
    for folder in std::fs::read_dir("testdata").unwrap() {
        for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let Ok(export) = tgexport::parse_path(&path) else {
                continue;
            };
            let json = serde_json::to_value(&export).unwrap();
            assert_valid(&export_schema, &json, &path.display().to_string());
            for message in json["messages"].as_array().unwrap() {
                assert_valid(&message_schema, message, &path.display().to_string());
            }
            checked += 1;
        }
    }
    assert!(checked >= 13, "only {checked} fixtures were checked");
}

#[test]
fn schema_rejects_what_the_output_never_holds() {
    let export_schema = validator(tgexport::schema());
    let mut json =
        serde_json::to_value(tgexport::parse("Forwarded from A\nhi\n").unwrap()).unwrap();
    json["messages"][0]["date"] = "yesterday".into();
    assert!(!export_schema.is_valid(&json));
    json["messages"][0]["date"] = serde_json::Value::Null;
    json["messages"][0]["lines"] = serde_json::json!([1]);
    assert!(!export_schema.is_valid(&json));
}
