//! From the model to Rust: tokens with `quote`, checked by `syn`, printed by `prettyplease`.
//!
//! Each service version becomes two files: `mod.rs` (the client, one method per action, and per
//! action its marker type, request setters and answer) and `types.rs` (the structures and enums
//! the actions share). What every action needs alike lives in the runtime
//! (`tencentcloud_sdk::runtime`, named `rt` in generated code): the generic `Call` and `Request`,
//! the setter macros, the reading and writing of structures and the one send path. What is left
//! per action is what differs: names, member lists and docs. That keeps the whole catalogue
//! small enough to commit and quick to compile.
//!
//! Docs come from the spec's prose where it has some (the hand-written DTS spec) and are written
//! from the facts otherwise (which members are required, what a string holds), with a link to the
//! action's page in the API Explorer.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::common_errors::COMMON_ERRORS;
use crate::model::{
    Action, Enum, EnumRepr, ErrorCode, Field, Format, Pagination, Service, Structure, Type,
    VariantValue,
};
use crate::names::{field_ident, pascal_case, snake_case, type_ident};

/// A generator bug: tokens that do not parse as Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError {
    /// The file being generated.
    pub path: String,
    /// What `syn` said.
    pub message: String,
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "generator bug: the tokens for {} do not parse as Rust: {}",
            self.path, self.message
        )
    }
}

impl std::error::Error for EmitError {}

/// Generates every file for a set of service versions, keyed by path relative to the output
/// folder (`dts/v20180330/mod.rs`). The map is ordered, so iteration is deterministic; the
/// service versions are generated on as many threads as the machine has.
pub fn generate(services: &[Service]) -> Result<BTreeMap<String, String>, EmitError> {
    let mut files = BTreeMap::new();
    let mut by_name: BTreeMap<&str, Vec<&Service>> = BTreeMap::new();
    for service in services {
        by_name.entry(&service.name).or_default().push(service);
    }

    let sources: Vec<&str> = services.iter().map(|s| s.file.as_str()).collect();
    let features = by_name.keys().map(|name| {
        let ident = field_ident(name);
        quote! {
            #[cfg(feature = #name)]
            #[cfg_attr(docsrs, doc(cfg(feature = #name)))]
            pub mod #ident;
        }
    });
    let top = quote! {
        #![doc = " Generated service modules, each behind the Cargo feature named after its service, and the error codes they share."]
        mod common_error;
        pub use common_error::CommonError;
        #(#features)*
    };
    files.insert("mod.rs".to_owned(), render("mod.rs", &sources, top)?);
    files.insert(
        "common_error.rs".to_owned(),
        render("common_error.rs", &sources, common_error_module())?,
    );

    for (name, versions) in &mut by_name {
        versions.sort_by(|a, b| a.version.cmp(&b.version));
        let path = format!("{name}/mod.rs");
        let text = render(&path, &sources_of(versions), service_root(versions))?;
        files.insert(path, text);
    }

    let jobs: Vec<&Service> = by_name.values().flatten().copied().collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let results: Vec<Result<Vec<(String, String)>, EmitError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for service in part {
                        emit_service(service, &mut out)?;
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(EmitError {
                        path: String::new(),
                        message: "a generator thread panicked".to_owned(),
                    })
                })
            })
            .collect()
    });
    for result in results {
        files.extend(result?);
    }
    Ok(files)
}

fn sources_of<'a>(services: &[&'a Service]) -> Vec<&'a str> {
    services.iter().map(|s| s.file.as_str()).collect()
}

