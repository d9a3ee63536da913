//! The IR as Rust struct literals, so an expanded `model()` reads like the IR it builds.
//!
//! The literals name the IR's types bare: the expansion puts them in scope with
//! `use ::modelgen::__private::build::*;` inside the body, where a glob import in the
//! innermost scope wins over any item of the same name in the user's module. `s("…")`,
//! `strings(&[…])` and `column(name, ty)` are helpers from that module; a column shows
//! only the options that differ from `column(name, ty)`.

use modelgen_ir::check::{BinaryOp, Check, CheckExpr, Expr};
use modelgen_ir::{
    Column, DefaultValue, Dialect, FkAction, ForeignKey, Index, IndexKey, JsonShape, LogicalType, Model, ModelKind,
    OnUpdate, Relation, RelationKind, Unique,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub fn model(m: &Model) -> TokenStream {
    let name = string(&m.name);
    let table = string(&m.table);
    let kind = match m.kind {
        ModelKind::Entity => quote!(ModelKind::Entity),
        ModelKind::Join => quote!(ModelKind::Join),
    };
    let doc = option(m.doc.as_deref(), string);
    let comment = option(m.comment.as_deref(), string);
    let mixins = strings(&m.mixins);
    let columns = vec_of(m.columns.iter().map(column));
    let primary_key = strings(&m.primary_key);
    let uniques = vec_of(m.uniques.iter().map(unique));
    let indexes = vec_of(m.indexes.iter().map(index));
    let foreign_keys = vec_of(m.foreign_keys.iter().map(foreign_key));
    let relations = vec_of(m.relations.iter().map(relation));
    let repr = strings(&m.repr);
    let soft_delete = option(m.soft_delete.as_deref(), string);
    let checks = vec_of(m.checks.iter().map(check));
    let primary_key_name = option(m.primary_key_name.as_deref(), string);
    let naming = option(m.naming.as_ref(), naming);
    quote! {
        Model {
            name: #name,
            table: #table,
            kind: #kind,
            doc: #doc,
            comment: #comment,
            mixins: #mixins,
            columns: #columns,
            primary_key: #primary_key,
            primary_key_name: #primary_key_name,
            uniques: #uniques,
            indexes: #indexes,
            foreign_keys: #foreign_keys,
            relations: #relations,
            repr: #repr,
            soft_delete: #soft_delete,
            renamed_from: None,
            checks: #checks,
            naming: #naming,
        }
    }
}

fn naming(n: &modelgen_ir::naming::NamingConvention) -> TokenStream {
    let [ix, uq, ck, fk, pk] = [&n.ix, &n.uq, &n.ck, &n.fk, &n.pk].map(|t| option(t.as_deref(), string));
    quote! {
        NamingConvention {
            ix: #ix,
            uq: #uq,
            ck: #ck,
            fk: #fk,
            pk: #pk,
        }
    }
}

/// `Vec::from([a, b])` rather than `vec![a, b]`: prettyplease formats a call's arguments
/// but leaves a macro's tokens as they are, and snapshots should read well.
fn vec_of(items: impl Iterator<Item = TokenStream>) -> TokenStream {
    let items: Vec<TokenStream> = items.collect();
    if items.is_empty() {
        quote!(Vec::new())
    } else {
        quote!(Vec::from([#(#items),*]))
    }
}

fn string(s: &str) -> TokenStream {
    quote!(s(#s))
}

fn strings(items: &[String]) -> TokenStream {
    quote!(strings(&[#(#items),*]))
}

fn option<T: ?Sized>(value: Option<&T>, f: impl Fn(&T) -> TokenStream) -> TokenStream {
    match value {
        Some(v) => {
            let v = f(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn column(c: &Column) -> TokenStream {
    let name = c.name.as_str();
    let ty = logical_type(&c.ty);
    let base = quote!(column(#name, #ty));
    let mut set = Vec::new();
    if c.nullable {
        set.push(quote!(nullable: true));
    }
    if c.primary_key {
        set.push(quote!(primary_key: true));
    }
    if c.autoincrement {
        set.push(quote!(autoincrement: true));
    }
    match &c.generator {
        modelgen_ir::Generator::Identity => {}
        modelgen_ir::Generator::Serial => set.push(quote!(generator: Generator::Serial)),
        modelgen_ir::Generator::Sequence(name) => set.push(quote!(generator: Generator::Sequence(s(#name)))),
    }
    if let Some(d) = &c.default {
        let d = default_value(d);
        set.push(quote!(default: Some(#d)));
    }
    if let Some(d) = &c.server_default {
        let d = default_value(d);
        set.push(quote!(server_default: Some(#d)));
    }
    if let Some(OnUpdate::Now) = c.on_update {
        set.push(quote!(on_update: Some(OnUpdate::Now)));
    }
    if let Some(OnUpdate::Now) = c.app_on_update {
        set.push(quote!(app_on_update: Some(OnUpdate::Now)));
    }
    if c.secret {
        set.push(quote!(secret: true));
    }
    if let Some(doc) = &c.doc {
        let doc = string(doc);
        set.push(quote!(doc: Some(#doc)));
    }
    if let Some(comment) = &c.comment {
        let comment = string(comment);
        set.push(quote!(comment: Some(#comment)));
    }
    if let Some(mixin) = &c.mixin {
        let mixin = string(mixin);
        set.push(quote!(mixin: Some(#mixin)));
    }
    if let Some(rust) = &c.rust_type {
        let rust = string(rust);
        set.push(quote!(rust_type: Some(#rust)));
    }
    if let Some(name) = &c.check_name {
        let name = string(name);
        set.push(quote!(check_name: Some(#name)));
    }
    if set.is_empty() {
        base
    } else {
        quote!(Column { #(#set,)* ..#base })
    }
}

fn length(n: Option<u32>) -> TokenStream {
    match n {
        Some(n) => {
            let n = Literal::u32_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

fn logical_type(t: &LogicalType) -> TokenStream {
    match t {
        LogicalType::Str { max_length } => {
            let n = length(*max_length);
            quote!(LogicalType::Str { max_length: #n })
        }
        // The field's own type, as the struct writes it, says what the enum is: its
        // `#[derive(modelgen::Enum)]`, read when the schema is built.
        LogicalType::Enum(e) => match syn::parse_str::<syn::Type>(&e.name) {
            Ok(ty) => quote!(LogicalType::Enum(Box::new(<#ty as ::modelgen::Enum>::enum_type()))),
            Err(e) => e.to_compile_error(),
        },
        LogicalType::Text => quote!(LogicalType::Text),
        LogicalType::SmallInt => quote!(LogicalType::SmallInt),
        LogicalType::Int => quote!(LogicalType::Int),
        LogicalType::BigInt => quote!(LogicalType::BigInt),
        LogicalType::Float => quote!(LogicalType::Float),
        LogicalType::Decimal { precision, scale } => {
            let p = Literal::u32_unsuffixed(*precision);
            let s = Literal::u32_unsuffixed(*scale);
            quote!(LogicalType::Decimal { precision: #p, scale: #s })
        }
        LogicalType::Bool { check } => quote!(LogicalType::Bool { check: #check }),
        LogicalType::DateTime { timezone } => quote!(LogicalType::DateTime { timezone: #timezone }),
        LogicalType::Date => quote!(LogicalType::Date),
        LogicalType::Time => quote!(LogicalType::Time),
        LogicalType::Bytes { max_length } => {
            let n = length(*max_length);
            quote!(LogicalType::Bytes { max_length: #n })
        }
        LogicalType::Uuid => quote!(LogicalType::Uuid),
        LogicalType::Json { shape } => {
            let shape = json_shape(shape);
            quote!(LogicalType::Json { shape: #shape })
        }
    }
}

fn json_shape(s: &JsonShape) -> TokenStream {
    match s {
        JsonShape::Any => quote!(JsonShape::Any),
        JsonShape::Str => quote!(JsonShape::Str),
        JsonShape::Int => quote!(JsonShape::Int),
        JsonShape::BigInt => quote!(JsonShape::BigInt),
        JsonShape::Float => quote!(JsonShape::Float),
        JsonShape::Bool => quote!(JsonShape::Bool),
        JsonShape::List(item) => {
            let item = json_shape(item);
            quote!(JsonShape::List(Box::new(#item)))
        }
        JsonShape::Map(item) => {
            let item = json_shape(item);
            quote!(JsonShape::Map(Box::new(#item)))
        }
    }
}

fn default_value(d: &DefaultValue) -> TokenStream {
    match d {
        DefaultValue::Bool(b) => quote!(DefaultValue::Bool(#b)),
        DefaultValue::Int(i) => {
            // The sign as its own token: a negative literal is not one token in Rust.
            let n = Literal::u64_unsuffixed(i.unsigned_abs());
            let sign = (*i < 0).then(|| quote!(-));
            quote!(DefaultValue::Int(#sign #n))
        }
        DefaultValue::Float(f) => {
            let n = Literal::f64_unsuffixed(f.abs());
            let sign = f.is_sign_negative().then(|| quote!(-));
            quote!(DefaultValue::Float(#sign #n))
        }
        DefaultValue::Decimal(text) => {
            let text = string(text);
            quote!(DefaultValue::Decimal(#text))
        }
        DefaultValue::Str(text) => {
            let text = string(text);
            quote!(DefaultValue::Str(#text))
        }
        DefaultValue::Now => quote!(DefaultValue::Now),
        DefaultValue::Uuid4 => quote!(DefaultValue::Uuid4),
        DefaultValue::Json(text) => {
            let text = string(text);
            quote!(DefaultValue::Json(#text))
        }
        DefaultValue::Sql(by_dialect) => {
            let pairs = by_dialect.iter().map(|(d, text)| {
                let d = d.name();
                quote!((#d, #text))
            });
            quote!(sql(&[#(#pairs),*]))
        }
    }
}

fn unique(u: &Unique) -> TokenStream {
    let name = option(u.name.as_deref(), string);
    let columns = strings(&u.columns);
    quote!(Unique { name: #name, columns: #columns })
}

fn index(i: &Index) -> TokenStream {
    let name = string(&i.name);
    let columns = match i.plain_columns() {
        Some(names) => quote!(keys(&[#(#names),*])),
        None => vec_of(i.columns.iter().map(|k| match k {
            IndexKey::Column(c) => {
                let c = string(c);
                quote!(IndexKey::Column(#c))
            }
            IndexKey::Expr(e) => {
                let e = expr(e);
                quote!(IndexKey::Expr(#e))
            }
        })),
    };
    let unique = i.unique;
    let live_only = i.live_only;
    let predicate = option(i.predicate.as_ref(), expr);
    quote!(Index { name: #name, columns: #columns, unique: #unique, live_only: #live_only, predicate: #predicate })
}

fn fk_action(a: &FkAction) -> TokenStream {
    match a {
        FkAction::Cascade => quote!(FkAction::Cascade),
        FkAction::SetNull => quote!(FkAction::SetNull),
        FkAction::SetDefault => quote!(FkAction::SetDefault),
        FkAction::Restrict => quote!(FkAction::Restrict),
        FkAction::NoAction => quote!(FkAction::NoAction),
    }
}

fn foreign_key(fk: &ForeignKey) -> TokenStream {
    let columns = strings(&fk.columns);
    let target_model = string(&fk.target_model);
    let target_table = string(&fk.target_table);
    let target_columns = strings(&fk.target_columns);
    let on_delete = option(fk.on_delete.as_ref(), fk_action);
    let on_update = option(fk.on_update.as_ref(), fk_action);
    let name = option(fk.name.as_deref(), string);
    quote! {
        ForeignKey {
            name: #name,
            columns: #columns,
            target_model: #target_model,
            target_table: #target_table,
            target_columns: #target_columns,
            on_delete: #on_delete,
            on_update: #on_update,
        }
    }
}

pub fn relation_kind(k: RelationKind) -> TokenStream {
    match k {
        RelationKind::OneToMany => quote!(RelationKind::OneToMany),
        RelationKind::OneToOne => quote!(RelationKind::OneToOne),
        RelationKind::ManyToOne => quote!(RelationKind::ManyToOne),
        RelationKind::ManyToMany => quote!(RelationKind::ManyToMany),
    }
}

fn relation(r: &Relation) -> TokenStream {
    let name = string(&r.name);
    let kind = relation_kind(r.kind);
    let target = string(&r.target);
    let foreign_key = strings(&r.foreign_key);
    let through = option(r.through.as_deref(), string);
    let target_foreign_key = strings(&r.target_foreign_key);
    let back_populates = option(r.back_populates.as_deref(), string);
    let cascade = strings(&r.cascade);
    let doc = option(r.doc.as_deref(), string);
    quote! {
        Relation {
            name: #name,
            kind: #kind,
            target: #target,
            foreign_key: #foreign_key,
            through: #through,
            target_foreign_key: #target_foreign_key,
            back_populates: #back_populates,
            cascade: #cascade,
            doc: #doc,
        }
    }
}

fn check(c: &Check) -> TokenStream {
    let name = string(&c.name);
    let expr = match &c.expr {
        CheckExpr::Tree(e) => {
            let e = expr(e);
            quote!(CheckExpr::Tree(#e))
        }
        CheckExpr::Sql(by_dialect) => {
            let pairs = by_dialect.iter().map(|(d, text)| {
                let d = dialect(*d);
                let text = string(text);
                quote!((#d, #text))
            });
            quote!(CheckExpr::Sql(BTreeMap::from([#(#pairs),*])))
        }
    };
    let doc = option(c.doc.as_deref(), string);
    let dialects = vec_of(c.dialects.iter().map(|d| dialect(*d)));
    quote!(Check { name: #name, expr: #expr, doc: #doc, dialects: #dialects })
}

fn dialect(d: Dialect) -> TokenStream {
    match d {
        Dialect::Sqlite => quote!(Dialect::Sqlite),
        Dialect::Postgres => quote!(Dialect::Postgres),
        Dialect::Mysql => quote!(Dialect::Mysql),
    }
}

/// A check expression as the tree itself, so the expansion parses nothing at run time.
fn expr(e: &Expr) -> TokenStream {
    let boxed = |e: &Expr| {
        let e = expr(e);
        quote!(Box::new(#e))
    };
    match e {
        Expr::Column { name } => {
            let name = string(name);
            quote!(Expr::Column { name: #name })
        }
        Expr::Int { value } => {
            // The sign as its own token, as for integer defaults.
            let n = Literal::u64_unsuffixed(value.unsigned_abs());
            let sign = (*value < 0).then(|| quote!(-));
            quote!(Expr::Int { value: #sign #n })
        }
        Expr::Decimal { value } => {
            let value = string(value);
            quote!(Expr::Decimal { value: #value })
        }
        Expr::Str { value } => {
            let value = string(value);
            quote!(Expr::Str { value: #value })
        }
        Expr::Bool { value } => quote!(Expr::Bool { value: #value }),
        Expr::Not { expr } => {
            let expr = boxed(expr);
            quote!(Expr::Not { expr: #expr })
        }
        Expr::Neg { expr } => {
            let expr = boxed(expr);
            quote!(Expr::Neg { expr: #expr })
        }
        Expr::Length { expr } => {
            let expr = boxed(expr);
            quote!(Expr::Length { expr: #expr })
        }
        Expr::Lower { expr } => {
            let expr = boxed(expr);
            quote!(Expr::Lower { expr: #expr })
        }
        Expr::Upper { expr } => {
            let expr = boxed(expr);
            quote!(Expr::Upper { expr: #expr })
        }
        Expr::Binary { op, left, right } => {
            let op = binary_op(*op);
            let left = boxed(left);
            let right = boxed(right);
            quote!(Expr::Binary { op: #op, left: #left, right: #right })
        }
        Expr::In { expr, list, negated } => {
            let expr = boxed(expr);
            let list = vec_of(list.iter().map(self::expr));
            quote!(Expr::In { expr: #expr, list: #list, negated: #negated })
        }
        Expr::IsNull { expr, negated } => {
            let expr = boxed(expr);
            quote!(Expr::IsNull { expr: #expr, negated: #negated })
        }
    }
}

fn binary_op(op: BinaryOp) -> TokenStream {
    match op {
        BinaryOp::Or => quote!(BinaryOp::Or),
        BinaryOp::And => quote!(BinaryOp::And),
        BinaryOp::Eq => quote!(BinaryOp::Eq),
        BinaryOp::Ne => quote!(BinaryOp::Ne),
        BinaryOp::Lt => quote!(BinaryOp::Lt),
        BinaryOp::Le => quote!(BinaryOp::Le),
        BinaryOp::Gt => quote!(BinaryOp::Gt),
        BinaryOp::Ge => quote!(BinaryOp::Ge),
        BinaryOp::Add => quote!(BinaryOp::Add),
        BinaryOp::Sub => quote!(BinaryOp::Sub),
        BinaryOp::Mul => quote!(BinaryOp::Mul),
        BinaryOp::Div => quote!(BinaryOp::Div),
    }
}
