//! Requests and the values their members hold.
//!
//! A request is kept the way it travels: an ordered list of parameters, each a JSON value under
//! its wire name ([`Params`]). Generated code gives every member a typed setter (expanded from
//! [`setter!`](crate::runtime::setter)), so a [`Call`] takes only values of the member's type, and
//! the request serializes without a second conversion. Structures sent inside requests are typed
//! Rust structs, with builders that the `Input` derive writes.
//!
//! Setters accept anything that converts into the member's type ([`IntoMember`]): `&str` or
//! `String` for strings, any integer that widens losslessly for integers, and any iterator of
//! such values for lists.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use serde::Serialize;
use serde::ser::{Error as _, SerializeMap};
use serde_json::Value;

use super::{Action, Handle};
use crate::error::BuildError;

/// A value a member of type `T` can be set from.
///
/// Strings take `&str`, `String` and the like; signed integers take any integer type that
/// converts without loss (`i32` literals included); unsigned integers take `u64` (literals
/// included); floats take `f32` and `f64`; lists take arrays, vectors and other iterators whose
/// items convert; structures and enums take themselves.
pub trait IntoMember<T> {
    /// Converts the value.
    fn into_member(self) -> T;
}

/// A generated structure or enum that requests carry, converted into members as itself.
pub trait Input: Serialize {
    /// The wire name of the first required member that is not set, if any.
    fn missing(&self) -> Option<&'static str> {
        None
    }

    /// Replaces the secrets in the JSON form of a value of this type (its passwords and keys,
    /// and those of the structures it holds) with `"<redacted>"`, for `Debug` output.
    fn redact(value: &mut Value) {
        let _ = value;
    }
}

/// A value a request member holds: what a setter takes (after [`IntoMember`]). It knows where
/// its secrets are, so that a request's `Debug` output can hide them.
pub trait Member: Serialize + Sized {
    /// Hides the secrets of `value`, the JSON form of a value of this type; see
    /// [`Input::redact`].
    fn redact(value: &mut Value) {
        let _ = value;
    }

    /// The value as JSON. Strings, numbers and booleans become JSON directly, without going
    /// through a serializer; a float that JSON cannot hold (NaN, infinity) becomes `null`.
    fn into_json(self) -> Value {
        to_json(self)
    }
}

impl Member for String {
    fn into_json(self) -> Value {
        Value::String(self)
    }
}

impl Member for i64 {
    fn into_json(self) -> Value {
        Value::from(self)
    }
}

impl Member for u64 {
    fn into_json(self) -> Value {
        Value::from(self)
    }
}

impl Member for f64 {
    fn into_json(self) -> Value {
        serde_json::Number::from_f64(self).map_or(Value::Null, Value::Number)
    }
}

impl Member for bool {
    fn into_json(self) -> Value {
        Value::Bool(self)
    }
}

impl<T: Member> Member for Vec<T> {
    fn redact(value: &mut Value) {
        if let Value::Array(items) = value {
            items.iter_mut().for_each(T::redact);
        }
    }

    fn into_json(self) -> Value {
        Value::Array(self.into_iter().map(Member::into_json).collect())
    }
}

impl<T: Input> Member for T {
    fn redact(value: &mut Value) {
        <T as Input>::redact(value);
    }
}

/// Replaces `member` of a JSON object with `"<redacted>"`, when it is there; what a generated
/// [`Input::redact`] does for each secret member.
pub fn redact_member(object: &mut Value, member: &str) {
    if let Some(value) = object.get_mut(member) {
        *value = Value::String("<redacted>".to_owned());
    }
}

/// Hides the secrets of `member` of a JSON object, a value of type `T`; what a generated
/// [`Input::redact`] does for each member that holds structures with secrets.
pub fn redact_within<T: Member>(object: &mut Value, member: &str) {
    if let Some(value) = object.get_mut(member) {
        T::redact(value);
    }
}

impl<S: Into<String>> IntoMember<String> for S {
    fn into_member(self) -> String {
        self.into()
    }
}

impl<N: Into<i64>> IntoMember<i64> for N {
    fn into_member(self) -> i64 {
        self.into()
    }
}

// Only `u64` itself, so that an integer literal given to an unsigned member is a `u64`: with
// more than one candidate it would be an `i32`, which has no lossless conversion.
impl IntoMember<u64> for u64 {
    fn into_member(self) -> u64 {
        self
    }
}

