//! The derives of the generated types of `tencentcloud-sdk`.
//!
//! The generated code declares each structure once, as a plain Rust struct, and derives what it
//! needs from the field list:
//!
//! - `Fields` (structures found in answers): reading from JSON, member by member, through
//!   `tencentcloud_sdk::runtime::Fields`, and serde's `Deserialize`; with `#[tc(response)]`
//!   on the struct, also `runtime::Response`, reading the RequestId from `request_id`. With the
//!   SDK's `full-serde` feature, also `Serialize`, writing back what was read, unless
//!   `#[tc(input)]` says the structure is also sent (its `Input` derive then writes it).
//! - `Input` (structures sent in requests): writing to JSON, leaving out unset members,
//!   `runtime::Input` with the check of required members (`#[tc(required)]`) and the hiding of
//!   secrets from a request's `Debug` output (`#[tc(secret)]` on a secret, `#[tc(redact)]` on a
//!   member holding structures with secrets), and the
//!   builder: `builder()`, the `<Struct>Builder` type with one setter per field and `build`.
//! - `ErrorCode` (error enums): `code()`, `runtime::ErrorKind` and `Display`. Each unit variant's
//!   doc comment starts with its code in backticks, which is where the derive reads it.
//!
//! A field's member is its name in PascalCase (`instance_ids` is `InstanceIds`) unless
//! `#[tc(wire = "...")]` says otherwise. The expansions name the runtime by its absolute path, and
//! do exactly what hand-written code against the runtime would; they exist so that thousands of
//! generated structures stay short to read and quick to compile.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::{format_ident, quote};
use syn::{
    Attribute, Data, DeriveInput, Error, Expr, Fields as SynFields, GenericArgument, Ident, Lit,
    LitStr, Meta, PathArguments, Type, parse_macro_input,
};

/// Reading a structure from JSON; see the crate docs.
#[proc_macro_derive(Fields, attributes(tc))]
pub fn derive_fields(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    fields(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// Writing a structure to JSON and building it; see the crate docs.
#[proc_macro_derive(Input, attributes(tc))]
pub fn derive_input(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    input_impl(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// The codes of an error enum; see the crate docs.
#[proc_macro_derive(ErrorCode)]
pub fn derive_error_code(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    error_code(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// What `#[tc(...)]` says about a field.
#[derive(Default)]
struct FieldOptions {
    wire: Option<String>,
    required: bool,
    /// A secret (`#[tc(secret)]`): `Debug` of a request holding the structure hides it.
    secret: bool,
    /// Holds structures with secrets (`#[tc(redact)]`), hidden the same way.
    redact: bool,
}

/// One named field with its options.
struct Member<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    wire: String,
    required: bool,
    secret: bool,
    redact: bool,
}

fn members(input: &DeriveInput) -> syn::Result<Vec<Member<'_>>> {
    let Data::Struct(data) = &input.data else {
        return Err(Error::new_spanned(&input.ident, "expected a struct"));
    };
    let SynFields::Named(named) = &data.fields else {
        return Err(Error::new_spanned(
            &input.ident,
            "expected a struct with named fields",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(Error::new_spanned(
            &input.generics,
            "generic structures are not supported",
        ));
    }
    named
        .named
        .iter()
        .map(|field| {
            let ident = field
                .ident
                .as_ref()
                .ok_or_else(|| Error::new_spanned(field, "expected a named field"))?;
            let options = field_options(&field.attrs)?;
            Ok(Member {
                ident,
                ty: &field.ty,
                wire: options.wire.unwrap_or_else(|| pascal(ident)),
                required: options.required,
                secret: options.secret,
                redact: options.redact,
            })
        })
        .collect()
}

fn field_options(attrs: &[Attribute]) -> syn::Result<FieldOptions> {
    let mut options = FieldOptions::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("tc")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("wire") {
                let value: LitStr = meta.value()?.parse()?;
                options.wire = Some(value.value());
                Ok(())
            } else if meta.path.is_ident("required") {
                options.required = true;
                Ok(())
            } else if meta.path.is_ident("secret") {
                options.secret = true;
                Ok(())
            } else if meta.path.is_ident("redact") {
                options.redact = true;
                Ok(())
            } else {
                Err(meta.error("expected `wire = \"...\"`, `required`, `secret` or `redact`"))
            }
        })?;
    }
    Ok(options)
}

/// What `#[tc(...)]` says about a struct: `response` (it is an action's answer) and `input`
/// (it is also sent in requests, so its `Input` derive writes it, not `Fields`).
#[derive(Default)]
struct StructOptions {
    response: bool,
    input: bool,
}

fn struct_options(attrs: &[Attribute]) -> syn::Result<StructOptions> {
    let mut options = StructOptions::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("tc")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("response") {
                options.response = true;
                Ok(())
            } else if meta.path.is_ident("input") {
                options.input = true;
                Ok(())
            } else {
                Err(meta.error("expected `response` or `input`"))
            }
        })?;
    }
    Ok(options)
}

