//! The loss check: every action and every member of the pinned tccli's descriptions is in the
//! committed catalogue specs, with the type tccli gives it.
//!
//! This reads tccli's `api.json` files and the specs with nothing but `serde_json`, not with the
//! importer, so that a bug in the importer cannot hide itself. The pinned tccli comes from the
//! virtualenv `cargo xtask import-catalogue` installs under `target/catalogue/` (CI makes it
//! before the tests; here it is made when missing, which needs PyPI).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// What the spec must say for a member tccli types `ty`/`member`: `(type, items, format)`,
/// with object names still to be translated through the spec's renames.
fn expected_type(ty: &str, member: &str) -> (String, Option<String>, Option<String>) {
    let scalar = |member: &str| -> Option<&str> {
        Some(match member {
            "string" | "datetime" | "datetime_iso" | "date" => "string",
            "int64" => "integer",
            "uint64" => "unsigned",
            "float" => "float",
            "bool" => "boolean",
            _ => return None,
        })
    };
    let format = match member {
        "datetime" | "datetime_iso" | "date" => Some(member.to_owned()),
        _ => None,
    };
    match ty {
        "list" => (
            "list".to_owned(),
            Some(scalar(member).unwrap_or(member).to_owned()),
            format,
        ),
        "object" => (member.to_owned(), None, None),
        "binary" => ("binary".to_owned(), None, None),
        _ => (scalar(member).unwrap_or("?").to_owned(), None, format),
    }
}

/// The members of a spec list, by wire name.
fn by_name(list: &Value) -> BTreeMap<String, Value> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|m| (m["name"].as_str().unwrap_or_default().to_owned(), m.clone()))
        .collect()
}

#[derive(Default)]
struct Counts {
    versions: usize,
    actions: usize,
    structures: usize,
    members: usize,
    problems: Vec<String>,
}

impl Counts {
    /// Compares tccli's members of one object with the spec's, learning object renames.
    fn members(
        &mut self,
        place: &str,
        tccli: &Value,
        spec: &BTreeMap<String, Value>,
        renames: &mut BTreeMap<String, String>,
        skip_request_id: bool,
    ) {
        for member in tccli["members"].as_array().into_iter().flatten() {
            let name = member["name"].as_str().unwrap_or_default();
            if skip_request_id && name == "RequestId" {
                continue;
            }
            self.members += 1;
            let Some(found) = spec.get(name) else {
                self.problems
                    .push(format!("{place}.{name}: missing from the spec"));
                continue;
            };
            let (ty, member_ty) = (
                member["type"].as_str().unwrap_or_default(),
                member["member"].as_str().unwrap_or_default(),
            );
            let (mut want_ty, mut want_items, want_format) = expected_type(ty, member_ty);
            let got_ty = found["type"].as_str().unwrap_or_default().to_owned();
            let got_items = found["items"].as_str().map(str::to_owned);
            // Object names may be renamed in the spec; the rename must be the same everywhere.
            if ty == "object" {
                let seen = renames
                    .entry(member_ty.to_owned())
                    .or_insert(got_ty.clone());
                want_ty = seen.clone();
            }
            let scalar = matches!(
                member_ty,
                "string"
                    | "datetime"
                    | "datetime_iso"
                    | "date"
                    | "int64"
                    | "uint64"
                    | "float"
                    | "bool"
            );
            if ty == "list" && !scalar {
                if let Some(items) = &got_items {
                    let seen = renames.entry(member_ty.to_owned()).or_insert(items.clone());
                    want_items = Some(seen.clone());
                }
            }
            let got_format = found["format"].as_str().map(str::to_owned);
            if (&got_ty, &got_items, &got_format) != (&want_ty, &want_items, &want_format) {
                self.problems.push(format!(
                    "{place}.{name}: tccli says {ty}/{member_ty}, the spec {got_ty} {got_items:?} {got_format:?}"
                ));
            }
        }
        let expected = tccli["members"].as_array().map_or(0, |m| {
            m.iter()
                .filter(|m| !(skip_request_id && m["name"] == "RequestId"))
                .count()
        });
        if spec.len() != expected {
            self.problems.push(format!(
                "{place}: tccli has {expected} members, the spec {}",
                spec.len()
            ));
        }
    }
}

