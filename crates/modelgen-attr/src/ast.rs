//! The shape of a `#[derive(Model)]` input: a struct with named fields, each with its
//! attributes and its Rust type read as a logical column type.

use crate::attr::{self, FieldAttrs, ModelAttrs};
use crate::errors::Errors;
use crate::ty::{self, Kind, RustType};
use modelgen_ir::LogicalType;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident};

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub attrs: ModelAttrs,
    pub fields: Vec<Field<'a>>,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    /// The column name: the field name without `r#`.
    pub column: String,
    pub ty: &'a syn::Type,
    pub rust: RustType,
    pub attrs: FieldAttrs,
    /// The column type; `None` when the Rust type has no mapping (already reported).
    pub logical: Option<LogicalType>,
}

impl Field<'_> {
    pub fn nullable(&self) -> bool {
        self.rust.nullable
    }

    /// The Rust type, when `sql_type` gives a column type it does not map to by itself
    /// (`price: f64` as a decimal): the IR's `rust_type`, as the YAML spec would say it.
    pub fn rust_type(&self) -> Option<String> {
        let logical = self.logical.as_ref()?;
        self.attrs.sql_type.as_ref()?;
        let natural = match &self.rust.kind {
            Kind::String => matches!(logical, LogicalType::Str { .. } | LogicalType::Text),
            // `bool(check)` is still a `bool`.
            Kind::Mapped(LogicalType::Bool { .. }) => matches!(logical, LogicalType::Bool { .. }),
            Kind::Mapped(t) => t == logical,
            Kind::NeedsSqlType { .. } => matches!(logical, LogicalType::Decimal { .. }),
            Kind::Unsupported => false,
        };
        (!natural).then(|| ty::display(&self.rust.inner))
    }
}

impl<'a> Input<'a> {
    /// Reads the struct; `None` when it is no struct with named fields (reported), since
    /// nothing else can be checked then.
    pub fn from_syn(node: &'a DeriveInput, errors: &mut Errors) -> Option<Input<'a>> {
        let shape_error = |what: &str| {
            format!(
                "#[derive(Model)] needs a struct with named fields, not {what}: write `struct {} {{ id: i32 }}`",
                node.ident
            )
        };
        let fields = match &node.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(unnamed) => {
                    errors.spanned(unnamed, shape_error("a tuple struct"));
                    return None;
                }
                Fields::Unit => {
                    errors.at(node.ident.span(), shape_error("a unit struct"));
                    return None;
                }
            },
            Data::Enum(e) => {
                errors.at(e.enum_token.span, shape_error("an enum"));
                return None;
            }
            Data::Union(u) => {
                errors.at(u.union_token.span, shape_error("a union"));
                return None;
            }
        };
        if !node.generics.params.is_empty() {
            // A table has one fixed set of column types; a generic struct would be many.
            errors.spanned(
                &node.generics,
                format!("a model cannot be generic: remove the parameters from `{}`", node.ident),
            );
        }
        let attrs = attr::model_attrs(&node.attrs, errors);
        let fields = fields
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let attrs = attr::field_attrs(&f.attrs, errors);
                let rust = RustType::from_syn(&f.ty);
                let logical = logical_type(&rust, &attrs, errors);
                Some(Field {
                    ident,
                    column: ident.unraw().to_string(),
                    ty: &f.ty,
                    rust,
                    attrs,
                    logical,
                })
            })
            .collect();
        let mut input = Input {
            ident: &node.ident,
            attrs,
            fields,
        };
        input.mark_primary_key(errors);
        Some(input)
    }

    /// `primary_key(b, a)` on the struct marks its fields as keys, as `primary_key` on
    /// each would (every rule about keys then applies); the order is the lowering's.
    fn mark_primary_key(&mut self, errors: &mut Errors) {
        let Some(listed) = self.attrs.primary_key.clone() else {
            return;
        };
        let flagged: Vec<String> = self
            .fields
            .iter()
            .filter(|f| f.attrs.primary_key.is_some())
            .map(|f| f.column.clone())
            .collect();
        if !flagged.is_empty() {
            errors.at(
                listed.span,
                format!(
                    "the primary key is given twice: `primary_key(...)` on the struct and #[model(primary_key)] on {}; keep one",
                    flagged.join(", ")
                ),
            );
            return;
        }
        let mut seen: Vec<String> = Vec::new();
        for ident in &listed.value {
            let name = ident.unraw().to_string();
            if seen.contains(&name) {
                errors.at(ident.span(), format!("`{name}` is in the primary key twice"));
                continue;
            }
            seen.push(name.clone());
            match self.fields.iter_mut().find(|f| f.column == name) {
                Some(f) => f.attrs.primary_key = Some(crate::attr::Spanned::new(true, ident.span())),
                None => {
                    let names = self.fields.iter().map(|f| f.column.as_str());
                    errors.at(
                        ident.span(),
                        format!(
                            "`primary_key(...)` names `{name}`, which is no field of `{}`{}",
                            self.ident,
                            crate::errors::did_you_mean(&name, names)
                        ),
                    );
                }
            }
        }
    }

    pub fn field(&self, column: &str) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.column == column)
    }
}

/// The column type: `sql_type` if given, else the Rust type's mapping. A `String` is
/// `str(n)` with `max_length = n` and `text` without (SQLAlchemy's `Text`); a `Vec<u8>`
/// is `bytes(n)` with it and `bytes` without.
fn logical_type(rust: &RustType, attrs: &FieldAttrs, errors: &mut Errors) -> Option<LogicalType> {
    if let Some(sql) = &attrs.sql_type {
        return Some(sql.value.clone());
    }
    let name = ty::display(&rust.inner);
    if attrs.is_enum.as_ref().is_some_and(|e| e.value) {
        return Some(LogicalType::Enum(Box::new(modelgen_ir::EnumType {
            name,
            type_name: String::new(),
            values: Vec::new(),
            native: true,
            check: false,
            renamed_values: Default::default(),
        })));
    }
    match &rust.kind {
        Kind::String => Some(match &attrs.max_length {
            Some(n) => LogicalType::Str {
                max_length: Some(n.value),
            },
            None => LogicalType::Text,
        }),
        Kind::Mapped(LogicalType::Bytes { .. }) => Some(LogicalType::Bytes {
            max_length: attrs.max_length.as_ref().map(|n| n.value),
        }),
        Kind::Mapped(t) => Some(t.clone()),
        Kind::NeedsSqlType { example } => {
            errors.spanned(
                &rust.inner,
                format!("`{name}` has no default column type; add #[model(sql_type = \"{example}\")]"),
            );
            None
        }
        Kind::Unsupported => {
            errors.spanned(
                &rust.inner,
                format!("unsupported field type `{name}`; add #[model(sql_type = \"…\")] with its column type, such as \"text\", \"bigint\" or \"json\""),
            );
            None
        }
    }
}