/// The member name of a field: its words, each capitalized (`instance_ids` is `InstanceIds`).
fn pascal(ident: &Ident) -> String {
    let text = ident.to_string();
    let text = text.strip_prefix("r#").unwrap_or(&text);
    text.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// `T` for `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Option")
}

/// `T` for `Name<T>`, when `ty` is that.
fn generic_inner<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

fn fields(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let members = members(input)?;
    let arms = members.iter().map(|member| {
        let (ident, wire) = (member.ident, &member.wire);
        let boxed =
            option_inner(member.ty).is_some_and(|inner| generic_inner(inner, "Box").is_some());
        if boxed {
            quote! { #wire => value.put_boxed(&mut self.#ident), }
        } else {
            quote! { #wire => value.put(&mut self.#ident), }
        }
    });
    let writes = members.iter().map(|member| {
        let (ident, wire) = (member.ident, &member.wire);
        if option_inner(member.ty).is_some() {
            quote! { out.member(#wire, &self.#ident); }
        } else {
            quote! { out.required(#wire, &self.#ident); }
        }
    });
    let options = struct_options(&input.attrs)?;
    // With the SDK's `full-serde` feature, what is read can be written back (a structure that
    // is also sent is written by its `Input` derive).
    let write_back = (!options.input).then(|| {
        quote! {
            #[cfg(feature = "full-serde")]
            impl ::tencentcloud_sdk::runtime::serde::Serialize for #name {
                fn serialize<S: ::tencentcloud_sdk::runtime::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    let mut out = ::tencentcloud_sdk::runtime::Writer::new(serializer);
                    #(#writes)*
                    out.end()
                }
            }
        }
    });
    let response = if options.response {
        if !members.iter().any(|m| m.ident == "request_id") {
            return Err(Error::new_spanned(
                name,
                "a response needs a `request_id: String` field",
            ));
        }
        quote! {
            impl ::tencentcloud_sdk::runtime::Response for #name {
                fn request_id(&self) -> &str {
                    &self.request_id
                }
            }
        }
    } else {
        Tokens::new()
    };
    Ok(quote! {
        impl ::tencentcloud_sdk::runtime::Fields for #name {
            fn field<'de, M: ::tencentcloud_sdk::runtime::MapAccess<'de>>(
                &mut self,
                key: &str,
                value: ::tencentcloud_sdk::runtime::Slot<'_, 'de, M>,
            ) {
                match key {
                    #(#arms)*
                    _ => value.skip(),
                }
            }
        }

        #write_back

        impl<'de> ::tencentcloud_sdk::runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::tencentcloud_sdk::runtime::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                ::tencentcloud_sdk::runtime::deserialize_fields(deserializer)
            }
        }

        #response
    })
}

