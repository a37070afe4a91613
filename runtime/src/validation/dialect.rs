//! `@pattern` as AWS writes it. Smithy says a pattern is ECMA-262, but AWS models are
//! written against the services' Java engines and use five Java constructs ECMA-262 refuses.
//! Each is rewritten here, in this one place, into the ECMA-262 (2025) form that means what
//! the service enforces:
//!
//! - inline flags `(?s)`, `(?i)`, `(?ms)`, `(?-i)`: in Java a flag switch applies from where
//!   it stands to the end of its group, across later alternatives. ECMA-262 has modifier
//!   groups `(?s:...)` instead, so the rest of each alternative of the group is wrapped in
//!   one (`a(?i)b|c` becomes `a(?i:b)|(?i:c)`). Only `i`, `m` and `s` exist in both;
//!   any other flag is left as written, and the pattern then fails to compile with its
//!   location, as before;
//! - stacked quantifiers `X{11}{0,1011}`: Java repeats the repetition, ECMA-262 calls it a
//!   syntax error, so the first repetition becomes a group: `(?:X{11}){0,1011}`;
//! - possessive quantifiers `X?+`, `X*+`, `X++`, `X{n,m}+`: ECMA-262 has neither possessive
//!   quantifiers nor atomic groups, so the greedy quantifier stands in. That can accept a
//!   value Java would refuse, but only where backtracking into `X` finds a match Java's
//!   would not; in the corpus (`^[\/]?+[a-z...]+`) what follows cannot match what `X`
//!   matched, and there the two agree;
//! - quantified anchors `${2,64}`, `^+`: repeating a zero-width match matches once, so a
//!   quantifier with a minimum of at least one is dropped; with a minimum of zero the anchor
//!   is optional and matches everywhere, so the anchor goes too.
//!
//! - a `-` beside a class escape in a character class (`[\p{L}\p{Z}-_]`): Java reads it
//!   as a literal, ECMA-262 (with the `u` flag) as a range it refuses, so it becomes `\-`.
//!
//! A pattern without these constructs comes back exactly as written.

use std::borrow::Cow;

/// A pattern in ECMA-262 syntax, and whether it uses modifier groups (which the linear
/// engine must not run: its `.` is rewritten to ECMA-262's, which `(?s:...)` would undo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ecma<'a> {
    /// The pattern to compile.
    pub source: Cow<'a, str>,
    /// Whether it has a `(?flags:...)` group.
    pub has_modifiers: bool,
}

/// Rewrites the Java constructs of a model's pattern into ECMA-262.
pub(crate) fn to_ecma(source: &str) -> Ecma<'_> {
    let mut rewriter = Rewriter {
        chars: source.chars().collect(),
        at: 0,
        out: String::new(),
        frames: vec![Frame::default()],
        last: Last::Nothing,
    };
    rewriter.run();
    let has_modifiers = has_modifier_group(&rewriter.out);
    let source = if rewriter.out == source { Cow::Borrowed(source) } else { Cow::Owned(rewriter.out) };
    Ecma { source, has_modifiers }
}

/// Whether `(?` is followed by flags and `:` or `)` anywhere (escapes and classes aside).
fn has_modifier_group(pattern: &str) -> bool {
    pattern.match_indices("(?").any(|(i, _)| {
        let rest = &pattern[i + 2..];
        let flags: String = rest.chars().take_while(|c| c.is_ascii_alphabetic() || *c == '-').collect();
        !flags.is_empty() && rest[flags.len()..].starts_with([':', ')'])
    })
}

/// One group being copied: where it opened, and the inline-flag groups opened inside it
/// that must close before each `|` and at its end.
#[derive(Debug, Default)]
struct Frame {
    open_at: usize,
    flag_groups: Vec<String>,
}

/// What the output ends with, for the quantifier rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Nothing quantifiable (start, `|`, `(`).
    Nothing,
    /// An atom starting at this output index.
    Atom(usize),
    /// An anchor (`^`, `$`) at this output index.
    Anchor(usize),
    /// A quantified atom starting at this output index.
    Quantified(usize),
}

