//! How answers are printed: JSON as tccli prints it (four spaces of indent, text as it is),
//! `text` (tab-separated) and `table` (boxed sections), after the `--filter` expression.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::error::CliError;

/// The output format and filter of a call.
pub struct Output {
    format: Format,
    filter: Option<jmespath::Expression<'static>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Text,
    Table,
}

impl Output {
    /// Reads `--output` (`json` when absent) and compiles `--filter`.
    pub fn new(format: Option<&str>, filter: Option<&str>) -> Result<Self, CliError> {
        let format = match format.unwrap_or("json") {
            "json" => Format::Json,
            "text" => Format::Text,
            "table" => Format::Table,
            other => {
                return Err(CliError::usage(format!(
                    "--output must be json, text or table, not `{other}`"
                )));
            }
        };
        let filter = filter.map(compile).transpose()?;
        Ok(Self { format, filter })
    }

    /// The printed form of an answer, ending with a line break.
    pub fn render(&self, answer: &Value) -> Result<String, CliError> {
        let answer = self.filtered(answer)?;
        Ok(match self.format {
            Format::Json => json(&answer),
            Format::Text => text(&answer),
            Format::Table => table(&answer),
        })
    }

    /// The printed form of one event of a streamed answer: in the JSON format one line, so
    /// that a program reading the output gets each event as it comes.
    pub fn render_event(&self, event: &Value) -> Result<String, CliError> {
        if self.format != Format::Json {
            return self.render(event);
        }
        let mut line = self.filtered(event)?.to_string();
        line.push('\n');
        Ok(line)
    }

    fn filtered<'a>(&self, answer: &'a Value) -> Result<std::borrow::Cow<'a, Value>, CliError> {
        Ok(match &self.filter {
            Some(filter) => std::borrow::Cow::Owned(search(filter, answer)?),
            None => std::borrow::Cow::Borrowed(answer),
        })
    }
}

/// Compiles a JMESPath expression, or says where it is wrong.
pub fn compile(expression: &str) -> Result<jmespath::Expression<'static>, CliError> {
    jmespath::compile(expression).map_err(|err| {
        CliError::usage(format!(
            "--filter is not a JMESPath expression: {}",
            one_line(&err.to_string())
        ))
    })
}