fn input_impl(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let members = members(input)?;
    let builder = format_ident!("{}Builder", name);
    let mut writes = Vec::new();
    let mut checks = Vec::new();
    let mut setters = Vec::new();
    let mut hides = Vec::new();
    for member in &members {
        let (ident, wire) = (member.ident, &member.wire);
        let Some(inner) = option_inner(member.ty) else {
            return Err(Error::new_spanned(
                member.ty,
                "every field of a structure sent in requests is an `Option`",
            ));
        };
        writes.push(quote! { out.member(#wire, &self.#ident); });
        if member.secret {
            hides.push(quote! { ::tencentcloud_sdk::runtime::redact_member(value, #wire); });
        } else if member.redact {
            // A boxed structure's JSON is the structure's.
            let held = generic_inner(inner, "Box").unwrap_or(inner);
            hides.push(quote! {
                ::tencentcloud_sdk::runtime::redact_within::<#held>(value, #wire);
            });
        }
        if member.required {
            checks.push(quote! {
                if self.#ident.is_none() {
                    return ::std::option::Option::Some(#wire);
                }
            });
        }
        let (param, stored) = match generic_inner(inner, "Box") {
            Some(boxed) => (boxed, quote!(::std::boxed::Box::new(value))),
            None => (inner, quote!(value)),
        };
        let doc = format!("Sets [`{ident}`]({name}::{ident}), member `{wire}`.");
        setters.push(quote! {
            #[doc = #doc]
            pub fn #ident(mut self, value: impl ::tencentcloud_sdk::runtime::IntoMember<#param>) -> Self {
                let value = ::tencentcloud_sdk::runtime::IntoMember::<#param>::into_member(value);
                self.value.#ident = ::std::option::Option::Some(#stored);
                self
            }
        });
    }
    let redact = (!hides.is_empty()).then(|| {
        quote! {
            fn redact(value: &mut ::tencentcloud_sdk::runtime::serde_json::Value) {
                #(#hides)*
            }
        }
    });
    let missing = (!checks.is_empty()).then(|| {
        quote! {
            fn missing(&self) -> ::std::option::Option<&'static str> {
                #(#checks)*
                ::std::option::Option::None
            }
        }
    });
    let builder_doc = format!(
        "Builds a [`{name}`]: one setter per member, then [`build`]({builder}::build), which checks the required ones."
    );
    let name_text = name.to_string();
    Ok(quote! {
        impl ::tencentcloud_sdk::runtime::serde::Serialize for #name {
            fn serialize<S: ::tencentcloud_sdk::runtime::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let mut out = ::tencentcloud_sdk::runtime::Writer::new(serializer);
                #(#writes)*
                out.end()
            }
        }

        impl ::tencentcloud_sdk::runtime::Input for #name {
            #missing
            #redact
        }

        impl #name {
            /// Starts building one.
            #[inline]
            pub fn builder() -> #builder {
                #builder { value: ::std::default::Default::default() }
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone, Debug, Default)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct #builder {
            value: #name,
        }

        impl #builder {
            #(#setters)*

            /// Checks that every required member is set and gives the structure.
            #[inline]
            pub fn build(self) -> ::std::result::Result<#name, ::tencentcloud_sdk::runtime::BuildError> {
                match ::tencentcloud_sdk::runtime::Input::missing(&self.value) {
                    ::std::option::Option::Some(member) => ::std::result::Result::Err(
                        ::tencentcloud_sdk::runtime::BuildError::missing(#name_text, member),
                    ),
                    ::std::option::Option::None => ::std::result::Result::Ok(self.value),
                }
            }
        }
    })
}

fn error_code(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(Error::new_spanned(name, "expected an enum"));
    };
    let mut codes = Vec::new();
    let (mut common, mut unknown) = (false, false);
    for variant in &data.variants {
        match &variant.fields {
            SynFields::Unit => {
                let code = doc_code(&variant.attrs).ok_or_else(|| {
                    Error::new_spanned(
                        &variant.ident,
                        "the doc comment of an error code's variant starts with the code in backticks",
                    )
                })?;
                codes.push((&variant.ident, code));
            }
            SynFields::Unnamed(_) if variant.ident == "Common" => common = true,
            SynFields::Unnamed(_) if variant.ident == "Unknown" => unknown = true,
            _ => {
                return Err(Error::new_spanned(
                    &variant.ident,
                    "expected a unit variant, `Common(CommonError)` or `Unknown(String)`",
                ));
            }
        }
    }
    if !common || !unknown {
        return Err(Error::new(
            Span::call_site(),
            "an error enum needs `Common(CommonError)` and `Unknown(String)` variants",
        ));
    }
    let to_code = codes
        .iter()
        .map(|(ident, code)| quote! { Self::#ident => #code, });
    let from_code = codes
        .iter()
        .map(|(ident, code)| quote! { #code => Self::#ident, });
    Ok(quote! {
        impl #name {
            /// The code as the service sends it.
            pub fn code(&self) -> &str {
                match self {
                    #(#to_code)*
                    Self::Common(common) => common.code(),
                    Self::Unknown(code) => code,
                }
            }
        }

        impl ::tencentcloud_sdk::runtime::ErrorKind for #name {
            fn from_code(code: &str) -> Self {
                match code {
                    #(#from_code)*
                    _ => match ::tencentcloud_sdk::CommonError::from_code(code) {
                        ::std::option::Option::Some(common) => Self::Common(common),
                        ::std::option::Option::None => Self::Unknown(code.to_owned()),
                    },
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    })
}

/// The text between the first two backticks of the first doc line.
fn doc_code(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| {
        let Meta::NameValue(doc) = &attr.meta else {
            return None;
        };
        if !doc.path.is_ident("doc") {
            return None;
        }
        let Expr::Lit(lit) = &doc.value else {
            return None;
        };
        let Lit::Str(text) = &lit.lit else {
            return None;
        };
        let text = text.value();
        let rest = text.trim_start().strip_prefix('`')?;
        let end = rest.find('`')?;
        Some(rest[..end].to_owned())
    })
}