struct Rewriter {
    chars: Vec<char>,
    at: usize,
    out: String,
    frames: Vec<Frame>,
    last: Last,
}

impl Rewriter {
    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            let start = self.out.len();
            match c {
                '\\' => {
                    self.copy_escape();
                    self.last = Last::Atom(start);
                }
                '[' => {
                    self.copy_class();
                    self.last = Last::Atom(start);
                }
                '(' => self.open_group(),
                ')' => self.close_group(),
                '|' => self.alternative(),
                '^' | '$' => {
                    self.copy(1);
                    self.last = Last::Anchor(start);
                }
                '*' | '+' | '?' => self.quantifier(1, if c == '?' || c == '*' { 0 } else { 1 }),
                '{' => match self.braced_quantifier() {
                    Some((len, min)) => self.quantifier(len, min),
                    None => {
                        self.copy(1);
                        self.last = Last::Atom(start);
                    }
                },
                _ => {
                    self.copy(1);
                    self.last = Last::Atom(start);
                }
            }
        }
        if let Some(frame) = self.frames.pop() {
            close_flag_groups(&mut self.out, &frame);
        }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn copy(&mut self, n: usize) {
        for _ in 0..n {
            if let Some(c) = self.peek(0) {
                self.out.push(c);
                self.at += 1;
            }
        }
    }

    /// An escape with everything that belongs to it (`\u0041`, `\p{L}`, `\k<name>`, `\12`).
    fn copy_escape(&mut self) {
        self.copy(1);
        let Some(kind) = self.peek(0) else { return };
        self.copy(1);
        let closing = match kind {
            'p' | 'P' if self.peek(0) == Some('{') => Some('}'),
            'u' if self.peek(0) == Some('{') => Some('}'),
            'k' if self.peek(0) == Some('<') => Some('>'),
            'u' => return self.copy_while(4, |c| c.is_ascii_hexdigit()),
            'x' => return self.copy_while(2, |c| c.is_ascii_hexdigit()),
            'c' => return self.copy_while(1, |c| c.is_ascii_alphabetic()),
            '1'..='9' => return self.copy_while(usize::MAX, |c| c.is_ascii_digit()),
            _ => None,
        };
        if let Some(closing) = closing {
            while let Some(c) = self.peek(0) {
                self.copy(1);
                if c == closing {
                    break;
                }
            }
        }
    }

    fn copy_while(&mut self, max: usize, keep: impl Fn(char) -> bool) {
        let mut n = 0;
        while n < max && self.peek(0).is_some_and(&keep) {
            self.copy(1);
            n += 1;
        }
    }

    /// A character class, copied whole except for one rule: a `-` next to a class escape
    /// (`[\p{N}-_]`) is a literal in Java, and a range ECMA-262 refuses, so it is escaped.
    fn copy_class(&mut self) {
        self.copy(1);
        let mut after_set = false;
        while let Some(c) = self.peek(0) {
            match c {
                '\\' => {
                    after_set = self.class_escape_at(0);
                    self.copy_escape();
                }
                ']' => {
                    self.copy(1);
                    return;
                }
                '-' if after_set || self.class_escape_at(1) => {
                    self.out.push_str("\\-");
                    self.at += 1;
                    after_set = false;
                }
                _ => {
                    self.copy(1);
                    after_set = false;
                }
            }
        }
    }

    /// Whether a class escape, which stands for a set and cannot end a range, starts `ahead`.
    fn class_escape_at(&self, ahead: usize) -> bool {
        self.peek(ahead) == Some('\\')
            && matches!(self.peek(ahead + 1), Some('p' | 'P' | 'd' | 'D' | 'w' | 'W' | 's' | 'S'))
    }

    fn open_group(&mut self) {
        if let Some(flags) = self.inline_flags() {
            // `(?flags)`: the rest of this alternative (and each later one) in a modifier group.
            self.at += flags.len() + 3;
            self.out.push_str(&format!("(?{flags}:"));
            if let Some(frame) = self.frames.last_mut() {
                frame.flag_groups.push(flags);
            }
            self.last = Last::Nothing;
            return;
        }
        self.frames.push(Frame { open_at: self.out.len(), flag_groups: Vec::new() });
        self.copy(1);
        self.last = Last::Nothing;
    }

    /// The flags of a Java inline flag switch `(?flags)` at the cursor, when ECMA-262 has a
    /// modifier for each.
    fn inline_flags(&self) -> Option<String> {
        if self.peek(1) != Some('?') {
            return None;
        }
        let flags: String =
            self.chars[self.at + 2..].iter().take_while(|c| c.is_ascii_alphabetic() || **c == '-').collect();
        let ends = self.peek(2 + flags.chars().count()) == Some(')');
        let known = flags.chars().all(|c| matches!(c, 'i' | 'm' | 's' | '-'));
        let enabling = flags.split('-').next().unwrap_or_default();
        let disabling = flags.split('-').nth(1).unwrap_or_default();
        let valid = flags.matches('-').count() <= 1 && !(enabling.is_empty() && disabling.is_empty());
        (ends && known && valid && !flags.is_empty()).then_some(flags)
    }

    fn close_group(&mut self) {
        if self.frames.len() <= 1 {
            // An unbalanced `)`: copied, so the engine reports it.
            let start = self.out.len();
            self.copy(1);
            self.last = Last::Atom(start);
            return;
        }
        let frame = self.frames.pop().unwrap_or_default();
        close_flag_groups(&mut self.out, &frame);
        self.copy(1);
        self.last = Last::Atom(frame.open_at);
    }

    fn alternative(&mut self) {
        let flags = self.frames.last().map(|frame| frame.flag_groups.clone()).unwrap_or_default();
        if let Some(frame) = self.frames.last() {
            close_flag_groups(&mut self.out, frame);
        }
        self.copy(1);
        for flags in flags {
            self.out.push_str(&format!("(?{flags}:"));
        }
        self.last = Last::Nothing;
    }

    /// `{n}`, `{n,}` or `{n,m}` at the cursor: its length and minimum. Anything else is a
    /// literal brace.
    fn braced_quantifier(&self) -> Option<(usize, u64)> {
        let rest: String = self.chars[self.at..].iter().take_while(|c| **c != '}').collect();
        let inner = rest.strip_prefix('{')?;
        if self.peek(rest.chars().count()) != Some('}') {
            return None;
        }
        let (min, max) = inner.split_once(',').unwrap_or((inner, "0"));
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if min.is_empty() || !digits(min) || !digits(max) {
            return None;
        }
        Some((rest.chars().count() + 1, min.parse().unwrap_or(u64::MAX)))
    }

    /// A quantifier `len` characters long with minimum `min`, after whatever came last.
    fn quantifier(&mut self, len: usize, min: u64) {
        match self.last {
            Last::Anchor(anchor) => {
                // A repeated zero-width match is the match; an optional one matches anywhere.
                if min == 0 {
                    self.out.truncate(anchor);
                    self.last = Last::Nothing;
                }
                self.at += len;
                self.skip_lazy_or_possessive();
            }
            Last::Quantified(atom) => {
                let c = self.peek(0);
                if len == 1 && c == Some('+') {
                    // Possessive: greedy stands in (see the module's documentation).
                    self.at += 1;
                } else if len == 1 && c == Some('?') {
                    // Lazy: ECMA-262 has it too.
                    self.copy(1);
                } else {
                    // Stacked: the repetition so far becomes one atom.
                    self.out.insert_str(atom, "(?:");
                    self.out.push(')');
                    self.copy(len);
                    self.last = Last::Quantified(atom);
                }
            }
            Last::Atom(atom) => {
                self.copy(len);
                self.last = Last::Quantified(atom);
            }
            Last::Nothing => self.copy(len),
        }
    }

    fn skip_lazy_or_possessive(&mut self) {
        if matches!(self.peek(0), Some('?' | '+')) {
            self.at += 1;
        }
    }
}