impl<N: Into<f64>> IntoMember<f64> for N {
    fn into_member(self) -> f64 {
        self.into()
    }
}

impl IntoMember<bool> for bool {
    fn into_member(self) -> bool {
        self
    }
}

impl<B: Into<Bytes>> IntoMember<Bytes> for B {
    fn into_member(self) -> Bytes {
        self.into()
    }
}

impl<T: Input> IntoMember<T> for T {
    fn into_member(self) -> T {
        self
    }
}

impl<I, T> IntoMember<Vec<T>> for I
where
    I: IntoIterator,
    I::Item: IntoMember<T>,
{
    fn into_member(self) -> Vec<T> {
        self.into_iter().map(IntoMember::into_member).collect()
    }
}

/// The parameters of a request, in the order they were set, each under its wire name.
///
/// `Debug` shows `<redacted>` for members that hold secrets. Serialized, the parameters are the
/// JSON object sent as the request body.
#[derive(Clone, Default, PartialEq)]
pub struct Params {
    entries: Vec<Param>,
}

#[derive(Clone)]
struct Param {
    name: Cow<'static, str>,
    value: ParamValue,
    secret: bool,
    /// Hides the secrets inside the value, for `Debug`; set by the typed setters.
    redact: Option<fn(&mut Value)>,
}

impl PartialEq for Param {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.value == other.value && self.secret == other.secret
    }
}

