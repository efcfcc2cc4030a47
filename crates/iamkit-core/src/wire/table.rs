//! The declaration of a table of calls, written once per table in `wire/mod.rs`.
//!
//! `call_table!` turns a list of `"name" => Variant(Input) -> Output = runner;` lines into:
//! - the enum of calls (one variant per call, holding its typed input);
//! - the enum of answers (one variant per call, holding its typed output), serialized as the
//!   output itself;
//! - `parse(name, input)`, which reads the input of the named call (and only that input type, so
//!   documents stay borrowed from the input text), and `run(target, text)`;
//! - with the `schema` feature, the description of every call for the contract's JSON Schema.
//!
//! A runner is `fn(target, input, text) -> Result<Output>`, where `text` is the input's JSON text
//! (error locations point into it).

macro_rules! call_table {
    (
        $(#[doc = $doc:literal])*
        $vis:vis enum $Call:ident<$lt:lifetime> -> $Answer:ident on $Target:ty {
            $(
                $(#[doc = $vdoc:literal])*
                $name:literal => $Variant:ident($Input:ty) -> $Output:ty = $run:path;
            )*
        }
    ) => {
        $(#[doc = $doc])*
        // a call is read once and run at once: boxing its large inputs would only add an
        // allocation per call
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug)]
        #[non_exhaustive]
        $vis enum $Call<$lt> {
            $(
                $(#[doc = $vdoc])*
                $Variant($Input),
            )*
        }

        #[doc = concat!("The answer to a [`", stringify!($Call), "`]: serializes as the call's own answer.")]
        // an answer is made once and serialized at once: boxing its large variants would only add
        // an allocation per call
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        $vis enum $Answer {
            $(
                $(#[doc = $vdoc])*
                $Variant($Output),
            )*
        }

        impl serde::Serialize for $Answer {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    $( $Answer::$Variant(v) => v.serialize(s), )*
                }
            }
        }

        impl<$lt> $Call<$lt> {
            /// Every call's name, in table order.
            pub const NAMES: &'static [&'static str] = &[$($name),*];

            /// Reads the call `name` from its input object (JSON text), borrowing from it.
            pub fn parse(name: &str, input: &$lt str) -> $crate::error::Result<Self> {
                match name {
                    $( $name => $crate::wire::read::<$Input>(input).map($Call::$Variant), )*
                    other => Err($crate::wire::unknown_call(stringify!($Call), other, Self::NAMES)),
                }
            }

            /// The call's name.
            pub fn name(&self) -> &'static str {
                match self {
                    $( $Call::$Variant(_) => $name, )*
                }
            }

            /// Runs the call on `target`; `text` is the JSON text the input was read from.
            pub fn run(self, target: $Target, text: &$lt str) -> $crate::error::Result<$Answer> {
                match self {
                    $( $Call::$Variant(input) => $run(target, input, text).map($Answer::$Variant), )*
                }
            }
        }

        #[cfg(feature = "schema")]
        impl<$lt> $Call<$lt> {
            /// Every call of the table, described for the contract's JSON Schema.
            pub(crate) fn describe(
                g: &mut $crate::wire::contract::Generators,
            ) -> Vec<$crate::wire::contract::CallSchema> {
                vec![
                    $(
                        $crate::wire::contract::CallSchema::new::<$Input, $Output>(
                            g,
                            $name,
                            concat!($($vdoc, "\n",)*),
                        ),
                    )*
                ]
            }
        }
    };
}
