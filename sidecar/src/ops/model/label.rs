//! `label_enum!`: the plant's enums, stored and sent by BPM-OS's labels.

/// Declares an enum stored and sent as the given labels: serde and sqlx names, `ALL`,
/// `as_str` and `Display`.
macro_rules! label_enum {
    // `tt`, not `literal`: utoipa reads `rename` only from a bare token, and a `literal`
    // fragment reaches it wrapped, so the document would list the variant names.
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:tt ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
        )]
        pub enum $name { $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [Self] = &[ $( Self::$variant ),+ ];

            /// The label as stored and sent.
            pub fn as_str(self) -> &'static str {
                match self { $( Self::$variant => $text ),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::db::stored::text_column!($name);
    };
}

pub(super) use label_enum;
