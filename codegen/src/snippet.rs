//! Rust source for an action's example call, written from the parameters of one of its spec
//! examples: the fluent call with a setter per parameter, nested structures through their
//! builders and enum values through their variants. It goes into the method docs as a doctest,
//! so the SDK's own test run compiles every one of them.

use serde_json::{Map, Value};

use crate::model::{Action, Enum, EnumRepr, Service, Structure, Type, VariantValue};
use crate::names::field_ident;

/// How far each nesting level is indented.
const INDENT: &str = "    ";

/// The lines of a doctest calling `action` with `parameters`, or `None` when a value cannot be
/// written as Rust (an empty list, whose element type would have to be spelt out, or a `null`).
pub fn example_call(
    service: &Service,
    action: &Action,
    parameters: &Map<String, Value>,
) -> Option<Vec<String>> {
    let writer = Writer { service };
    let module = format!(
        "tencentcloud_sdk::{}::{}",
        field_ident(&service.name),
        service.version_module
    );
    let mut call = format!("let answer = client\n{INDENT}.{}()", setter(&action.snake));
    for field in &action.input {
        if let Some(value) = parameters.get(&field.wire) {
            let value = writer.argument(&field.ty, value, 1)?;
            call.push_str(&format!("\n{INDENT}.{}({value})", setter(&field.snake)));
        }
    }
    call.push_str(&format!("\n{INDENT}.send()\n{INDENT}.await?;"));
    let mut lines = vec![
        "```no_run".to_owned(),
        format!("# use {module}::*;"),
        format!(
            "# async fn example(client: &{module}::Client) -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {{"
        ),
    ];
    lines.extend(call.lines().map(str::to_owned));
    lines.extend([
        "println!(\"RequestId: {}\", answer.request_id);".to_owned(),
        "# ::std::result::Result::Ok(())".to_owned(),
        "# }".to_owned(),
        "```".to_owned(),
    ]);
    Some(lines)
}

fn setter(snake: &str) -> String {
    field_ident(snake).to_string()
}

fn indent(depth: usize) -> String {
    INDENT.repeat(depth)
}

struct Writer<'a> {
    service: &'a Service,
}

impl Writer<'_> {
    /// `value` as the argument of a setter on a line indented `depth` levels: a multi-line
    /// structure goes on lines of its own.
    fn argument(&self, ty: &Type, value: &Value, depth: usize) -> Option<String> {
        if matches!(ty, Type::Struct(_)) {
            let inner = self.value(ty, value, depth + 1)?;
            return Some(format!(
                "\n{}{inner},\n{}",
                indent(depth + 1),
                indent(depth)
            ));
        }
        self.value(ty, value, depth)
    }

    /// `value` as a Rust expression of type `ty`, starting on a line indented `depth` levels.
    fn value(&self, ty: &Type, value: &Value, depth: usize) -> Option<String> {
        match (ty, value) {
            (Type::String, Value::String(text)) => Some(format!("{text:?}")),
            (Type::Integer | Type::Unsigned, Value::Number(n)) if n.is_i64() || n.is_u64() => {
                Some(n.to_string())
            }
            (Type::Float, Value::Number(n)) => n.as_f64().map(|f| format!("{f:?}")),
            (Type::Boolean, Value::Bool(b)) => Some(b.to_string()),
            (Type::Enum(name), _) => self.enum_value(self.enum_named(name)?, value),
            (Type::Struct(name), Value::Object(members)) => {
                self.structure(self.structure_named(name)?, members, depth)
            }
            // An empty list would need its element type spelt out; leave the snippet out.
            (Type::List(item_type), Value::Array(items)) if !items.is_empty() => {
                let items = items
                    .iter()
                    .map(|item| self.value(item_type, item, depth + 1))
                    .collect::<Option<Vec<_>>>()?;
                if items.iter().any(|item| item.contains('\n')) {
                    let inner = indent(depth + 1);
                    let body: String = items.iter().map(|i| format!("{inner}{i},\n")).collect();
                    Some(format!("[\n{body}{}]", indent(depth)))
                } else {
                    Some(format!("[{}]", items.join(", ")))
                }
            }
            _ => None,
        }
    }

    fn enum_value(&self, def: &Enum, value: &Value) -> Option<String> {
        let listed = def
            .variants
            .iter()
            .find(|variant| match (&variant.value, value) {
                (VariantValue::String(s), Value::String(v)) => s == v,
                (VariantValue::Integer(i), Value::Number(n)) => n.as_i64() == Some(*i),
                (VariantValue::Unsigned(u), Value::Number(n)) => n.as_u64() == Some(*u),
                _ => false,
            });
        if let Some(variant) = listed {
            return Some(format!("{}::{}", def.name, variant.name));
        }
        if !def.open {
            return None;
        }
        match (def.repr, value) {
            (EnumRepr::String, Value::String(s)) => {
                Some(format!("{}::Unknown({s:?}.to_owned())", def.name))
            }
            (EnumRepr::Integer | EnumRepr::Unsigned, Value::Number(n)) => {
                Some(format!("{}::Unknown({n})", def.name))
            }
            _ => None,
        }
    }

    /// `Name::builder()`, a setter per member on its own line, then `.build()?`.
    fn structure(
        &self,
        def: &Structure,
        members: &Map<String, Value>,
        depth: usize,
    ) -> Option<String> {
        let inner = indent(depth + 1);
        let mut text = format!("{}::builder()", def.name);
        for field in &def.fields {
            if let Some(value) = members.get(&field.wire) {
                let value = self.argument(&field.ty, value, depth + 1)?;
                text.push_str(&format!("\n{inner}.{}({value})", setter(&field.snake)));
            }
        }
        text.push_str(&format!("\n{inner}.build()?"));
        Some(text)
    }

    fn enum_named(&self, name: &str) -> Option<&Enum> {
        self.service.enums.iter().find(|e| e.name == name)
    }

    fn structure_named(&self, name: &str) -> Option<&Structure> {
        self.service.structures.iter().find(|s| s.name == name)
    }
}