#[test]
fn every_action_and_member_of_the_pinned_tccli_is_in_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pins = xtask::catalogue::pins(&root).unwrap();
    let (services, _) = xtask::catalogue::installed(&root, &pins).unwrap();
    let mut counts = Counts::default();
    for service_dir in xtask::sorted_entries(&services).unwrap() {
        for version_dir in xtask::sorted_entries(&service_dir).unwrap_or_default() {
            let api_path = version_dir.join("api.json");
            if !api_path.is_file() {
                continue;
            }
            let api = read(&api_path);
            let service = api["metadata"]["serviceShortName"]
                .as_str()
                .unwrap()
                .to_owned();
            let version = api["metadata"]["apiVersion"].as_str().unwrap().to_owned();
            if (service.as_str(), version.as_str()) == ("dts", "2018-03-30") {
                // Written by hand; the reference-example tests hold it against tccli.
                continue;
            }
            counts.versions += 1;
            let spec = read(&root.join(format!("api-spec/{service}/{version}.json")));
            let actions = by_name(&spec["actions"]);
            let structures = by_name(&spec["structures"]);
            let objects = api["objects"].as_object().unwrap();
            let mut renames = BTreeMap::new();
            let tccli_actions = api["actions"].as_object().unwrap();
            for (name, action) in tccli_actions {
                counts.actions += 1;
                let place = format!("{service} {version} action {name}");
                let Some(found) = actions.get(name) else {
                    counts
                        .problems
                        .push(format!("{place}: missing from the spec"));
                    continue;
                };
                for (side, key) in [("input", "input"), ("output", "output")] {
                    let object = &objects[action[key].as_str().unwrap()];
                    counts.members(
                        &format!("{place}, {side}"),
                        object,
                        &by_name(&found[side]),
                        &mut renames,
                        side == "output",
                    );
                }
            }
            if actions.len() != tccli_actions.len() {
                counts.problems.push(format!(
                    "{service} {version}: tccli has {} actions, the spec {}",
                    tccli_actions.len(),
                    actions.len()
                ));
            }
            // Every object a member refers to is a structure, under its (renamed) name. New
            // renames are learnt on the way, so go until none is left to look at.
            let mut done = std::collections::BTreeSet::new();
            loop {
                let todo: Vec<(String, String)> = renames
                    .iter()
                    .filter(|(object, _)| !done.contains(*object))
                    .map(|(a, b)| (a.clone(), b.clone()))
                    .collect();
                if todo.is_empty() {
                    break;
                }
                for (object, renamed) in todo {
                    done.insert(object.clone());
                    counts.structures += 1;
                    let place = format!("{service} {version} structure {object}");
                    let Some(found) = structures.get(&renamed) else {
                        counts
                            .problems
                            .push(format!("{place}: missing from the spec as {renamed}"));
                        continue;
                    };
                    counts.members(
                        &place,
                        &objects[&object],
                        &by_name(&found["members"]),
                        &mut renames,
                        false,
                    );
                }
            }
        }
    }
    println!(
        "tccli {}: {} service versions, {} actions, {} structures, {} members compared; {} problem(s)",
        pins.tccli,
        counts.versions,
        counts.actions,
        counts.structures,
        counts.members,
        counts.problems.len()
    );
    let shown: Vec<&String> = counts.problems.iter().take(50).collect();
    assert!(
        counts.problems.is_empty(),
        "{} problem(s), the first:\n{}",
        counts.problems.len(),
        shown
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        counts.versions >= 299 && counts.actions > 16_000,
        "too little was compared"
    );
}
