//! CBOR items as a tree, written by hand so that a case can say exactly which bytes go on
//! the wire: a header with a length it does not have, a text that is not UTF-8, a key twice.
//! (The runtime's writer cannot make such bodies, which is the point.)

/// One CBOR item.
#[derive(Debug, Clone)]
pub enum Item {
    /// An unsigned integer (major type 0).
    Uint(u64),
    /// A negative integer `-1 - n` (major type 1).
    Neg(u64),
    /// A double-precision float.
    Float(f64),
    /// A text string (major type 3).
    Text(String),
    /// A byte string (major type 2).
    Bytes(Vec<u8>),
    /// An array (major type 4).
    Array(Vec<Item>),
    /// A map with text keys (major type 5).
    Map(Vec<(String, Item)>),
    /// A tagged item (major type 6).
    Tag(u64, Box<Item>),
    /// `true` or `false`.
    Bool(bool),
    /// These bytes, whatever they are.
    Raw(Vec<u8>),
    /// A string or container whose header declares this length instead of its own.
    Lie(Box<Item>, u64),
}

/// The head of an item of `major` type with argument `n`, in the shortest form.
pub fn head(major: u8, n: u64) -> Vec<u8> {
    let m = major << 5;
    match n {
        0..=23 => vec![m | n as u8],
        24..=0xff => vec![m | 24, n as u8],
        0x100..=0xffff => [&[m | 25][..], &(n as u16).to_be_bytes()].concat(),
        0x1_0000..=0xffff_ffff => [&[m | 26][..], &(n as u32).to_be_bytes()].concat(),
        _ => [&[m | 27][..], &n.to_be_bytes()].concat(),
    }
}

/// A map item from `(key, value)` pairs.
pub fn map(entries: Vec<(&str, Item)>) -> Item {
    Item::Map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A text item.
pub fn text(s: &str) -> Item {
    Item::Text(s.to_owned())
}

impl Item {
    /// The item's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out, None);
        out
    }

    fn write(&self, out: &mut Vec<u8>, length: Option<u64>) {
        let len = |n: usize| length.unwrap_or(n as u64);
        match self {
            Item::Uint(n) => out.extend(head(0, *n)),
            Item::Neg(n) => out.extend(head(1, *n)),
            Item::Float(f) => {
                out.push(0xfb);
                out.extend(f.to_be_bytes());
            }
            Item::Bytes(bytes) => {
                out.extend(head(2, len(bytes.len())));
                out.extend(bytes);
            }
            Item::Text(s) => {
                out.extend(head(3, len(s.len())));
                out.extend(s.as_bytes());
            }
            Item::Array(items) => {
                out.extend(head(4, len(items.len())));
                items.iter().for_each(|item| item.write(out, None));
            }
            Item::Map(entries) => {
                out.extend(head(5, len(entries.len())));
                for (key, value) in entries {
                    Item::Text(key.clone()).write(out, None);
                    value.write(out, None);
                }
            }
            Item::Tag(tag, item) => {
                out.extend(head(6, *tag));
                item.write(out, None);
            }
            Item::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
            Item::Raw(bytes) => out.extend(bytes),
            Item::Lie(item, declared) => item.write(out, Some(*declared)),
        }
    }

    /// Every place in the tree, as the path of keys and indices that leads there (the root is
    /// the empty path). Map keys are places too, marked by a trailing `#key`.
    pub fn paths(&self) -> Vec<String> {
        let mut out = vec![String::new()];
        self.collect_paths("", &mut out);
        out
    }

    fn collect_paths(&self, at: &str, out: &mut Vec<String>) {
        let join = |step: &str| if at.is_empty() { step.to_owned() } else { format!("{at}.{step}") };
        match self {
            Item::Array(items) => items.iter().enumerate().for_each(|(i, item)| {
                out.push(join(&i.to_string()));
                item.collect_paths(&join(&i.to_string()), out);
            }),
            Item::Map(entries) => entries.iter().for_each(|(key, value)| {
                out.push(join(&format!("#{key}")));
                out.push(join(key));
                value.collect_paths(&join(key), out);
            }),
            Item::Tag(_, item) => item.collect_paths(at, out),
            _ => {}
        }
    }

    /// The item at `path` (see [`Self::paths`]); `None` for a key's place.
    pub fn get(&self, path: &str) -> Option<&Item> {
        let mut item = self;
        for step in path.split('.').filter(|s| !s.is_empty()) {
            item = item.child(step)?;
        }
        Some(item)
    }

    fn child(&self, step: &str) -> Option<&Item> {
        match self {
            Item::Array(items) => items.get(step.parse::<usize>().ok()?),
            Item::Map(entries) => entries.iter().find(|(k, _)| k == step).map(|(_, v)| v),
            Item::Tag(_, item) => item.child(step),
            _ => None,
        }
    }

    /// This tree with the item at `path` replaced by `with` (a key's place, `#key`, by raw
    /// bytes standing for the key).
    pub fn replace(&self, path: &str, with: Item) -> Item {
        let mut copy = self.clone();
        let steps: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
        copy.replace_at(&steps, with);
        copy
    }

    fn replace_at(&mut self, steps: &[&str], with: Item) {
        let Some((step, rest)) = steps.split_first() else {
            *self = with;
            return;
        };
        match self {
            Item::Array(items) => {
                if let Some(item) = step.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    item.replace_at(rest, with);
                }
            }
            Item::Map(entries) if rest.is_empty() && step.starts_with('#') => {
                // A key is replaced by raw bytes: the map becomes raw bytes of its own.
                let key = &step[1..];
                let mut out = head(5, entries.len() as u64);
                for (k, v) in entries.iter() {
                    out.extend(if k == key { with.encode() } else { Item::Text(k.clone()).encode() });
                    out.extend(v.encode());
                }
                *self = Item::Raw(out);
            }
            Item::Map(entries) => {
                if let Some((_, item)) = entries.iter_mut().find(|(k, _)| k == step) {
                    item.replace_at(rest, with);
                }
            }
            Item::Tag(_, item) => item.replace_at(steps, with),
            _ => {}
        }
    }
}
