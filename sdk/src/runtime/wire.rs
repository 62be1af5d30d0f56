//! How generated structures are written to JSON and read from it.
//!
//! Generated code does not derive serde's traits: a derive writes much more code per structure
//! than the SDK needs, and with thousands of structures per service that is most of the compile
//! time. Instead each structure lists its members once, in plain code that calls this module:
//!
//! - writing: `let mut out = Writer::new(serializer); out.member("Zone", &self.zone); out.end()`,
//!   where optional members that are `None` are left out;
//! - reading: [`Fields::field`] matches a wire name to the field it fills, and `Deserialize`
//!   is implemented on top of it with [`deserialize_fields`]. Missing
//!   members keep their default and unknown members are skipped, so an answer with a member the
//!   SDK does not know, or without one it expects, still decodes.
//!
//! The first error stops the rest, as serde's own derive does.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Writes a structure as a JSON object, member by member.
pub struct Writer<M: SerializeMap> {
    map: Result<M, M::Error>,
}

impl<M: SerializeMap> Writer<M> {
    /// Starts the object.
    pub fn new<S>(serializer: S) -> Self
    where
        S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>,
    {
        Self {
            map: serializer.serialize_map(None),
        }
    }

    /// Writes an optional member, unless it is `None`.
    pub fn member<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(name, value);
        }
    }

    /// Writes a member that is always present.
    pub fn required<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Ok(map) = &mut self.map {
            if let Err(err) = map.serialize_entry(name, value) {
                self.map = Err(err);
            }
        }
    }

    /// Ends the object, or gives the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.map?.end()
    }
}

/// A generated structure read member by member from a JSON object.
pub trait Fields: Default {
    /// Reads the member `key` into its field, or skips the value when `key` is not a member.
    fn field<'de, M: MapAccess<'de>>(&mut self, key: &str, value: Slot<'_, 'de, M>);
}

/// The value of one member in the object being read; [`put`](Slot::put) reads it into a field,
/// [`skip`](Slot::skip) passes over it.
pub struct Slot<'a, 'de, M: MapAccess<'de>> {
    map: &'a mut M,
    state: &'a mut SlotState<M::Error>,
    lifetime: PhantomData<&'de ()>,
}

/// What became of a slot: not touched, read, or failed.
enum SlotState<E> {
    Untouched,
    Done,
    Failed(E),
}

impl<'de, M: MapAccess<'de>> Slot<'_, 'de, M> {
    /// Reads the value into `place`.
    pub fn put<T: DeserializeOwned>(self, place: &mut T) {
        *self.state = match self.map.next_value() {
            Ok(value) => {
                *place = value;
                SlotState::Done
            }
            Err(err) => SlotState::Failed(err),
        };
    }

    /// Reads the value into a boxed `place`, for a member that leads back to its own structure.
    pub fn put_boxed<T: DeserializeOwned>(self, place: &mut Option<Box<T>>) {
        *self.state = match self.map.next_value::<Option<T>>() {
            Ok(value) => {
                *place = value.map(Box::new);
                SlotState::Done
            }
            Err(err) => SlotState::Failed(err),
        };
    }

    /// Passes over a member the structure does not have.
    pub fn skip(self) {
        *self.state = match self.map.next_value::<IgnoredAny>() {
            Ok(_) => SlotState::Done,
            Err(err) => SlotState::Failed(err),
        };
    }
}

/// A member name, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }

            fn visit_str<E>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }

            fn visit_string<E>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of member `key` into `value`.
pub(crate) fn read_member<'de, M, T>(map: &mut M, key: &str, value: &mut T) -> Result<(), M::Error>
where
    M: MapAccess<'de>,
    T: Fields,
{
    let mut state = SlotState::Untouched;
    value.field(
        key,
        Slot {
            map,
            state: &mut state,
            lifetime: PhantomData,
        },
    );
    match state {
        SlotState::Done => Ok(()),
        SlotState::Failed(err) => Err(err),
        // A generated `field` always reads or skips; a hand-written one might not.
        SlotState::Untouched => map.next_value::<IgnoredAny>().map(|_| ()),
    }
}

/// Reads the members of one object into `value`, one key at a time.
fn read_members<'de, M, T>(map: &mut M, value: &mut T) -> Result<(), M::Error>
where
    M: MapAccess<'de>,
    T: Fields,
{
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        read_member(map, &key, value)?;
    }
    Ok(())
}

struct FieldsVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", super::short_type_name::<T>())
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<T, M::Error> {
        let mut value = T::default();
        read_members(&mut map, &mut value)?;
        Ok(value)
    }
}

/// Reads a [`Fields`] structure; what the `Deserialize` impl of a generated structure calls.
pub fn deserialize_fields<'de, D: Deserializer<'de>, T: Fields>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(FieldsVisitor(PhantomData))
}

/// The answer of an action: a structure with the request's `RequestId`.
pub trait Response: Fields + Send + 'static {
    /// The RequestId of the answer.
    fn request_id(&self) -> &str;
}
