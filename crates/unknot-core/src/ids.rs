//! Closed vocabularies with stable kebab-case ids.
//!
//! Regions, sides, kinds of pain, activities and the like are small fixed lists whose ids are
//! stored in journals and plans forever. One macro gives each list the same behaviour: an `ALL`
//! table, `id()`, plain-language `label()`, parsing that forgives case, spaces and underscores
//! and answers an unknown id with the nearest ones, and serde through the id.

/// Declares a closed vocabulary: `id_enum!(Name, "what", { Variant => ("id", "Label"), ... })`.
macro_rules! id_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, {
            $( $(#[$vmeta:meta])* $variant:ident => ($id:literal, $label:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The stable kebab-case id stored in data files and databases.
            pub fn id(self) -> &'static str {
                match self { $( $name::$variant => $id ),+ }
            }

            /// A short name in plain words, for people.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label ),+ }
            }

            /// Every id, in display order (for help texts and suggestions).
            pub fn ids() -> impl Iterator<Item = &'static str> {
                Self::ALL.iter().map(|v| v.id())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::InputError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = $crate::suggest::normalise(s);
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.id() == wanted)
                    .ok_or_else(|| $crate::error::InputError::UnknownId {
                        kind: $what,
                        value: $crate::error::shown(s),
                        suggestions: $crate::suggest::nearest(s, Self::ids()),
                        choices: Self::ids().map(String::from).collect(),
                    })
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("A ", $what, " id.")))
                    .enum_values(Some([$($id),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                /// Compares the id where the reader holds it: serde's `Cow<str>` always made a
                /// `String`, one allocation per id in every list read.
                struct Id;

                impl serde::de::Visitor<'_> for Id {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: serde::de::Error>(self, raw: &str) -> Result<$name, E> {
                        // Stored data must use the exact id; forgiving spelling is for typing
                        // only.
                        $name::ALL
                            .iter()
                            .copied()
                            .find(|v| v.id() == raw)
                            .ok_or_else(|| {
                                E::custom($crate::error::InputError::UnknownId {
                                    kind: $what,
                                    value: $crate::error::shown(raw),
                                    suggestions: $crate::suggest::nearest(raw, $name::ids()),
                                    choices: Vec::new(),
                                })
                            })
                    }
                }

                deserializer.deserialize_str(Id)
            }
        }
    };
}

pub(crate) use id_enum;