/// The value `expression` selects from `value`.
pub fn search(expression: &jmespath::Expression<'_>, value: &Value) -> Result<Value, CliError> {
    let found = expression.search(value).map_err(|err| {
        CliError::usage(format!("--filter failed: {}", one_line(&err.to_string())))
    })?;
    serde_json::to_value(&*found)
        .map_err(|err| CliError::internal(format!("--filter gave a value that is not JSON: {err}")))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// JSON with four spaces of indent and non-ASCII text as it is, as tccli prints it.
pub fn json(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Writing a `Value` to memory cannot fail.
    let _ = value.serialize(&mut serializer);
    let mut text = String::from_utf8(out).unwrap_or_default();
    text.push('\n');
    text
}

/// A scalar as the text and table formats show it; tccli shows Python's spelling of
/// `true`, `false` and `null`, and so does this, for scripts that read it.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Null => "None".to_owned(),
        other => other.to_string(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// The text format: an object's scalars on one line, tab-separated in the order of their
/// names, then its lists and objects, each line of them led by their member's name in
/// capitals; the scalars of a list's items line up under the names of all items' scalars.
pub fn text(value: &Value) -> String {
    let mut out = String::new();
    text_value(value, None, None, &mut out);
    out
}

fn text_value(value: &Value, name: Option<&str>, columns: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(object) => {
            let mut scalars: Vec<String> = Vec::new();
            let mut nested: Vec<(&String, &Value)> = Vec::new();
            match columns {
                Some(columns) => {
                    scalars.extend(
                        columns
                            .iter()
                            .map(|column| object.get(column).map(scalar).unwrap_or_default()),
                    );
                    let mut rest: Vec<(&String, &Value)> = object
                        .iter()
                        .filter(|(key, _)| !columns.contains(key))
                        .collect();
                    rest.sort_by(|a, b| a.0.cmp(b.0));
                    nested = rest;
                }
                None => {
                    let mut members: Vec<(&String, &Value)> = object.iter().collect();
                    members.sort_by(|a, b| a.0.cmp(b.0));
                    for (key, member) in members {
                        if is_scalar(member) {
                            scalars.push(scalar(member));
                        } else {
                            nested.push((key, member));
                        }
                    }
                }
            }
            if !scalars.is_empty() {
                if let Some(name) = name {
                    scalars.insert(0, name.to_uppercase());
                }
                out.push_str(&scalars.join("\t"));
                out.push('\n');
            }
            for (key, member) in nested {
                text_value(member, Some(key), None, out);
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                return;
            }
            if items.iter().any(Value::is_object) {
                let columns = scalar_names(items);
                for item in items {
                    text_value(item, name, Some(&columns), out);
                }
                return;
            }
            let scalars: Vec<&Value> = items.iter().filter(|item| is_scalar(item)).collect();
            if !scalars.is_empty() {
                match name {
                    Some(name) => {
                        for item in &scalars {
                            let _ = writeln!(out, "{}\t{}", name.to_uppercase(), scalar(item));
                        }
                    }
                    None => {
                        let line: Vec<String> = scalars.iter().map(|item| scalar(item)).collect();
                        out.push_str(&line.join("\t"));
                        out.push('\n');
                    }
                }
            }
            for item in items.iter().filter(|item| !is_scalar(item)) {
                text_value(item, name, None, out);
            }
        }
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// The sorted names of the scalar members of the objects among `items`.
fn scalar_names(items: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|object| {
            object
                .iter()
                .filter(|(_, value)| is_scalar(value))
                .map(|(key, _)| key.clone())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The table format: each object a titled section with its scalars as one row under their
/// names, a list of objects as one row per item, and nested lists and objects as indented
/// sections of their own.
pub fn table(value: &Value) -> String {
    let mut sections = Vec::new();
    table_sections(value, "Response", 0, &mut sections);
    let mut out = String::new();
    for section in &sections {
        section.render(&mut out);
    }
    out
}

struct Section {
    title: String,
    depth: usize,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn table_sections(value: &Value, title: &str, depth: usize, sections: &mut Vec<Section>) {
    match value {
        Value::Object(object) => {
            let mut names: Vec<&String> = object.keys().collect();
            names.sort();
            let (scalars, nested): (Vec<&String>, Vec<&String>) = names
                .into_iter()
                .partition(|name| is_scalar(&object[name.as_str()]));
            sections.push(Section {
                title: title.to_owned(),
                depth,
                header: scalars.iter().map(|name| (*name).clone()).collect(),
                rows: if scalars.is_empty() {
                    Vec::new()
                } else {
                    vec![
                        scalars
                            .iter()
                            .map(|name| scalar(&object[name.as_str()]))
                            .collect(),
                    ]
                },
            });
            for name in nested {
                table_sections(&object[name.as_str()], name, depth + 1, sections);
            }
        }
        Value::Array(items) if items.iter().any(Value::is_object) => {
            let header = scalar_names(items);
            let rows = items
                .iter()
                .filter_map(Value::as_object)
                .map(|object| {
                    header
                        .iter()
                        .map(|name| object.get(name).map(scalar).unwrap_or_default())
                        .collect()
                })
                .collect();
            sections.push(Section {
                title: title.to_owned(),
                depth,
                header,
                rows,
            });
            for (index, item) in items.iter().enumerate() {
                if let Some(object) = item.as_object() {
                    let mut nested: Vec<&String> = object
                        .iter()
                        .filter(|(_, value)| !is_scalar(value))
                        .map(|(key, _)| key)
                        .collect();
                    nested.sort();
                    for name in nested {
                        let title = format!("{title}.{index}.{name}");
                        table_sections(&object[name.as_str()], &title, depth + 1, sections);
                    }
                }
            }
        }
        Value::Array(items) => {
            let rows = items
                .iter()
                .map(|item| match item {
                    Value::Array(inner) => inner.iter().map(scalar).collect(),
                    other => vec![scalar(other)],
                })
                .collect();
            sections.push(Section {
                title: title.to_owned(),
                depth,
                header: Vec::new(),
                rows,
            });
        }
        other => sections.push(Section {
            title: title.to_owned(),
            depth,
            header: Vec::new(),
            rows: vec![vec![scalar(other)]],
        }),
    }
}

impl Section {
    fn render(&self, out: &mut String) {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.header.len()])
            .max()
            .unwrap_or(0)
            .max(1);
        let mut widths = vec![0usize; columns];
        for row in self.rows.iter().chain([&self.header]) {
            for (index, cell) in row.iter().enumerate() {
                widths[index] = widths[index].max(width(cell));
            }
        }
        let inner: usize = widths.iter().map(|width| width + 3).sum::<usize>() - 1;
        let inner = inner.max(width(&self.title) + 2);
        // Widen the last column so that the title fits.
        let used: usize = widths.iter().map(|width| width + 3).sum::<usize>() - 1;
        if let Some(last) = widths.last_mut() {
            *last += inner - used;
        }
        let indent = "  ".repeat(self.depth);
        let rule = |out: &mut String, joint: char| {
            out.push_str(&indent);
            out.push(joint);
            for (index, width) in widths.iter().enumerate() {
                if index > 0 {
                    out.push(joint);
                }
                out.push_str(&"-".repeat(width + 2));
            }
            out.push(joint);
            out.push('\n');
        };
        let _ = writeln!(out, "{indent}+{}+", "-".repeat(inner));
        let pad = inner - width(&self.title);
        let _ = writeln!(
            out,
            "{indent}|{}{}{}|",
            " ".repeat(pad / 2),
            self.title,
            " ".repeat(pad - pad / 2)
        );
        rule(out, '+');
        let row = |out: &mut String, cells: &[String]| {
            out.push_str(&indent);
            out.push('|');
            for (index, width) in widths.iter().enumerate() {
                let cell = cells.get(index).map(String::as_str).unwrap_or("");
                let _ = write!(out, " {cell}{} |", " ".repeat(width - self::width(cell)));
            }
            out.push('\n');
        };
        if !self.header.is_empty() {
            row(out, &self.header);
            rule(out, '+');
        }
        for cells in &self.rows {
            row(out, cells);
        }
        if !self.rows.is_empty() {
            rule(out, '+');
        }
    }
}

/// Columns a cell takes: East Asian wide characters take two.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_as_tccli_prints_it() {
        let value = json!({"A": [1, {"B": "文"}], "C": {}});
        assert_eq!(
            json(&value),
            "{\n    \"A\": [\n        1,\n        {\n            \"B\": \"文\"\n        }\n    ],\n    \"C\": {}\n}\n"
        );
    }

    #[test]
    fn text_lines() {
        let value = json!({
            "TotalCount": 2,
            "RequestId": "r-1",
            "Jobs": [{"Id": "a", "Ok": true}, {"Id": "b", "Tags": ["x"]}],
        });
        assert_eq!(text(&value), "r-1\t2\nJOBS\ta\tTrue\nJOBS\tb\t\nTAGS\tx\n");
    }

    #[test]
    fn table_sections_line_up() {
        let value = json!({"RequestId": "r-1", "Jobs": [{"Id": "a"}, {"Id": "bb"}]});
        let shown = table(&value);
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines.iter().any(|line| line.contains("| RequestId")));
        assert!(
            lines.iter().any(|line| line.trim() == "| bb   |"),
            "{shown}"
        );
        // Every line of a section has the same width.
        let widths: Vec<usize> = lines[..5].iter().map(|line| width(line)).collect();
        assert!(widths.windows(2).all(|pair| pair[0] == pair[1]), "{shown}");
    }

    #[test]
    fn filter_selects() {
        let output = Output::new(Some("json"), Some("Jobs[].Id")).unwrap();
        let value = json!({"Jobs": [{"Id": "a"}, {"Id": "b"}]});
        assert_eq!(
            output.render(&value).unwrap(),
            "[\n    \"a\",\n    \"b\"\n]\n"
        );
        assert!(Output::new(None, Some("Jobs[")).is_err());
        assert!(Output::new(Some("yaml"), None).is_err());
    }
}