fn close_flag_groups(out: &mut String, frame: &Frame) {
    for _ in &frame.flag_groups {
        out.push(')');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ecma(source: &str) -> String {
        to_ecma(source).source.into_owned()
    }

    #[test]
    fn patterns_without_java_constructs_are_unchanged() {
        for pattern in [
            r"^[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}$",
            r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
            r"^[0-9a-z\.\-]*(?<!\.)$",
            r"^\u0020{2}[\x41-\x5A]+?a??b*?\k<n>(?<n>x)\12",
            r"^.+@.+\..+$",
            r"a{,5}|{x}",
        ] {
            let out = to_ecma(pattern);
            assert!(matches!(out.source, Cow::Borrowed(_)), "{pattern} became {}", out.source);
            assert!(!out.has_modifiers, "{pattern}");
        }
    }

    #[test]
    fn a_dash_beside_a_class_escape_is_a_literal() {
        // cost-explorer's CostCategoryName and invoicing's InvoiceUnitName.
        assert_eq!(ecma(r"^(?! )[\p{L}\p{N}\p{Z}-_]*(?<! )$"), r"^(?! )[\p{L}\p{N}\p{Z}\-_]*(?<! )$");
        assert_eq!(ecma(r"[a-\d]"), r"[a\-\d]");
        assert_eq!(ecma(r"[\w-]"), r"[\w\-]");
    }

    #[test]
    fn a_leading_inline_flag_covers_the_whole_pattern() {
        assert_eq!(ecma("^(?s).+$"), "^(?s:.+$)");
        assert_eq!(ecma("(?i)(true|false)"), "(?i:(true|false))");
        assert_eq!(ecma("^(?s)"), "^(?s:)");
        assert!(to_ecma("^(?s).+$").has_modifiers);
    }

    #[test]
    fn an_inline_flag_covers_the_rest_of_its_group_across_alternatives() {
        assert_eq!(ecma("^(?i)all|[0-9]{12}$"), "^(?i:all)|(?i:[0-9]{12}$)");
        assert_eq!(ecma("^(?!(?i)(arn|aws):)x"), "^(?!(?i:(arn|aws):))x");
        assert_eq!(ecma("(?![^:]*/action/|(?i).*<script>.*)y"), "(?![^:]*/action/|(?i:.*<script>.*))y");
    }

    #[test]
    fn combined_and_negated_flags_and_java_modifier_groups() {
        assert_eq!(ecma("^(?ms)a(?-s:.*)b$"), "^(?ms:a(?-s:.*)b$)");
        assert_eq!(ecma("a(?-i)b"), "a(?-i:b)");
    }

    #[test]
    fn flags_ecma_262_lacks_are_left_for_the_engine_to_refuse() {
        assert_eq!(ecma("(?x)a b"), "(?x)a b");
        assert_eq!(ecma("(?u)a"), "(?u)a");
    }

    #[test]
    fn stacked_quantifiers_repeat_the_repetition() {
        assert_eq!(ecma("[0-9a-zA-Z]{11}{0,1011}$"), "(?:[0-9a-zA-Z]{11}){0,1011}$");
        assert_eq!(ecma("(ab){2}{3}"), "(?:(ab){2}){3}");
    }

    #[test]
    fn possessive_quantifiers_become_greedy() {
        assert_eq!(ecma(r"^[\/]?+[a-z]+$"), r"^[\/]?[a-z]+$");
        assert_eq!(ecma("a*+b++c{2,3}+"), "a*b+c{2,3}");
        assert_eq!(ecma("a+?"), "a+?");
    }

    #[test]
    fn quantified_anchors_match_once_or_anywhere() {
        assert_eq!(ecma("^[-_a-zA-Z0-9]*${2,64}$"), "^[-_a-zA-Z0-9]*$$");
        assert_eq!(ecma("={3,}${1,4096}$"), "={3,}$$");
        assert_eq!(ecma("a^*b"), "ab");
    }

    /// Whether a value satisfies a model pattern, through the engine validation uses.
    fn satisfies(pattern: &'static str, value: &str) -> bool {
        let mut out = Vec::new();
        let pattern = crate::validation::Pattern::new(pattern);
        crate::validation::pattern(value, &pattern, &crate::validation::Path::ROOT, &mut out);
        out.is_empty()
    }

    #[test]
    fn the_rewritten_patterns_enforce_what_java_enforces() {
        // (?s): `.` crosses line ends, as the service accepts multi-line values.
        assert!(satisfies("^(?s).+$", "line one\nline two"));
        assert!(!satisfies("^.+$", "line one\nline two"));
        // (?i) inside a negative look-ahead: case-insensitive refusal.
        assert!(!satisfies("^(?!(?i)(arn|aws):)[a-zA-Z:]+$", "AWS:thing"));
        assert!(satisfies("^(?!(?i)(arn|aws):)[a-zA-Z:]+$", "mine:thing"));
        // The flag reaches the later alternative of its group, not the earlier one.
        assert!(satisfies("^x(?i)a|b$", "B"));
        assert!(!satisfies("^X(?i)a$", "xa"));
        // (?-s:...) inside (?ms): the inner `.` stops at the line end again.
        let pem = "^(?ms)\\s*^-----BEGIN (?-s:.*)KEY-----$.*?^-----END (?-s:.*)KEY-----$\\s*$";
        assert!(satisfies(pem, "-----BEGIN RSA KEY-----\nabc\ndef\n-----END RSA KEY-----\n"));
        assert!(!satisfies(pem, "-----BEGIN RSA\n KEY-----\nabc\n-----END RSA KEY-----"));
        // Stacked: 11 characters, repeated 0 to 1011 times.
        assert!(satisfies("^rule/[0-9a-zA-Z]{11}{0,2}$", "rule/abcdefghijkABCDEFGHIJK"));
        assert!(!satisfies("^rule/[0-9a-zA-Z]{11}{0,2}$", "rule/abcdefghijkABCDEFGHIJ"));
        // A quantified anchor is the anchor.
        assert!(satisfies("^[a-z]*${2,64}$", "abc"));
        assert!(!satisfies("^[a-z]*${2,64}$", "abc1"));
        // Possessive as greedy.
        assert!(satisfies("^[\\/]?+[a-z]+$", "/abc"));
        assert!(!satisfies("^[\\/]?+[a-z]+$", "//abc"));
        // A dash beside a class escape is a dash, not a range.
        let name = "^(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )$";
        assert!(satisfies(name, "cost-center_1"));
        assert!(!satisfies(name, "cost+center"));
        assert!(!satisfies(name, " leading"));
    }

    #[test]
    fn every_rewritten_corpus_pattern_compiles() {
        for pattern in [
            "^(?s).+$",
            "^(?ms)\\s*^-----BEGIN (?-s:.*)PRIVATE KEY-----$.*?^-----END (?-s:.*)PRIVATE KEY-----$\\s*$",
            "^(?![^:\\\\]*/action/|(?i).*<script>.*</script>.*)[^:\\\\]+$",
            "^(?!(?i)(arn|aws):)[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$",
            "^[-_a-zA-Z0-9]*${2,64}$",
            "^[^-A-Za-z0-9+/=]|=[^=]|={3,}${1,4096}$",
            "^[\\/]?+[a-zA-Z0-9!_.*'()-]+(\\/[a-zA-Z0-9!_.*'()-]+)*$",
            "^(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )$",
            "^arn:aws(-[a-z]{1,3}){0,2}:rbin:[a-z\\-0-9]{0,63}:[0-9]{12}:rule/[0-9a-zA-Z]{11}{0,1011}$",
        ] {
            assert!(crate::validation::compile_pattern(pattern).is_ok(), "{pattern} -> {}", ecma(pattern));
        }
    }
}
