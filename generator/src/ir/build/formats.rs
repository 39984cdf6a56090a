//! Step 3 helpers: the spec's own spelling of a schema `format`, which openapiv3 parses into
//! enums for the formats it knows.

use openapiv3::{Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

/// The spec's spelling of a format that openapiv3 parsed into one of its known variants.
pub(super) trait FormatName {
    fn spelling(&self) -> &'static str;
}

impl FormatName for openapiv3::StringFormat {
    fn spelling(&self) -> &'static str {
        match self {
            openapiv3::StringFormat::Date => "date",
            openapiv3::StringFormat::DateTime => "date-time",
            openapiv3::StringFormat::Password => "password",
            openapiv3::StringFormat::Byte => "byte",
            openapiv3::StringFormat::Binary => "binary",
        }
    }
}

impl FormatName for openapiv3::IntegerFormat {
    fn spelling(&self) -> &'static str {
        match self {
            openapiv3::IntegerFormat::Int32 => "int32",
            openapiv3::IntegerFormat::Int64 => "int64",
        }
    }
}

impl FormatName for openapiv3::NumberFormat {
    fn spelling(&self) -> &'static str {
        match self {
            openapiv3::NumberFormat::Float => "float",
            openapiv3::NumberFormat::Double => "double",
        }
    }
}

pub(super) fn format_text<T: FormatName>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(item.spelling().to_string()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn schema_format(schema: &Schema) -> Option<String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => format_text(&s.format),
        SchemaKind::Type(Type::Integer(i)) => format_text(&i.format),
        SchemaKind::Type(Type::Number(n)) => format_text(&n.format),
        _ => None,
    }
}
