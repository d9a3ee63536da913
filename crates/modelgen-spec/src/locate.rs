//! Finds where a YAML path sits in the source text.
//!
//! The happy path never needs positions, so none are kept: when a diagnostic is rendered,
//! the text is parsed again by a visitor that walks only down the wanted path and fails on
//! purpose at the wanted node. The YAML deserializer stamps its own error with the position
//! of the node it was reading, and that position is the answer.

use crate::diag::{Path, Segment};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A position in the spec text; line and column count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// Which part of a mapping entry to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Key,
    Value,
}

const FOUND: &str = "\0modelgen-locate";

pub fn locate(text: &str, path: &Path, target: Target) -> Option<Location> {
    let seed = Walk {
        rest: path.segments(),
        target,
    };
    let err = seed.deserialize(serde_yaml::Deserializer::from_str(text)).err()?;
    if err.to_string().contains(FOUND) {
        let loc = err.location()?;
        return Some(Location {
            line: loc.line(),
            column: loc.column(),
            offset: loc.index(),
        });
    }
    None
}

struct Walk<'a> {
    rest: &'a [Segment],
    target: Target,
}

fn found<E: de::Error>() -> E {
    E::custom(FOUND)
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.rest.is_empty() {
            return d.deserialize_any(Stop);
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Segment::Key(want, occurrence) = &self.rest[0] else {
            return Ok(());
        };
        let last = self.rest.len() == 1;
        let mut seen = 0;
        loop {
            let key = KeyMatch {
                want,
                stop_here: last && self.target == Target::Key && seen == *occurrence,
            };
            match map.next_key_seed(key)? {
                None => return Ok(()),
                Some(true) if seen == *occurrence => {
                    return map.next_value_seed(Walk {
                        rest: &self.rest[1..],
                        target: self.target,
                    });
                }
                Some(true) => seen += 1,
                Some(false) => {}
            }
            map.next_value::<IgnoredAny>()?;
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Segment::Index(want) = self.rest[0] else {
            return Ok(());
        };
        for _ in 0..want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Walk {
            rest: &self.rest[1..],
            target: self.target,
        })?;
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Fails on whatever node it is handed, so the error carries that node's position.
struct Stop;

impl<'de> Visitor<'de> for Stop {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML")
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(found())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(found())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(found())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(found())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(found())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(found())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(found())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(found())
    }
}

/// Compares a key with the wanted one; when told to, fails on the match to report its position.
struct KeyMatch<'a> {
    want: &'a str,
    stop_here: bool,
}

impl<'de> DeserializeSeed<'de> for KeyMatch<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl KeyMatch<'_> {
    fn compare<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match key == self.want {
            true if self.stop_here => Err(found()),
            matched => Ok(matched),
        }
    }
}

impl<'de> Visitor<'de> for KeyMatch<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        self.compare(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        self.compare(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        self.compare(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.compare(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        self.compare(&v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        self.compare("null")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_values_and_duplicates() {
        let text = "models:\n  User:\n    fields:\n      id: int pk\n      email:   strng(255)\n      id: int\n    list: [a, {b: c}]\n";
        let p = Path::root().key("models").key("User").key("fields");
        let at = |path: &Path, target| locate(text, path, target).map(|l| (l.line, l.column));
        assert_eq!(at(&p.key("email"), Target::Value), Some((5, 16)));
        assert_eq!(at(&p.key("email"), Target::Key), Some((5, 7)));
        assert_eq!(at(&p.key_nth("id", 1), Target::Key), Some((6, 7)));
        let list = Path::root().key("models").key("User").key("list");
        assert_eq!(at(&list.index(1).key("b"), Target::Value), Some((7, 19)));
        assert_eq!(at(&p.key("nope"), Target::Key), None);
    }
}