/// `<service>/mod.rs`: what the service is, and its versions.
fn service_root(versions: &[&Service]) -> TokenStream {
    let newest = versions[versions.len() - 1];
    let modules = versions.iter().map(|v| {
        let ident = field_ident(&v.version_module);
        quote! { pub mod #ident; }
    });
    let mut text = if newest.title.is_empty() {
        format!("The `{}` service.", newest.name)
    } else {
        format!("{} (`{}`).", escape_doc(&newest.title), newest.name)
    };
    if !newest.description.is_empty() {
        text.push_str(&format!("\n\n{}", escape_doc(&newest.description)));
    }
    let listed: Vec<String> = versions
        .iter()
        .map(|v| format!("[`{}`]({})", v.version, v.version_module))
        .collect();
    text.push_str(&format!(
        "\n\nAPI versions: {}. The Cargo feature `{}` enables them all.",
        listed.join(", "),
        newest.name
    ));
    let title = inner_md(&text);
    quote! { #title #(#modules)* }
}

fn emit_service(service: &Service, files: &mut Vec<(String, String)>) -> Result<(), EmitError> {
    let dir = format!("{}/{}", service.name, service.version_module);
    let sources = [service.file.as_str()];
    let path = format!("{dir}/mod.rs");
    let text = render(&path, &sources, service_module(service))?;
    files.push((path, text));
    let path = format!("{dir}/types.rs");
    let text = render(&path, &sources, types_module(service))?;
    files.push((path, text));
    Ok(())
}

/// Parses, pretty-prints and prefixes the header that marks a file as generated.
fn render(path: &str, sources: &[&str], tokens: TokenStream) -> Result<String, EmitError> {
    let file: syn::File = syn::parse2(tokens).map_err(|err| EmitError {
        path: path.to_owned(),
        message: err.to_string(),
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!(
        "// @generated by `cargo xtask codegen` from {}. Do not edit: change the spec and regenerate.\n\n{body}",
        sources.join(", ")
    ))
}

/// What generated code needs to know about a service as a whole.
///
/// How it names the standard library's types and variants: by their prelude names, unless the
/// service defines a structure or enum of the same name (some have an `Option` or a `Result`),
/// which would shadow them; then by their full paths. And which structures hold secrets,
/// themselves or through the structures they hold, so that requests can hide them.
struct Std {
    shadowed: BTreeSet<String>,
    secret_holders: BTreeSet<String>,
}

impl Std {
    fn of(service: &Service) -> Self {
        let shadowed = service
            .structures
            .iter()
            .map(|s| s.name.clone())
            .chain(service.enums.iter().map(|e| e.name.clone()))
            .collect();
        let mut secret_holders: BTreeSet<String> = BTreeSet::new();
        loop {
            let before = secret_holders.len();
            for structure in &service.structures {
                let holds = structure.fields.iter().any(|f| {
                    f.sensitive || struct_of(&f.ty).is_some_and(|s| secret_holders.contains(s))
                });
                if holds {
                    secret_holders.insert(structure.name.clone());
                }
            }
            if secret_holders.len() == before {
                break;
            }
        }
        Self {
            shadowed,
            secret_holders,
        }
    }

    /// Whether a value of `ty` holds a secret somewhere inside.
    fn holds_secrets(&self, ty: &Type) -> bool {
        struct_of(ty).is_some_and(|name| self.secret_holders.contains(name))
    }

    /// `short` when nothing shadows it, else `full`.
    fn name(&self, short: &str, full: TokenStream) -> TokenStream {
        if self.shadowed.contains(short) {
            full
        } else {
            let ident = format_ident!("{short}");
            quote!(#ident)
        }
    }

    fn option(&self) -> TokenStream {
        self.name("Option", quote!(::std::option::Option))
    }

    fn some(&self) -> TokenStream {
        self.name("Some", quote!(::std::option::Option::Some))
    }

    fn string(&self) -> TokenStream {
        self.name("String", quote!(::std::string::String))
    }

    fn vec(&self) -> TokenStream {
        self.name("Vec", quote!(::std::vec::Vec))
    }

    fn boxed(&self) -> TokenStream {
        self.name("Box", quote!(::std::boxed::Box))
    }

    fn result(&self) -> TokenStream {
        self.name("Result", quote!(::std::result::Result))
    }

    fn ok(&self) -> TokenStream {
        self.name("Ok", quote!(::std::result::Result::Ok))
    }

    fn err(&self) -> TokenStream {
        self.name("Err", quote!(::std::result::Result::Err))
    }
}

// ---------------------------------------------------------------------------------------------
// The service version's module: client, service description, actions.

fn service_module(service: &Service) -> TokenStream {
    let mut text = if service.title.is_empty() {
        format!("`{}`, API version {}.", service.name, service.version)
    } else {
        format!(
            "{} (`{}`), API version {}.",
            escape_doc(&service.title),
            service.name,
            service.version
        )
    };
    if !service.description.is_empty() {
        text.push_str(&format!("\n\n{}", escape_doc(&service.description)));
    }
    text.push_str(&format!(
        "\n\nCreate a [`Client`] from a [`Config`](::tencentcloud_sdk::Config) and call one method per action ({} in all). \
         Each method returns a call to fill in with one setter per member and `send`; its answer is the action's typed response. \
         Setters and fields are the members' names in snake_case (`InstanceIds` is `instance_ids`); a field whose member is spelt \
         otherwise gives the member's name in its doc. \
         Read actions (`Describe…`, `Get…`, `List…`, `Inquire…`) are retried after any transient failure; others only when the \
         request cannot have reached the service, or when it carries a `ClientToken`.",
        service.actions.len()
    ));
    if service.actions.iter().all(|a| a.errors.is_empty()) {
        text.push_str(
            " Service errors are [`Error`] codes: those this service documents, those any action may return, and any other.",
        );
    }
    if !service.origin.is_empty() {
        text.push_str(&format!(
            "\n\nThe members and types come from {}; the official reference describes what each does.",
            escape_doc(&service.origin)
        ));
    }
    let module_doc = inner_md(&text);
    let std = Std::of(service);
    let (name, version, prefix) = (&service.name, &service.version, &service.endpoint_prefix);
    let methods = service.actions.iter().map(|a| client_method(service, a));
    let actions = service.actions.iter().map(|a| action_items(a, &std));
    let error = error_enum_tokens(
        &format_ident!("Error"),
        &format!(
            "The error codes of `{}` {}: those it documents, then the common ones every action may return, then any other.",
            service.name, service.version
        ),
        &service.errors,
        &std,
    );
    quote! {
        #module_doc

        use ::tencentcloud_sdk::runtime as rt;

        /// Structures and enums shared by the actions.
        pub mod types;
        pub use types::*;

        /// This service version, as the runtime needs to reach it.
        pub static SERVICE: rt::ServiceInfo = rt::ServiceInfo::new(#name, #version, #prefix);

        /// A client for this service version. Cheap to clone; clones share connections.
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: rt::Handle,
        }

        impl Client {
            /// Creates a client with a configuration.
            pub fn new(config: ::tencentcloud_sdk::Config) -> Self {
                Self { handle: rt::Handle::new(config, &SERVICE) }
            }

            /// The configuration requests are made with.
            pub fn config(&self) -> &::tencentcloud_sdk::Config {
                self.handle.config()
            }

            /// The runtime handle that sends requests, for sending prepared requests directly.
            pub fn handle(&self) -> &rt::Handle {
                &self.handle
            }

            #(#methods)*
        }

        #error

        #(#actions)*
    }
}

/// The official reference page of an action: its API Explorer page.
fn reference_url(service: &Service, action: &Action) -> String {
    format!(
        "https://console.cloud.tencent.com/api/explorer?Product={}&Version={}&Action={}",
        service.name, service.version, action.name
    )
}

fn client_method(service: &Service, action: &Action) -> TokenStream {
    let method = field_ident(&action.snake);
    let call = format_ident!("{}Call", action.name);
    let mut text = if action.summary.is_empty() {
        format!("Calls `{0}`; the answer is a [`{0}Response`].", action.name)
    } else {
        escape_doc(&action.summary)
    };
    if !action.description.is_empty() {
        text.push_str(&format!("\n\n{}", escape_doc(&action.description)));
    }
    match action.status.as_deref() {
        Some("offline") => text.push_str("\n\nThe service has taken this action offline."),
        Some(_) => text.push_str("\n\nThe service marks this action deprecated."),
        None => {}
    }
    let required: Vec<String> = action
        .input
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("`{}`", f.wire))
        .collect();
    let mut facts = Vec::new();
    if !required.is_empty() {
        facts.push(format!("Required: {}.", required.join(", ")));
    }
    if let Some(limit) = action.rate_limit {
        facts.push(format!(
            "Rate limit: {limit} requests per second per account."
        ));
    }
    // The name rule (read actions are retried) is explained once, in the module's docs; an
    // action says more only when its spec does.
    if action.idempotent_in_spec || action.client_token().is_some() || !action.summary.is_empty() {
        facts.push(retry_doc(action));
    }
    if !action.signed {
        facts.push("Sent without a signature, so it needs no credentials.".to_owned());
    }
    if !facts.is_empty() {
        text.push_str("\n\n");
        text.push_str(&facts.join(" "));
    }
    if let Some(pagination) = &action.pagination {
        text.push_str(&format!(
            "\n\nEach answer holds one page of `{}`; [`into_paginator`]({call}::into_paginator) reads them all.",
            pagination.items.wire
        ));
    }
    if !action.errors.is_empty() {
        let error = format!("{}Error", action.name);
        text.push_str(&format!(
            "\n\n# Errors\n\nService errors arrive as [`SdkError::Service`](::tencentcloud_sdk::SdkError::Service) with a [`{error}`]: \
             one variant per code this action documents, and [`Common`]({error}::Common) for the codes any action may return. \
             The service documents these for this action:\n"
        ));
        for code in &action.errors {
            let target = if code.common {
                format!("::tencentcloud_sdk::CommonError::{}", code.variant)
            } else {
                format!("{error}::{}", code.variant)
            };
            text.push_str(&format!("\n- [`{}`]({target})", code.code));
            if !code.description.is_empty() {
                text.push_str(&format!(": {}", escape_doc(&code.description)));
            }
        }
    }
    let snippet = action.examples.iter().find_map(|example| {
        crate::snippet::example_call(service, action, &example.parameters)
            .map(|lines| (&example.title, lines))
    });
    if snippet.is_some() || !action.examples.is_empty() {
        text.push_str("\n\n# Examples");
    }
    if let Some((title, lines)) = snippet {
        text.push_str(&format!(
            "\n\nThe call, with the parameters of the example \"{}\" below:\n\n",
            escape_doc(title)
        ));
        text.push_str(&lines.join("\n"));
    }
    for example in &action.examples {
        text.push_str(&format!("\n\n## Example: {}", escape_doc(&example.title)));
        if !example.description.is_empty() {
            text.push_str(&format!("\n\n{}", escape_doc(&example.description)));
        }
        text.push_str(&format!(
            "\n\nRequest parameters:\n\n```json\n{}\n```\n\nAnswer:\n\n```json\n{}\n```",
            example.input, example.output
        ));
    }
    text.push_str(&format!(
        "\n\n[Reference]({})",
        reference_url(service, action)
    ));
    let doc = md(&text);
    let deprecated = action
        .status
        .as_deref()
        .map(|status| quote!(#[deprecated(note = #status)]));
    quote! {
        #doc
        #deprecated
        #[inline]
        pub fn #method(&self) -> #call {
            #call::new(&self.handle)
        }
    }
}

/// One sentence of method docs: whether the runtime may send the request again after a
/// failure that leaves its outcome unknown, and why.
fn retry_doc(action: &Action) -> String {
    const NOT_REPEATED: &str = "none once the request may have reached the service";
    let why = match (
        action.idempotent,
        action.idempotent_in_spec,
        action.client_token(),
    ) {
        (true, false, _) => "safe, as a read action".to_owned(),
        (true, true, _) => "safe, as the API marks it idempotent".to_owned(),
        (false, _, Some(token)) if token.required => {
            "safe, as its `ClientToken` makes a repeat harmless (when not empty)".to_owned()
        }
        (false, _, Some(_)) => {
            format!("safe only with a `ClientToken` set; without one, {NOT_REPEATED}")
        }
        (false, true, None) => format!("{NOT_REPEATED}, as the API marks it not idempotent"),
        (false, false, None) => format!("{NOT_REPEATED}, as repeating it could act twice"),
    };
    format!("Automatic retries: {why}.")
}

/// The items of one action: its marker type and `Action` impl with the request and call
/// aliases (from `rt::action!`), the member setters, the answer, its own error enum when it
/// documents codes, and paging.
fn action_items(action: &Action, std: &Std) -> TokenStream {
    let name = &action.name;
    let marker = type_ident(name);
    let request = format_ident!("{name}Request");
    let call = format_ident!("{name}Call");
    let response = format_ident!("{name}Response");

    let mut flags = Vec::new();
    if action.idempotent {
        flags.push(quote!(idempotent));
    }
    if let Some(limit) = action.rate_limit {
        let limit = Literal::u32_unsuffixed(limit);
        flags.push(quote!(rate_limit(#limit)));
    }
    let required: Vec<&str> = action
        .input
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire.as_str())
        .collect();
    if !required.is_empty() {
        flags.push(quote!(required[#(#required),*]));
    }
    if action.client_token().is_some() {
        flags.push(quote!(client_token));
    }
    if !action.signed {
        flags.push(quote!(unsigned));
    }
    if action.multipart {
        flags.push(quote!(multipart));
    }

    let (error, own_errors) = if action.errors.is_empty() {
        (quote!(Error), TokenStream::new())
    } else {
        let ident = format_ident!("{name}Error");
        let tokens = error_enum_tokens(
            &ident,
            &format!(
                "The error codes of `{name}`: those it documents itself, then the common ones every action may return, then any other."
            ),
            &action.errors,
            std,
        );
        (quote!(#ident), tokens)
    };
    let setters: Vec<TokenStream> = action
        .input
        .iter()
        .map(|f| request_setter(f, std))
        .collect();
    let setters = (!setters.is_empty()).then(|| {
        quote! {
            impl<T> #call<T> {
                #(#setters)*
            }
        }
    });
    let answer = response_tokens(action, &response, std);
    let streaming = action.streams().then(|| {
        let doc = format!(
            " Sets `Stream` to `true`, then sends the request like [`send`](Self::send); the answer comes as a stream of events, each a [`{name}Response`] with the members it carries (see [`rt::EventStream`])."
        );
        quote! {
            impl #call {
                #[doc = #doc]
                #[inline]
                pub fn send_stream(self) -> rt::Streaming<#response, #error> {
                    self.0.send_stream()
                }
            }
        }
    });
    let paging = action
        .pagination
        .as_ref()
        .map(|p| pagination_tokens(&marker, &call, &response, p, std));

    quote! {
        rt::action!(#marker, #request, #call, #response, #error #(, #flags)*);

        #setters

        #streaming
        #answer
        #own_errors
        #paging
    }
}

/// `rt::setter!(name, "Wire", kind)` with the member's own description when the spec has one.
fn request_setter(field: &Field, std: &Std) -> TokenStream {
    let name = field_ident(&field.snake);
    let wire = &field.wire;
    let kind = if field.sensitive {
        quote!(secret)
    } else if field.ty == Type::Binary {
        quote!(binary)
    } else {
        match &field.ty {
            Type::List(inner) => {
                let inner = rust_type(inner, std);
                quote!(list #inner)
            }
            other => rust_type(other, std),
        }
    };
    let doc = field_doc_text(field, true);
    let doc = (!doc.is_empty()).then(|| quote!(, #doc));
    quote! { rt::setter!(#name, #wire, #kind #doc); }
}

/// What a member's doc says: the spec's description (or the wire name), whether a request needs
/// it, and what its format means. `setter` gives the text of a setter, which starts with "Sets"
/// when the spec has no description (the macro writes that one itself, so it is left empty).
fn field_doc_text(field: &Field, setter: bool) -> String {
    let mut notes = Vec::new();
    match field.format {
        Some(Format::Datetime) => notes.push("A date and time, `YYYY-MM-DD hh:mm:ss`."),
        Some(Format::DatetimeIso) => notes.push("An ISO 8601 date and time."),
        Some(Format::Date) => notes.push("A date, `YYYY-MM-DD`."),
        Some(Format::Percent) | None => {}
    }
    if field.ty == Type::Binary {
        notes.push("Sent as a file.");
    }
    if field.description.is_empty() {
        // A name that says it all needs no doc: the setter macro writes its own, and a field
        // named like its member (`instance_ids` for `InstanceIds`) has nothing to add.
        if notes.is_empty() && (setter || named_like_member(field)) {
            return String::new();
        }
        let lead = if setter {
            format!("Sets `{}`.", field.wire)
        } else {
            format!("`{}`.", field.wire)
        };
        return std::iter::once(lead.as_str())
            .chain(notes)
            .collect::<Vec<_>>()
            .join(" ");
    }
    let mut text = escape_doc(&field.description);
    for note in notes {
        text.push_str("\n\n");
        text.push_str(note);
    }
    text
}

/// Whether the field's name is its member's name in snake_case, so that one tells the other:
/// the member is the field's words, each capitalized (`instance_ids` for `InstanceIds`).
fn named_like_member(field: &Field) -> bool {
    let pascal: String = field
        .snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    pascal == field.wire
}

/// The answer of an action: its struct, how it is read, and its accessors.
fn response_tokens(action: &Action, response: &proc_macro2::Ident, std: &Std) -> TokenStream {
    let method = &action.snake;
    let doc = md(&format!(
        "The answer of [`Client::{method}`] (`{}`).",
        action.name
    ));
    let request_id = Field {
        wire: "RequestId".to_owned(),
        snake: "request_id".to_owned(),
        ty: Type::String,
        required: true,
        nullable: false,
        sensitive: false,
        description: "The RequestId of the answer.".to_owned(),
        format: None,
        boxed: false,
    };
    let mut fields = action.output.clone();
    fields.push(request_id);
    let answer = Structure {
        name: response.to_string(),
        description: String::new(),
        fields,
        input: false,
        output: true,
    };
    struct_tokens(response, doc, &answer, true, std)
}

/// The `Paginated` impl of a list action.
fn pagination_tokens(
    marker: &proc_macro2::Ident,
    call: &proc_macro2::Ident,
    response: &proc_macro2::Ident,
    pagination: &Pagination,
    std: &Std,
) -> TokenStream {
    let offset = &pagination.offset.wire;
    let items = field_ident(&pagination.items.snake);
    let total = field_ident(&pagination.total_count.snake);
    let item = rust_type(&pagination.item, std);
    let (len, into) = if pagination.items.is_optional() {
        (
            quote!(page.#items.as_ref().map_or(0, ::std::vec::Vec::len)),
            quote!(page.#items.unwrap_or_default()),
        )
    } else {
        (quote!(page.#items.len()), quote!(page.#items))
    };
    let some = std.some();
    let total_count = if pagination.total_count.is_optional() {
        quote!(page.#total.map(rt::PageIndex::to_offset))
    } else {
        quote!(#some(rt::PageIndex::to_offset(page.#total)))
    };
    let (vec, option) = (std.vec(), std.option());
    quote! {
        impl rt::Paginated for #marker {
            type Item = #item;
            const OFFSET: &'static str = #offset;

            fn page_len(page: &#response) -> usize {
                #len
            }

            fn into_items(page: #response) -> #vec<#item> {
                #into
            }

            fn total_count(page: &#response) -> #option<u64> {
                #total_count
            }
        }

        impl #call {
            /// Pages through the answers with as many requests as it takes; see [`rt::Paginator`].
            #[inline]
            pub fn into_paginator(self) -> rt::Paginator<#marker> {
                self.0.into_paginator()
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Error enums.

fn error_enum_tokens(
    error: &proc_macro2::Ident,
    enum_doc: &str,
    codes: &[ErrorCode],
    std: &Std,
) -> TokenStream {
    let enum_doc = doc(enum_doc);
    let variants = codes.iter().filter(|e| !e.common).map(|code| {
        let ident = type_ident(&code.variant);
        // `rt::ErrorCode` reads each variant's code from the start of its doc.
        let text = if code.description.is_empty() {
            format!("`{}`", code.code)
        } else {
            format!("`{}`: {}", code.code, escape_doc(&code.description))
        };
        let doc = md(&text);
        quote! { #doc #ident }
    });
    let string = std.string();
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, rt::ErrorCode)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants,)*
            /// A code any action may answer with, such as `RequestLimitExceeded`.
            Common(::tencentcloud_sdk::CommonError),
            /// A code this version of the SDK does not know, kept as sent.
            Unknown(#string),
        }
    }
}

/// The enum of the error codes every action of every service may answer with, shared by all
/// generated error enums through their `Common` variant.
fn common_error_module() -> TokenStream {
    let variants: Vec<(proc_macro2::Ident, &str, &str)> = COMMON_ERRORS
        .iter()
        .map(|(code, description)| (type_ident(&pascal_case(code)), *code, *description))
        .collect();
    let declarations = variants.iter().map(|(ident, code, description)| {
        let doc = doc(&format!("`{code}`: {description}"));
        quote! { #doc #ident }
    });
    let to_code = variants
        .iter()
        .map(|(ident, code, _)| quote! { Self::#ident => #code });
    let from_code = variants
        .iter()
        .map(|(ident, code, _)| quote! { #code => Self::#ident });
    quote! {
        //! The error codes any action may answer with.

        /// An error code every Tencent Cloud API 3.0 action may answer with: authentication,
        /// throttling, parameter and availability problems. Each action's error enum holds these in
        /// its `Common` variant, and [`ServiceError::common`](crate::ServiceError::common) finds
        /// them without naming the action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommonError {
            #(#declarations,)*
        }

        impl CommonError {
            /// The code as the service sends it.
            pub fn code(&self) -> &'static str {
                match self {
                    #(#to_code,)*
                }
            }

            /// The common error with this code, if it is one.
            pub fn from_code(code: &str) -> Option<Self> {
                Some(match code {
                    #(#from_code,)*
                    _ => return None,
                })
            }
        }

        impl ::std::fmt::Display for CommonError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Structures and enums.

fn types_module(service: &Service) -> TokenStream {
    let module_doc = inner_md(&format!(
        "Structures and enums of `{}` API version {}.",
        service.name, service.version
    ));
    let std = Std::of(service);
    let structures = service
        .structures
        .iter()
        .map(|s| shared_structure(service, s, &std));
    let enums = service.enums.iter().map(|e| enum_tokens(e, &std));
    let runtime = (!service.structures.is_empty() || !service.enums.is_empty()).then(|| {
        quote!(
            use ::tencentcloud_sdk::runtime as rt;
        )
    });
    quote! {
        #module_doc
        #runtime
        #(#structures)*
        #(#enums)*
    }
}

fn shared_structure(service: &Service, structure: &Structure, std: &Std) -> TokenStream {
    let ident = type_ident(&structure.name);
    let mut text = if structure.description.is_empty() {
        format!("`{}`", structure.name)
    } else {
        escape_doc(&structure.description)
    };
    let place = match (structure.input, structure.output) {
        (true, true) => "sent in requests and found in answers",
        (true, false) => "sent in requests",
        _ => "found in answers",
    };
    if structure.description.is_empty() {
        text.push_str(&format!(
            ", a structure of `{}` {} {place}.",
            service.name, service.version
        ));
    } else {
        text.push_str(&format!("\n\nA structure {place}."));
    }
    if structure.input {
        text.push_str(&format!(
            " Build one with [`{0}::builder`]; every member is optional in the struct, and [`build`]({0}Builder::build) checks the required ones.",
            structure.name
        ));
    }
    let doc = md(&text);
    struct_tokens(&ident, doc, structure, false, std)
}

/// The struct, deriving how it is read (`rt::Fields`, for structures found in answers) and
/// written and built (`rt::Input`, for structures sent in requests), with its `Debug` and
/// accessors.
fn struct_tokens(
    ident: &proc_macro2::Ident,
    type_doc: TokenStream,
    structure: &Structure,
    response: bool,
    std: &Std,
) -> TokenStream {
    let mut undocumented = false;
    let fields: Vec<TokenStream> = structure
        .fields
        .iter()
        .map(|field| {
            let name = field_ident(&field.snake);
            let ty = stored_type(field, std);
            let text = field_doc_text(field, false);
            undocumented |= text.is_empty();
            let doc = md(&text);
            let wire = &field.wire;
            let rename = (!named_like_member(field)).then(|| quote!(#[tc(wire = #wire)]));
            let required = (structure.input && field.required).then(|| quote!(#[tc(required)]));
            let secret = if !structure.input {
                TokenStream::new()
            } else if field.sensitive {
                quote!(#[tc(secret)])
            } else if std.holds_secrets(&field.ty) {
                quote!(#[tc(redact)])
            } else {
                TokenStream::new()
            };
            if structure.is_optional(field) {
                let option = std.option();
                quote! { #doc #rename #required #secret pub #name: #option<#ty>, }
            } else {
                quote! { #doc #rename #required #secret pub #name: #ty, }
            }
        })
        .collect();
    // Fields named after their members carry no doc of their own; the module says how the
    // names relate.
    let allow = undocumented.then(|| quote!(#[allow(missing_docs)]));
    let (derive_debug, debug_impl) = debug_tokens(ident, &structure.fields);
    let fields_derive = structure.output.then(|| quote!(, rt::Fields));
    // A structure only sent can be read back too, with the SDK's `full-serde` feature.
    let read_back = (!structure.output)
        .then(|| quote!(#[cfg_attr(feature = "full-serde", derive(rt::Fields))]));
    let input_derive = structure.input.then(|| quote!(, rt::Input));
    let response = if response {
        quote!(#[tc(response)])
    } else if structure.input {
        quote!(#[tc(input)])
    } else {
        TokenStream::new()
    };
    let accessors = accessor_tokens(ident, structure, std);
    quote! {
        #type_doc
        #[derive(Clone, #derive_debug Default, PartialEq #fields_derive #input_derive)]
        #read_back
        #response
        #[non_exhaustive]
        #allow
        pub struct #ident {
            #(#fields)*
        }

        #debug_impl
        #accessors
    }
}

/// `Debug` for a struct of `fields`: derived, unless a member is sensitive, in which case it is
/// written out with `<redacted>` in place of each secret. Returns what to put in the derive list
/// and the impl, one of which is empty.
fn debug_tokens(ident: &proc_macro2::Ident, fields: &[Field]) -> (TokenStream, TokenStream) {
    if !fields.iter().any(|field| field.sensitive) {
        return (quote!(Debug,), TokenStream::new());
    }
    let name = ident.to_string();
    let entries = fields.iter().map(|field| {
        let member = field_ident(&field.snake);
        let label = member.to_string();
        let label = label.trim_start_matches("r#");
        if field.sensitive {
            quote! { .field(#label, &rt::Redacted::of(&self.#member)) }
        } else {
            quote! { .field(#label, &self.#member) }
        }
    });
    let debug_impl = quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name)
                    #(#entries)*
                    .finish()
            }
        }
    };
    (TokenStream::new(), debug_impl)
}

/// Extra methods asked for by member formats.
fn accessor_tokens(target: &proc_macro2::Ident, structure: &Structure, std: &Std) -> TokenStream {
    let option = std.option();
    let methods: Vec<TokenStream> = structure
        .fields
        .iter()
        .filter(|field| field.format == Some(Format::Percent))
        .map(|field| {
            let name = field_ident(&field.snake);
            let method = format_ident!("{}_percent", field.snake);
            let doc = doc(&format!(
                "`{}` as a number from 0 to 100; `None` when it is absent or not a percentage.",
                field.wire
            ));
            let value = if structure.is_optional(field) {
                quote! { self.#name.as_deref().and_then(rt::parse_percent) }
            } else {
                quote! { rt::parse_percent(&self.#name) }
            };
            quote! {
                #doc
                pub fn #method(&self) -> #option<u8> {
                    #value
                }
            }
        })
        .collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #target {
            #(#methods)*
        }
    }
}

fn enum_tokens(def: &Enum, std: &Std) -> TokenStream {
    let ident = type_ident(&def.name);
    let enum_doc = doc(&def.description);
    let variants = def.variants.iter().map(|variant| {
        let name = type_ident(&variant.name);
        let doc = doc(&format!(
            "`{}`: {}",
            wire_text(&variant.value),
            variant.description
        ));
        quote! { #doc #name }
    });
    let is_methods = def.variants.iter().map(|variant| {
        let name = type_ident(&variant.name);
        let method = format_ident!("is_{}", snake_case(&variant.name));
        let doc = md(&format!(
            "Whether this is [`{0}`](Self::{0}).",
            variant.name
        ));
        quote! {
            #doc
            pub fn #method(&self) -> bool {
                matches!(self, Self::#name)
            }
        }
    });
    let (wire_ty, copy) = match def.repr {
        EnumRepr::String => (std.string(), quote!()),
        EnumRepr::Integer => (quote!(i64), quote!(Copy,)),
        EnumRepr::Unsigned => (quote!(u64), quote!(Copy,)),
    };
    let wire_ty_text = match def.repr {
        EnumRepr::String => "::std::string::String",
        EnumRepr::Integer => "i64",
        EnumRepr::Unsigned => "u64",
    };
    let unknown_variant = def.open.then(|| {
        quote! {
            /// A value this version of the SDK does not know, kept as received.
            Unknown(#wire_ty),
        }
    });
    let serde_attr = if def.open {
        quote!(#[serde(from = #wire_ty_text, into = #wire_ty_text)])
    } else {
        quote!(#[serde(try_from = #wire_ty_text, into = #wire_ty_text)])
    };
    // Answers that lack the member still decode: an open enum defaults to an empty unknown
    // value. Closed enums are only sent, inside optional members, and need no default.
    let default = def.open.then(|| {
        quote! {
            impl ::std::default::Default for #ident {
                fn default() -> Self {
                    Self::Unknown(::std::default::Default::default())
                }
            }
        }
    });
    // An open enum's setter also takes the value as it is sent: `"finished"`, or `1`.
    let wire_members = def.open.then(|| match def.repr {
        EnumRepr::String => quote! {
            impl rt::IntoMember<#ident> for &str {
                fn into_member(self) -> #ident {
                    self.into()
                }
            }

            impl rt::IntoMember<#ident> for #wire_ty {
                fn into_member(self) -> #ident {
                    self.into()
                }
            }
        },
        EnumRepr::Integer | EnumRepr::Unsigned => quote! {
            impl rt::IntoMember<#ident> for #wire_ty {
                fn into_member(self) -> #ident {
                    self.into()
                }
            }
        },
    });
    let (accessor, conversions) = match def.repr {
        EnumRepr::String => string_enum_conversions(def, &ident, std),
        EnumRepr::Integer | EnumRepr::Unsigned => {
            integer_enum_conversions(def, &ident, &wire_ty, std)
        }
    };
    quote! {
        #enum_doc
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde")]
        #serde_attr
        #[non_exhaustive]
        pub enum #ident {
            #(#variants,)*
            #unknown_variant
        }

        impl #ident {
            #accessor
            #(#is_methods)*
        }

        impl rt::Input for #ident {}

        #default
        #wire_members
        #conversions
    }
}

/// The `as_str` accessor and the conversions of a string enum.
fn string_enum_conversions(
    def: &Enum,
    ident: &proc_macro2::Ident,
    std: &Std,
) -> (TokenStream, TokenStream) {
    let (string, result, ok, err) = (std.string(), std.result(), std.ok(), std.err());
    let name = &def.name;
    let pairs: Vec<(proc_macro2::Ident, String)> = def
        .variants
        .iter()
        .map(|v| (type_ident(&v.name), wire_text(&v.value)))
        .collect();
    let to_str = pairs.iter().map(|(v, text)| quote! { Self::#v => #text });
    let unknown_arm = def.open.then(|| quote! { Self::Unknown(value) => value, });
    let accessor = quote! {
        /// The value as sent on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                #(#to_str,)*
                #unknown_arm
            }
        }
    };
    let common = quote! {
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<#ident> for #string {
            fn from(value: #ident) -> Self {
                value.as_str().to_owned()
            }
        }
    };
    let conversions = if def.open {
        let from_str: Vec<TokenStream> = pairs
            .iter()
            .map(|(v, text)| quote! { #text => Self::#v })
            .collect();
        quote! {
            #common

            impl ::std::convert::From<&str> for #ident {
                fn from(value: &str) -> Self {
                    match value {
                        #(#from_str,)*
                        other => Self::Unknown(other.to_owned()),
                    }
                }
            }

            impl ::std::convert::From<#string> for #ident {
                fn from(value: #string) -> Self {
                    match value.as_str() {
                        #(#from_str,)*
                        _ => Self::Unknown(value),
                    }
                }
            }
        }
    } else {
        let from_str = pairs
            .iter()
            .map(|(v, text)| quote! { #text => #ok(Self::#v) });
        quote! {
            #common

            impl ::std::convert::TryFrom<&str> for #ident {
                type Error = rt::UnknownValue;
                fn try_from(value: &str) -> #result<Self, Self::Error> {
                    match value {
                        #(#from_str,)*
                        other => #err(rt::UnknownValue::new(#name, other)),
                    }
                }
            }

            impl ::std::convert::TryFrom<#string> for #ident {
                type Error = rt::UnknownValue;
                fn try_from(value: #string) -> #result<Self, Self::Error> {
                    Self::try_from(value.as_str())
                }
            }
        }
    };
    (accessor, conversions)
}

/// The `value` accessor and the conversions of an integer enum.
fn integer_enum_conversions(
    def: &Enum,
    ident: &proc_macro2::Ident,
    wire_ty: &TokenStream,
    std: &Std,
) -> (TokenStream, TokenStream) {
    let (result, ok, err) = (std.result(), std.ok(), std.err());
    let name = &def.name;
    let pairs: Vec<(proc_macro2::Ident, Literal)> = def
        .variants
        .iter()
        .map(|v| {
            let literal = match v.value {
                VariantValue::Integer(n) => Literal::i64_unsuffixed(n),
                VariantValue::Unsigned(n) => Literal::u64_unsuffixed(n),
                VariantValue::String(_) => Literal::i64_unsuffixed(0),
            };
            (type_ident(&v.name), literal)
        })
        .collect();
    let to_value = pairs.iter().map(|(v, n)| quote! { Self::#v => #n });
    let from_value = pairs.iter().map(|(v, n)| quote! { #n => Self::#v });
    let unknown_arm = def.open.then(|| quote! { Self::Unknown(value) => *value, });
    let accessor = quote! {
        /// The value as sent on the wire.
        pub fn value(&self) -> #wire_ty {
            match self {
                #(#to_value,)*
                #unknown_arm
            }
        }
    };
    let common = quote! {
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::std::convert::From<#ident> for #wire_ty {
            fn from(value: #ident) -> Self {
                value.value()
            }
        }
    };
    let conversions = if def.open {
        quote! {
            #common

            impl ::std::convert::From<#wire_ty> for #ident {
                fn from(value: #wire_ty) -> Self {
                    match value {
                        #(#from_value,)*
                        other => Self::Unknown(other),
                    }
                }
            }
        }
    } else {
        let from_value = pairs.iter().map(|(v, n)| quote! { #n => #ok(Self::#v) });
        quote! {
            #common

            impl ::std::convert::TryFrom<#wire_ty> for #ident {
                type Error = rt::UnknownValue;
                fn try_from(value: #wire_ty) -> #result<Self, Self::Error> {
                    match value {
                        #(#from_value,)*
                        other => #err(rt::UnknownValue::new(#name, &other.to_string())),
                    }
                }
            }
        }
    };
    (accessor, conversions)
}

// ---------------------------------------------------------------------------------------------
// Types and docs.

/// The Rust type of a value of `ty`, as generated code names it (shared types by their name,
/// which the service module imports from `types`).
fn rust_type(ty: &Type, std: &Std) -> TokenStream {
    match ty {
        Type::String => std.string(),
        Type::Integer => quote!(i64),
        Type::Unsigned => quote!(u64),
        Type::Float => quote!(f64),
        Type::Boolean => quote!(bool),
        Type::Binary => quote!(rt::Bytes),
        Type::Struct(name) | Type::Enum(name) => {
            let ident = type_ident(name);
            quote!(#ident)
        }
        Type::List(inner) => {
            let (vec, inner) = (std.vec(), rust_type(inner, std));
            quote!(#vec<#inner>)
        }
    }
}

/// The structure a type names, through lists.
fn struct_of(ty: &Type) -> Option<&str> {
    match ty {
        Type::Struct(name) => Some(name),
        Type::List(inner) => struct_of(inner),
        _ => None,
    }
}

/// The type stored in the field (boxed where a structure contains itself).
fn stored_type(field: &Field, std: &Std) -> TokenStream {
    let ty = rust_type(&field.ty, std);
    if field.boxed {
        let boxed = std.boxed();
        quote!(#boxed<#ty>)
    } else {
        ty
    }
}

fn wire_text(value: &VariantValue) -> String {
    match value {
        VariantValue::String(s) => s.clone(),
        VariantValue::Integer(n) => n.to_string(),
        VariantValue::Unsigned(n) => n.to_string(),
    }
}

/// Doc attributes for prose from a spec, escaped so rustdoc reads it as plain text.
fn doc(text: &str) -> TokenStream {
    md(&escape_doc(text))
}

/// Inner doc attributes (`//!`) for text that is already Markdown.
fn inner_md(text: &str) -> TokenStream {
    let lines = text
        .lines()
        .map(|line| format!(" {line}").trim_end().to_owned())
        .collect::<Vec<_>>();
    quote! { #(#![doc = #lines])* }
}

/// Outer doc attributes for text that is already Markdown.
fn md(text: &str) -> TokenStream {
    let lines = text
        .lines()
        .map(|line| format!(" {line}").trim_end().to_owned())
        .collect::<Vec<_>>();
    quote! { #(#[doc = #lines])* }
}

/// Keeps spec prose plain text for rustdoc: no links, no HTML, and no code blocks (which rustdoc
/// would compile as doctests), whether fenced or indented.
fn escape_doc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for c in line.trim_start().chars() {
            match c {
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '`' if out.ends_with("``") => out.push_str("\\`"),
                '~' if out.ends_with("~~") => out.push_str("\\~"),
                other => out.push(other),
            }
        }
    }
    out
}
