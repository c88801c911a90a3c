//! What Go's regexp parser knows about the operand of a repetition that the `regex` crate's
//! grammar cannot say: a flag group may stand between an operand and its operator (`a(?i)*`
//! repeats `a`, the flags then apply to what follows), the non-greedy flag in force at the
//! operator decides its greediness (`a(?U)*` is lazy), and counted repetitions nested in one
//! another may not repeat their innermost operand more than 1,000 times (`repeatIsValid` in
//! `regexp/syntax/parse.go`: `(a{10}){101}` is refused at `{101}`).

/// The bookkeeping of [`super::sprig_regex`]'s translation outside classes, told each token
/// as it is written to the output.
#[derive(Default)]
pub(super) struct Operands {
    groups: Vec<Group>,
    /// `(?U)` in force (Go's `NonGreedy` flag).
    ungreedy: bool,
    /// The last operand: where its translation starts in the output, and how many copies of
    /// its innermost operand its counted repetitions make (Go's `repeatIsValid` bound).
    last: Option<(usize, u64)>,
    /// Whether the last operand is itself a repetition (Go allows `a*(?i)*`, Rust no `a**`).
    last_repeated: bool,
    /// The largest count of the finished items of the current group.
    most: u64,
    /// Flag groups read since the last operand, written after the next repetition operator
    /// or before the next other token.
    pending: String,
    /// `ungreedy` before the pending flags: what the `regex` crate reads at the operator.
    ungreedy_before: bool,
}

struct Group {
    out_start: usize,
    ungreedy: bool,
    most: u64,
}

impl Operands {
    /// A flag group `(?flags)`.
    pub(super) fn flags(&mut self, text: &str, out: &mut String) {
        if self.pending.is_empty() {
            self.ungreedy_before = self.ungreedy;
        }
        self.apply(text);
        if self.last.is_some() {
            self.pending.push_str(text);
        } else {
            out.push_str(text);
        }
    }

    /// Go's flags syntax: letters to set, then `-` and letters to clear.
    fn apply(&mut self, flags: &str) {
        let mut set = true;
        for c in flags.chars() {
            match c {
                '-' => set = false,
                'U' => self.ungreedy = set,
                _ => {}
            }
        }
    }

    fn flush(&mut self, out: &mut String) {
        out.push_str(&self.pending);
        self.pending.clear();
    }

    fn finish_item(&mut self, out: &mut String) {
        self.flush(out);
        if let Some((_, n)) = self.last.take() {
            self.most = self.most.max(n);
        }
        self.last_repeated = false;
    }

    /// A character, class or escape about to be written.
    pub(super) fn atom(&mut self, out: &mut String) {
        self.finish_item(out);
        self.last = Some((out.len(), 0));
    }

    /// A group's `(`, `(?flags:` (with `flags`) or `(?P<name>` about to be written.
    pub(super) fn open(&mut self, out: &mut String, flags: Option<&str>) {
        self.finish_item(out);
        self.groups.push(Group {
            out_start: out.len(),
            ungreedy: self.ungreedy,
            most: self.most,
        });
        self.most = 0;
        if let Some(f) = flags {
            self.apply(f);
        }
    }

    /// A `)` about to be written: the group becomes the operand.
    pub(super) fn close(&mut self, out: &mut String) {
        self.finish_item(out);
        if let Some(g) = self.groups.pop() {
            let inner = std::mem::replace(&mut self.most, g.most);
            self.ungreedy = g.ungreedy;
            self.last = Some((g.out_start, inner));
        }
    }

    /// A `|` about to be written.
    pub(super) fn alternate(&mut self, out: &mut String) {
        self.finish_item(out);
    }

    /// Writes the repetition operator `op` (with its `?`) of the last operand; `counts` are a
    /// `{min,max}`'s (max -1 when open). `Err` when Go finds the nested counts too large.
    pub(super) fn repeat(
        &mut self,
        out: &mut String,
        op: &str,
        counts: Option<(i64, i64)>,
    ) -> Result<(), ()> {
        let Some((start, inner)) = self.last else {
            out.push_str(op);
            return Ok(());
        };
        let copies = match counts {
            Some((_, 0)) => 0,
            Some((min, max)) => {
                let m = if max < 0 { min } else { max } as u64;
                let copies = m.saturating_mul(inner.max(1));
                if (min >= 2 || max >= 2) && copies > 1000 {
                    return Err(());
                }
                copies
            }
            None => inner,
        };
        if self.last_repeated {
            out.insert_str(start, "(?:");
            out.push(')');
        }
        // The operator is written before the flags that came before it in Go's text: its
        // greediness is the flags', not what the `regex` crate has in force there.
        let lazy_marked = op.len() > 1 && op.ends_with('?');
        if !self.pending.is_empty() && self.ungreedy != self.ungreedy_before {
            out.push_str(if lazy_marked { &op[..op.len() - 1] } else { op });
            if !lazy_marked {
                out.push('?');
            }
        } else {
            out.push_str(op);
        }
        self.flush(out);
        self.last = Some((start, copies));
        self.last_repeated = true;
        Ok(())
    }

    /// The end of the pattern.
    pub(super) fn end(&mut self, out: &mut String) {
        self.flush(out);
    }
}