/// What a parameter holds.
#[derive(Clone, PartialEq)]
enum ParamValue {
    Json(Value),
    /// Raw bytes, sent as a file part of a `multipart/form-data` body.
    Binary(Bytes),
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value`, replacing an earlier value of the same name.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: Value) {
        self.put(name.into(), ParamValue::Json(value), false, None);
    }

    /// Sets `name` to a secret `value`, which `Debug` never shows.
    pub fn set_secret(&mut self, name: impl Into<Cow<'static, str>>, value: Value) {
        self.put(name.into(), ParamValue::Json(value), true, None);
    }

    /// Sets `name` to raw bytes, which only a `multipart/form-data` body can carry.
    pub fn set_binary(&mut self, name: impl Into<Cow<'static, str>>, value: Bytes) {
        self.put(name.into(), ParamValue::Binary(value), false, None);
    }

    /// Sets `name` to a typed member value, which knows where its secrets are.
    fn set_typed<V: Member>(&mut self, name: &'static str, value: V) {
        self.put(
            Cow::Borrowed(name),
            ParamValue::Json(value.into_json()),
            false,
            Some(V::redact),
        );
    }

    fn put(
        &mut self,
        name: Cow<'static, str>,
        value: ParamValue,
        secret: bool,
        redact: Option<fn(&mut Value)>,
    ) {
        let param = Param {
            name,
            value,
            secret,
            redact,
        };
        match self.entries.iter_mut().find(|p| p.name == param.name) {
            Some(slot) => *slot = param,
            None => self.entries.push(param),
        }
    }

    /// Removes `name`; returns whether it was set.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|p| p.name != name);
        self.entries.len() != before
    }

    /// The JSON value of `name`, when it is set to one.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| match &p.value {
                ParamValue::Json(value) => Some(value),
                ParamValue::Binary(_) => None,
            })
    }

    /// Whether `name` is set, to any value.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|p| p.name == name)
    }

    /// The number of parameters set.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names of the parameters, in the order they were first set.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|p| &*p.name)
    }

    /// Whether any parameter holds raw bytes.
    pub(crate) fn has_binary(&self) -> bool {
        self.entries
            .iter()
            .any(|p| matches!(p.value, ParamValue::Binary(_)))
    }

    /// The parts of a `multipart/form-data` body, as the official SDKs write them: strings as
    /// text, bytes as a file named after the member, other values as JSON.
    pub(crate) fn parts(&self) -> impl Iterator<Item = (&str, super::multipart::Part<'_>)> {
        use super::multipart::Part;
        self.entries.iter().map(|p| {
            let part = match &p.value {
                ParamValue::Binary(bytes) => Part::File(bytes),
                ParamValue::Json(Value::String(text)) => Part::Text(text),
                ParamValue::Json(other) => Part::Json(other),
            };
            (&*p.name, part)
        })
    }
}

impl Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for param in &self.entries {
            match &param.value {
                ParamValue::Json(value) => map.serialize_entry(&*param.name, value)?,
                ParamValue::Binary(_) => {
                    return Err(S::Error::custom(format!(
                        "member `{}` holds bytes, which only a multipart body can carry",
                        param.name
                    )));
                }
            }
        }
        map.end()
    }
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for param in &self.entries {
            match (&param.value, param.secret) {
                (_, true) => map.entry(&param.name, &format_args!("<redacted>")),
                (ParamValue::Json(value), false) => match param.redact {
                    Some(redact) => {
                        let mut shown = value.clone();
                        redact(&mut shown);
                        map.entry(&param.name, &shown)
                    }
                    None => map.entry(&param.name, value),
                },
                (ParamValue::Binary(bytes), false) => {
                    map.entry(&param.name, &format_args!("<{} bytes>", bytes.len()))
                }
            };
        }
        map.finish()
    }
}

/// `value` as JSON; the SDK's own types always convert, and a float that JSON cannot hold
/// (NaN, infinity) becomes `null`.
fn to_json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A built request of action `A`: every required member is set.
pub struct Request<A> {
    params: Params,
    action: PhantomData<fn() -> A>,
}

impl<A: Action> Request<A> {
    /// Starts building a request without a client; the call's `build` checks and finishes it.
    pub fn builder() -> A::Call<()> {
        Call::with_target(()).into()
    }

    /// A request from parameters as they are, for actions or members this SDK does not know
    /// yet; nothing is checked until it is sent.
    pub fn from_params(params: Params) -> Self {
        Self {
            params,
            action: PhantomData,
        }
    }

    /// The parameters, by wire name.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The parameters, to change one (the paginator moves the offset this way).
    pub fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }

    /// The parameters, taken out.
    pub fn into_params(self) -> Params {
        self.params
    }

    /// The request's `ClientToken`, for actions that take one: the service carries out the
    /// requests that share a token only once. `None` when the action has none, or the request
    /// leaves it unset or sets it to something other than a string.
    pub fn client_token(&self) -> Option<&str> {
        if !A::INFO.client_token {
            return None;
        }
        self.params.get(super::CLIENT_TOKEN).and_then(Value::as_str)
    }

    /// Whether this request may be sent again after a failure that leaves its outcome unknown,
    /// such as an `InternalError` or a connection lost once the request was sent: the runtime
    /// retries such failures only when this holds.
    ///
    /// It holds for [idempotent](super::ActionInfo::idempotent) actions, and for any request
    /// carrying a non-empty [client token](Self::client_token). Failures showing that the
    /// service did not act on the request, such as throttling, may be retried whatever this
    /// says.
    pub fn safe_to_repeat(&self) -> bool {
        A::INFO.idempotent || self.client_token().is_some_and(|token| !token.is_empty())
    }
}

impl<A> Clone for Request<A> {
    fn clone(&self) -> Self {
        Self {
            params: self.params.clone(),
            action: PhantomData,
        }
    }
}

impl<A> PartialEq for Request<A> {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
    }
}

impl<A: Action> fmt::Debug for Request<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(A::INFO.name).field(&self.params).finish()
    }
}

impl<A> Serialize for Request<A> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.params.serialize(serializer)
    }
}

impl<'de, A: Action> serde::Deserialize<'de> for Request<A> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = serde_json::Map::<String, Value>::deserialize(deserializer)?;
        let mut params = Params::new();
        for (name, value) in object {
            params.set(name, value);
        }
        Ok(Self::from_params(params))
    }
}

/// A call of action `A` being prepared: members are set one by one, then it is sent.
///
/// With a client (`T` is a [`Handle`], as `Client::<action>()` makes it) the call is
/// [sent](Call::send); without one (`T` is `()`, from [`Request::builder`]) it is
/// [built](Call::build) into a [`Request`] to send later. Each action wraps it in a call type
/// of its own, which adds one setter per member (see [`action!`](crate::runtime::action)).
#[must_use = "nothing is sent until `send` is awaited"]
pub struct Call<A, T = Handle> {
    target: T,
    params: Params,
    action: PhantomData<fn() -> A>,
}

impl<A, T: Clone> Clone for Call<A, T> {
    fn clone(&self) -> Self {
        Self {
            target: self.target.clone(),
            params: self.params.clone(),
            action: PhantomData,
        }
    }
}

impl<A: Action, T> fmt::Debug for Call<A, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("action", &A::INFO.name)
            .field("params", &self.params)
            .finish()
    }
}

impl<A: Action> Call<A> {
    /// Starts a call sent through `handle`.
    pub fn new(handle: &Handle) -> Self {
        Self::with_target(handle.clone())
    }

    /// Checks the required members, then sends the request and waits for the answer.
    pub fn send(self) -> super::Sending<A::Output, A::Error> {
        let (target, request) = self.into_request();
        target.send_checked(request)
    }

    /// Sets `Stream` to `true`, checks the required members, then sends the request and gives
    /// its answer as a stream of events (see [`EventStream`](super::EventStream)); for actions
    /// that stream when asked.
    pub fn send_stream(self) -> super::Streaming<A::Output, A::Error> {
        let (target, request) = self.param("Stream", Value::Bool(true)).into_request();
        target.send_checked_stream(request)
    }

    /// Turns the call into a paginator that sends as many requests as it takes; see
    /// [`Paginator`](super::Paginator).
    pub fn into_paginator(self) -> super::Paginator<A>
    where
        A: super::Paginated,
    {
        let (target, request) = self.into_request();
        super::Paginator::new(target, request)
    }
}

impl<A: Action> Call<A, ()> {
    /// Checks that every required member is set and gives the request.
    pub fn build(self) -> Result<Request<A>, BuildError> {
        self.into_request().1
    }
}

impl<A: Action, T> Call<A, T> {
    fn with_target(target: T) -> Self {
        Self {
            target,
            params: Params::new(),
            action: PhantomData,
        }
    }

    /// The target, and the request once its required members are checked.
    fn into_request(self) -> (T, Result<Request<A>, BuildError>) {
        let missing = A::INFO
            .required
            .iter()
            .find(|name| !self.params.contains(name));
        let request = match missing {
            Some(name) => Err(BuildError::missing(A::INFO.name, *name)),
            None => Ok(Request::from_params(self.params)),
        };
        (self.target, request)
    }

    /// Sets a member by its wire name to any JSON value, bypassing the typed setters: for
    /// members this version of the SDK does not know yet.
    pub fn param(mut self, name: impl Into<Cow<'static, str>>, value: Value) -> Self {
        self.params.set(name, value);
        self
    }

    /// The parameters set so far.
    pub fn params(&self) -> &Params {
        &self.params
    }

    #[doc(hidden)]
    pub fn set_member<V: Member>(mut self, name: &'static str, value: V) -> Self {
        self.params.set_typed(name, value);
        self
    }

    #[doc(hidden)]
    pub fn set_secret_member(mut self, name: &'static str, value: String) -> Self {
        self.params.set_secret(name, Value::String(value));
        self
    }

    #[doc(hidden)]
    pub fn set_binary_member(mut self, name: &'static str, value: Bytes) -> Self {
        self.params.set_binary(name, value);
        self
    }
}

/// Generates the setter of one request member on an action's call type (see
/// [`action!`](crate::runtime::action)).
///
/// `setter!(instance_ids, "InstanceIds", list String)` defines
/// `fn instance_ids(self, value: impl IntoMember<Vec<String>>) -> Self`, which sets the wire
/// member `InstanceIds`. The kinds are a type (`String`, `i64`, `u64`, `f64`, `bool`, a
/// structure or an enum), `list` followed by one, `secret` (a string that `Debug` hides) and
/// `binary` (bytes, sent as a file). A string literal after the kind replaces the generated
/// doc comment.
#[macro_export]
#[doc(hidden)]
macro_rules! __setter {
    ($name:ident, $wire:literal, list $t:ty $(, $doc:literal)?) => {
        $crate::__setter!(@fn $name, $wire, ::std::vec::Vec<$t>, set_member $(, $doc)?);
    };
    ($name:ident, $wire:literal, secret $(, $doc:literal)?) => {
        $crate::__setter!(@fn $name, $wire, ::std::string::String, set_secret_member $(, $doc)?);
    };
    ($name:ident, $wire:literal, binary $(, $doc:literal)?) => {
        $crate::__setter!(@fn $name, $wire, $crate::runtime::Bytes, set_binary_member $(, $doc)?);
    };
    ($name:ident, $wire:literal, $t:ty $(, $doc:literal)?) => {
        $crate::__setter!(@fn $name, $wire, $t, set_member $(, $doc)?);
    };
    (@fn $name:ident, $wire:literal, $t:ty, $how:ident) => {
        $crate::__setter!(@fn $name, $wire, $t, $how, concat!("Sets `", $wire, "`."));
    };
    (@fn $name:ident, $wire:literal, $t:ty, $how:ident, $doc:expr) => {
        #[doc = $doc]
        pub fn $name(self, value: impl $crate::runtime::IntoMember<$t>) -> Self {
            Self(self.0.$how($wire, $crate::runtime::IntoMember::<$t>::into_member(value)))
        }
    };
}

/// The short name of a type, for messages: `Instance` for `tencentcloud_sdk::cvm::v20170312::Instance`.
pub(crate) fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let path = full.split('<').next().unwrap_or(full);
    path.rsplit("::").next().unwrap_or(path)
}

/// Declares one action: its marker type with the [`Action`] impl, the alias of its request and
/// its call type.
///
/// `action!(DescribeInstances, DescribeInstancesRequest, DescribeInstancesCall,
/// DescribeInstancesResponse, Error, idempotent, required["InstanceId"])` declares:
///
/// - the marker `DescribeInstances`, whose [`ActionInfo`] is
///   `ActionInfo::new("DescribeInstances")` followed by one method call per flag (`idempotent`,
///   `rate_limit(20)`, `required["A", "B"]`, `client_token`, `unsigned`, `multipart`);
/// - `DescribeInstancesRequest`, an alias of `Request<DescribeInstances>`;
/// - `DescribeInstancesCall<T = Handle>`, a [`Call`] of the action with `new`, `send` (with a
///   client), `build` (without one, from `DescribeInstancesRequest::builder()`), `param` and
///   `params`. The generated code adds one setter per member with
///   [`setter!`](crate::runtime::setter).
///
/// Each action has a call type of its own, rather than methods added to `Call`, so that its
/// setters are documented on one page and so that looking a method up never has to search every
/// action's setters.
#[macro_export]
#[doc(hidden)]
macro_rules! __action {
    (
        $action:ident, $request:ident, $call:ident, $response:ty, $error:ty
        $(, $flag:ident $([$($member:literal),* $(,)?])? $(($value:expr))?)* $(,)?
    ) => {
        #[doc = concat!("The `", stringify!($action), "` action; [`", stringify!($call), "`] calls it.")]
        #[derive(Debug, Clone, Copy)]
        pub struct $action;

        impl $crate::runtime::Action for $action {
            const INFO: $crate::runtime::ActionInfo =
                $crate::runtime::ActionInfo::new(stringify!($action))
                    $(.$flag($(&[$($member),*])? $($value)?))*;
            type Output = $response;
            type Error = $error;
            type Call<T> = $call<T>;
        }

        #[doc = concat!("A built `", stringify!($action), "` request; `", stringify!($request), "::builder()` starts one without a client.")]
        pub type $request = $crate::runtime::Request<$action>;

        #[doc = concat!("A `", stringify!($action), "` call being prepared: one setter per member, then [`send`](Self::send) (or [`build`](", stringify!($call), "::build) without a client).")]
        #[derive(Clone, Debug)]
        #[must_use = "nothing is sent until `send` is awaited"]
        pub struct $call<T = $crate::runtime::Handle>($crate::runtime::Call<$action, T>);

        impl<T> ::std::convert::From<$crate::runtime::Call<$action, T>> for $call<T> {
            fn from(call: $crate::runtime::Call<$action, T>) -> Self {
                Self(call)
            }
        }

        // `#[inline]` keeps these out of the SDK's own object code: each is compiled where it is
        // used, so a service's actions cost nothing to build until a program calls them.
        impl $call {
            /// Starts a call sent through `handle`.
            #[inline]
            pub fn new(handle: &$crate::runtime::Handle) -> Self {
                Self($crate::runtime::Call::new(handle))
            }

            /// Checks the required members, then sends the request and waits for the answer.
            #[inline]
            pub fn send(self) -> $crate::runtime::Sending<$response, $error> {
                self.0.send()
            }
        }

        impl $call<()> {
            /// Checks that every required member is set and gives the request.
            #[inline]
            pub fn build(self) -> ::std::result::Result<$request, $crate::runtime::BuildError> {
                self.0.build()
            }
        }

        impl<T> $call<T> {
            /// Sets a member by its wire name to any JSON value, bypassing the typed setters:
            /// for members this version of the SDK does not know yet.
            pub fn param(
                self,
                name: impl ::std::convert::Into<::std::borrow::Cow<'static, str>>,
                value: $crate::runtime::serde_json::Value,
            ) -> Self {
                Self(self.0.param(name, value))
            }

            /// The parameters set so far, by wire name.
            pub fn params(&self) -> &$crate::runtime::Params {
                self.0.params()
            }
        }
    };
}
