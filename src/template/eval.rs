//! Expression evaluation: pipelines, commands, operands, field chains and function calls (Go's
//! `exec.go` `eval*`), with Go's rules for missing keys and nil values, and read tracking.
//!
//! Go tells apart two kinds of nothing. A map lookup that finds no key (or a null) yields a nil
//! *interface*: taking a field of it is an error (`nil pointer evaluating interface {}.b`). Any
//! pipeline result that is nil becomes an *invalid* value: taking a field of that quietly yields
//! nothing. [`Got::slot`] carries that difference through a field chain.

use std::rc::Rc;

use super::ast::{Arg, Command, List, Node, Number, Pipe, Pos};
use super::error::{Error, FuncError};
use super::exec::{Exec, Flow, Frame, Read, ReadKey};
use super::funcs;
use super::value::{ElemType, IntType, Value};

/// A value from a field chain, and whether it sits in a map slot (see the module comment).
struct Got {
    val: Value,
    slot: bool,
}

impl Exec<'_> {
    /// Evaluates a pipeline and binds its declared variables.
    pub(super) fn eval_pipeline(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        pipe: &Pipe,
    ) -> Result<Value, Flow> {
        let value = self.eval_pipeline_value(f, dot, pipe)?;
        if !pipe.decl.is_empty() {
            self.bind(f, pipe, value.clone())?;
        }
        Ok(value)
    }

    /// Evaluates a pipeline's commands without binding variables (a `range` binds its own).
    pub(super) fn eval_pipeline_value(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        pipe: &Pipe,
    ) -> Result<Value, Flow> {
        f.at = pipe.pos;
        f.at_kind = super::exec::AtKind::Pipe;
        let mut value: Option<Value> = None;
        let mut field = false;
        for cmd in &pipe.cmds {
            self.piped_field = field;
            field = is_field_chain(&cmd.args);
            value = Some(self.eval_command(f, dot, cmd, value)?);
        }
        Ok(value.unwrap_or(Value::Nil))
    }

    pub(super) fn bind(&mut self, f: &mut Frame, pipe: &Pipe, value: Value) -> Result<(), Flow> {
        for var in &pipe.decl {
            if pipe.is_assign {
                match f.vars.iter_mut().rev().find(|(n, _, _)| *n == var.name) {
                    Some(slot) => (slot.1, slot.2) = (value.clone(), false),
                    None => return Err(self.err(f, format!("undefined variable: {}", var.name))),
                }
            } else {
                f.vars.push((var.name.clone(), value.clone(), false));
            }
        }
        Ok(())
    }

    fn eval_command(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        cmd: &Command,
        last: Option<Value>,
    ) -> Result<Value, Flow> {
        self.burn(f)?;
        let Some(first) = cmd.args.first() else {
            return Err(self.err(f, "empty command"));
        };
        let rest = &cmd.args[1..];
        match first {
            Arg::Field(pos, idents) => {
                self.at(f, *pos, first);
                let got =
                    self.eval_field_chain(f, dot, dot.clone(), f.dot_slot, idents, rest, last)?;
                Ok(got.val)
            }
            Arg::Chain(pos, inner, idents) => {
                // Go marks the chain, then its operand, and leaves the mark there: an error of
                // the fields names the operand.
                self.at(f, *pos, first);
                let base = self.eval_arg(f, dot, inner)?;
                let got = self.eval_field_chain(f, dot, base, false, idents, rest, last)?;
                Ok(got.val)
            }
            Arg::Variable(pos, name, idents) => {
                self.at(f, *pos, first);
                let (base, slot) = self.variable_slot(f, name)?;
                if idents.is_empty() {
                    self.not_a_function(f, rest, &last, name)?;
                    return Ok(base);
                }
                let got = self.eval_field_chain(f, dot, base, slot, idents, rest, last)?;
                Ok(got.val)
            }
            Arg::Identifier(pos, name) => {
                self.at(f, *pos, first);
                self.eval_function(f, dot, name, rest, last)
            }
            Arg::Pipe(_, pipe) => {
                // Go names the pipeline by its String(), without the parentheses.
                self.not_a_function_text(f, rest, &last, pipe.as_ref())?;
                // Variables declared inside parentheses live on in the enclosing scope, as in Go.
                self.eval_pipeline(f, dot, pipe)
            }
            other => {
                self.at(f, other.pos(), other);
                self.not_a_function_text(f, rest, &last, other)?;
                match other {
                    Arg::Nil(_) => Err(self.err(f, "nil is not a command")),
                    _ => self.eval_arg(f, dot, other),
                }
            }
        }
    }

    fn not_a_function(
        &self,
        f: &Frame,
        rest: &[Arg],
        last: &Option<Value>,
        what: &str,
    ) -> Result<(), Flow> {
        if !rest.is_empty() || last.is_some() {
            return Err(self.err(f, format!("can't give argument to non-function {what}")));
        }
        Ok(())
    }

    /// [`Exec::not_a_function`] for an operand named by its text, printed only for the error
    /// (a parenthesised pipeline is a command of its own in most templates).
    fn not_a_function_text(
        &self,
        f: &Frame,
        rest: &[Arg],
        last: &Option<Value>,
        what: &dyn super::print::GoText,
    ) -> Result<(), Flow> {
        if rest.is_empty() && last.is_none() {
            return Ok(());
        }
        self.not_a_function(
            f,
            rest,
            last,
            &super::print::node_text(&f.tree.source, what),
        )
    }

    /// Evaluates an operand passed as an argument (Go's `evalArg` for an `interface{}` parameter).
    pub(super) fn eval_arg(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        arg: &Arg,
    ) -> Result<Value, Flow> {
        self.eval_arg_slot(f, dot, arg).map(|(v, _)| v)
    }

    /// [`Exec::eval_arg`], also telling whether the operand is a Go nil interface rather than
    /// no value at all. Helm executes with `missingkey=zero`, so a field chain that ends on a
    /// missing or null entry of a `map[string]interface{}` yields the map's zero element, a nil
    /// `interface{}`, as does a nil element `range` put in dot or a variable; a parameter of a
    /// concrete type rejects it (`wrong type for value; expected string; got interface {}`),
    /// where a parenthesised pipeline or a `$x :=` variable has unwrapped it to no value, which
    /// a map or list parameter takes as nil (Go's `evalPipeline` digs into every result).
    fn eval_arg_slot(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        arg: &Arg,
    ) -> Result<(Value, bool), Flow> {
        let chain = |got: Got| {
            let nil_slot = got.slot && matches!(got.val, Value::Nil);
            (got.val, nil_slot)
        };
        // Go's `evalArg` marks every operand before evaluating it; an operand made of others
        // (a pipeline, a chain) leaves the mark on the last one evaluated.
        self.at(f, arg.pos(), arg);
        match arg {
            Arg::Dot(_) => Ok((dot.clone(), f.dot_slot && matches!(dot, Value::Nil))),
            Arg::Nil(_) => Ok((Value::Nil, false)),
            Arg::Bool(_, b) => Ok((Value::bool(*b), false)),
            Arg::String(_, s) => Ok((Value::str(s.clone()), false)),
            Arg::Number(_, n) => Ok((self.ideal_constant(f, n)?, false)),
            Arg::Field(pos, idents) => {
                self.at(f, *pos, arg);
                let receiver = dot.clone();
                Ok(chain(self.eval_field_chain(
                    f,
                    dot,
                    receiver,
                    f.dot_slot,
                    idents,
                    &[],
                    None,
                )?))
            }
            Arg::Variable(pos, name, idents) => {
                self.at(f, *pos, arg);
                let (base, slot) = self.variable_slot(f, name)?;
                if idents.is_empty() {
                    let nil_slot = slot && matches!(base, Value::Nil);
                    return Ok((base, nil_slot));
                }
                Ok(chain(self.eval_field_chain(
                    f,
                    dot,
                    base,
                    slot,
                    idents,
                    &[],
                    None,
                )?))
            }
            Arg::Chain(_, inner, idents) => {
                let base = self.eval_arg(f, dot, inner)?;
                Ok(chain(self.eval_field_chain(
                    f,
                    dot,
                    base,
                    false,
                    idents,
                    &[],
                    None,
                )?))
            }
            Arg::Pipe(_, pipe) => Ok((self.eval_pipeline(f, dot, pipe)?, false)),
            Arg::Identifier(pos, name) => {
                self.at(f, *pos, arg);
                Ok((self.eval_function(f, dot, name, &[], None)?, false))
            }
        }
    }

    /// A number constant where any type is accepted: Go's `idealConstant`.
    fn ideal_constant(&self, f: &Frame, n: &Number) -> Result<Value, Flow> {
        let text = n.text.as_ref();
        // Go's `idealConstant` takes a complex constant as one first, even `2+0i`.
        if text.ends_with('i')
            && !n.is_char
            && let Some((re, im)) = super::literal::complex_value(text)
        {
            return Ok(Value::Complex(re, im));
        }
        let looks_float =
            !n.is_char && !is_hex_int(text) && text.contains(['.', 'e', 'E', 'p', 'P']);
        if let (Some(x), true) = (n.float, looks_float) {
            return Ok(Value::float(x));
        }
        if let Some(i) = n.int {
            return Ok(Value::int(i));
        }
        if n.uint.is_some() {
            return Err(self.err(f, format!("{text} overflows int")));
        }
        match n.float {
            Some(x) => Ok(Value::float(x)),
            None => Err(self.err(f, format!("illegal number syntax: {text}"))),
        }
    }

    /// A variable's value and whether Go holds it as an interface (a `range` element).
    fn variable_slot(&self, f: &Frame, name: &str) -> Result<(Value, bool), Flow> {
        match f.vars.iter().rev().find(|(n, _, _)| n.as_ref() == name) {
            Some((_, v, slot)) => Ok((v.clone(), *slot)),
            None => Err(self.err(f, format!("undefined variable: {name}"))),
        }
    }

    /// Marks the operand being evaluated, for errors; its text is found again only if one occurs.
    fn at(&self, f: &mut Frame, pos: super::ast::Pos, _arg: &Arg) {
        f.at = pos;
        f.at_kind = super::exec::AtKind::Operand;
    }

    /// Evaluates `.a.b.c` on `receiver`; the last field gets the command's arguments.
    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        receiver: Value,
        slot: bool,
        idents: &[Rc<str>],
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Got, Flow> {
        let mut got = Got {
            val: receiver,
            slot,
        };
        let n = idents.len();
        for (i, ident) in idents.iter().enumerate() {
            let is_last = i + 1 == n;
            got = if is_last {
                self.eval_field(f, dot, got, ident, args, last.clone())?
            } else {
                self.eval_field(f, dot, got, ident, &[], None)?
            };
        }
        Ok(got)
    }

    fn eval_field(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        receiver: Got,
        name: &Rc<str>,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Got, Flow> {
        let has_args = !args.is_empty() || last.is_some();
        match &receiver.val {
            Value::Nil if receiver.slot => {
                Err(self.err(f, format!("nil pointer evaluating interface {{}}.{name}")))
            }
            Value::Nil => Ok(Got {
                val: Value::Nil,
                slot: false,
            }),
            Value::Map(m) => {
                let (values_type, root, marked) = {
                    let m = m.borrow();
                    (m.values_type, m.root, m.marked)
                };
                if !marked {
                    self.memo.observe(&receiver.val, false);
                }
                // `.Template.Name` (its `BasePath` is the scope's, the same for each of its
                // files), or a method of the dot that reads all of it (`$.YAML`).
                if self.memo.watching()
                    && root
                    && (name.as_ref() == "Name" || super::values_methods::arity(name).is_some())
                {
                    super::memo::note_per_file_seen();
                }
                if let Some(type_name) = values_type
                    && let Some(want) = super::values_methods::arity(name)
                {
                    let m = m.clone();
                    return self.eval_values_method(f, dot, &m, type_name, name, want, args, last);
                }
                if has_args {
                    return Err(self.err(f, format!("{name} is not a method but has arguments")));
                }
                let (found, elem) = {
                    let map = m.borrow();
                    (map.entries.get(name).cloned(), map.elem)
                };
                self.record_read(f, &receiver.val, name, found.as_ref());
                let val = match (found, elem) {
                    (Some(v), _) => v,
                    (None, ElemType::String) => Value::str(""),
                    (None, ElemType::Int) => Value::int(0),
                    (None, ElemType::Any | ElemType::Map) => Value::Nil,
                    (None, ElemType::List) => Value::nil_list(ElemType::Any),
                };
                Ok(Got { val, slot: true })
            }
            Value::Object(o) => {
                let o = o.clone();
                self.eval_object_member(f, dot, &o, receiver.slot, name, args, last)
            }
            Value::Int(n, t, _) if let Some(o) = funcs::go_time::named_int(*n, *t) => {
                self.eval_object_member(f, dot, &o, receiver.slot, name, args, last)
            }
            other => {
                let typ = if receiver.slot {
                    "interface {}".to_string()
                } else {
                    other.type_name()
                };
                Err(self.err(f, format!("can't evaluate field {name} in type {typ}")))
            }
        }
    }

    /// `.Name` on one of Helm's objects, as Go's `evalField` reflects on it: a method is
    /// called (its argument count checked first, then each argument's type, where it was
    /// written); else a map type's key or a struct's field, neither of which takes arguments.
    /// A receiver held in an `interface {}` (a key of the dot) is named so when nothing fits.
    #[allow(clippy::too_many_arguments)]
    fn eval_object_member(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        o: &Rc<dyn super::value::Object>,
        slot: bool,
        name: &Rc<str>,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Got, Flow> {
        let got_args = args.len() + usize::from(last.is_some());
        let plain = |val| Got { val, slot: false };
        if let Some(want) = o.arity(name) {
            if got_args != want {
                return Err(self.err(
                    f,
                    format!("wrong number of args for {name}: want {want} got {got_args}"),
                ));
            }
            if want == 0 {
                // A method without a field's answer: one that can fail, or one the template
                // cannot call (several results).
                return match o.field(name).map(Ok).or_else(|| o.call(name, &[])) {
                    Some(Ok(v)) => Ok(plain(v)),
                    Some(Err(FuncError::Arg(msg))) => Err(self.err(f, msg)),
                    Some(Err(e)) => Err(self.func_error(f, name, e)),
                    None => Err(self.err(f, format!("can't evaluate field {name}"))),
                };
            }
            let constants = o.constant_int_param(name);
            return self.call_method(f, dot, name, (args, last, constants), |_, _, vals| {
                o.call(name, vals)
            });
        }
        let has_args = got_args > 0;
        let is_map = matches!(o.underlying(), Some(Value::Map(_)));
        match o.field(name) {
            Some(_) if has_args && is_map => {
                Err(self.err(f, format!("{name} is not a method but has arguments")))
            }
            Some(_) if has_args => Err(self.err(
                f,
                format!("{name} has arguments but cannot be invoked as function"),
            )),
            Some(v) => Ok(plain(v)),
            None => {
                let typ = if slot {
                    "interface {}".to_string()
                } else {
                    o.type_name().to_string()
                };
                Err(self.err(f, format!("can't evaluate field {name} in type {typ}")))
            }
        }
    }

    /// A method of Helm's `Values` type ([`super::values_methods`]), called as Go's `evalCall`
    /// calls one: the argument count checked first, then each argument evaluated and typed.
    #[allow(clippy::too_many_arguments)]
    fn eval_values_method(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        map: &super::value::Map,
        type_name: &'static str,
        name: &str,
        want: usize,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Got, Flow> {
        let got_args = args.len() + usize::from(last.is_some());
        if got_args != want {
            return Err(self.err(
                f,
                format!("wrong number of args for {name}: want {want} got {got_args}"),
            ));
        }
        self.memo.observe(&Value::Map(map.clone()), true);
        self.call_method(f, dot, name, (args, last, None), |exec, f, vals| {
            let receiver = Value::Map(map.clone());
            match name {
                "YAML" => exec.record_whole(f, &receiver),
                _ => {
                    exec.record_lookups(f, &receiver, &super::values_methods::path_read(name, vals))
                }
            }
            Some(super::values_methods::call(map, type_name, name, vals))
        })
    }

    /// Evaluates a method's arguments and calls it as Go's `evalCall` does: a wrong argument
    /// blamed where it was written, the method's own error as `error calling NAME: …`. `call`
    /// gives `None` when the receiver has no such method. A number constant written as an
    /// argument becomes an integer of type `constants` when there is one (see
    /// [`super::value::Object::constant_int_param`]).
    fn call_method(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        name: &str,
        (args, last, constants): (&[Arg], Option<Value>, Option<IntType>),
        call: impl FnOnce(&mut Self, &Frame, &[Value]) -> Option<Result<Value, FuncError>>,
    ) -> Result<Got, Flow> {
        // Go's `evalCall` leaves the node being evaluated at the last argument when the call
        // succeeds (a caller's type error on the result points there: `keys (.Files.Get "x")`
        // fails at `<"x">`), and moves it back to the call for the call's own error.
        let at = (f.at, f.at_kind);
        let Operands {
            mut vals,
            nil_slots,
            marks,
        } = self.eval_operands(f, dot, (name, args), last)?;
        if let Some(t) = constants {
            for (v, a) in vals.iter_mut().zip(args) {
                if let Arg::Number(_, n) = a
                    && let Some(i) = n.int
                {
                    *v = Value::Int(i, t, None);
                }
            }
        }
        for v in vals.iter().filter(|v| v.is_container()) {
            self.memo.observe(v, true);
        }
        funcs::args::clear_wrong_arg();
        funcs::args::set_nil_slots(&vals, nil_slots);
        let result = call(self, f, &vals);
        funcs::args::set_nil_slots(&vals, 0);
        if !matches!(result, Some(Ok(_))) {
            (f.at, f.at_kind) = at;
        }
        match result {
            Some(Ok(val)) => Ok(Got { val, slot: false }),
            Some(Err(FuncError::Arg(msg))) => {
                let msg = self.at_wrong_arg(f, (args, &marks), &vals, msg);
                Err(self.err(f, msg))
            }
            Some(Err(e)) => Err(self.func_error(f, name, e)),
            None => Err(self.err(f, format!("can't evaluate field {name}"))),
        }
    }

    /// Records that a template looked up `key` in `map` (whether or not it was there).
    fn record_read(&mut self, f: &Frame, map: &Value, key: &Rc<str>, found: Option<&Value>) {
        let parent = map.origin();
        // A map a template built (`merge`, `dict`) holds values of the tree under other keys.
        let reached = found.and_then(Value::origin).filter(|prov| match &parent {
            Some(p) => {
                prov.user_path.len() != p.user_path.len() + 1
                    || prov.user_path.last() != Some(key)
                    || prov.user_path[..p.user_path.len()] != p.user_path[..]
            }
            // The root of the values tree is no key of its own.
            None => !prov.path.is_empty(),
        });
        if let Some(p) = parent {
            self.reads.push(Read {
                key: ReadKey::Child(p, key.clone()),
                template: f.name_id,
                pos: f.at,
            });
        }
        if let Some(prov) = reached {
            self.reads.push(Read {
                key: ReadKey::Reached(prov),
                template: f.name_id,
                pos: f.at,
            });
        }
    }

    /// Evaluates a call's operands in order, then appends the piped value.
    fn eval_operands(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        (name, args): (&str, &[Arg]),
        last: Option<Value>,
    ) -> Result<Operands, Flow> {
        let mut ops = Operands {
            vals: Vec::with_capacity(args.len() + 1),
            nil_slots: 0,
            marks: [0; MARKS],
        };
        for (i, a) in args.iter().enumerate() {
            let (v, nil_slot) = match self.eval_arg_slot(f, dot, a) {
                Ok(evaluated) => evaluated,
                Err(Flow::Err(e)) => return Err(self.earlier_operand(f, name, args, &ops, e)),
                Err(other) => return Err(other),
            };
            if nil_slot && i < 64 {
                ops.nil_slots |= 1 << i;
            }
            if let Some(m) = ops.marks.get_mut(i) {
                *m = f.at;
            }
            ops.vals.push(passed(v));
        }
        ops.vals.extend(last.map(passed));
        Ok(ops)
    }

    /// The error of a call whose operand failed with `e`: Go checks each operand against its
    /// parameter's type as it evaluates it, so an earlier operand of the wrong type fails
    /// the call first ([`funcs::params`]).
    fn earlier_operand(
        &self,
        f: &mut Frame,
        name: &str,
        args: &[Arg],
        ops: &Operands,
        e: super::error::Error,
    ) -> Flow {
        match funcs::params::first_refused(name, &ops.vals, ops.nil_slots) {
            Some((k, msg)) => {
                let msg = self.blame_operand(f, (args, &ops.marks), k, msg);
                self.err(f, msg)
            }
            None => Flow::Err(e),
        }
    }

    fn eval_function(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        name: &Rc<str>,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value, Flow> {
        let at = (f.at, f.at_kind);
        let piped_field = std::mem::take(&mut self.piped_field) && last.is_some();
        // Go's `evalCall` finds the function and checks the count against its signature before
        // evaluating any operand: those errors win over an operand's own.
        let Some(callee) = funcs::resolve(name) else {
            return Err(self.err(f, format!("{name:?} is not a defined function")));
        };
        if let Some(msg) = callee
            .arity
            .and_then(|a| a.mismatch(name, args.len(), last.is_some()))
        {
            return Err(self.err(f, msg));
        }
        match name.as_ref() {
            "and" | "or" => return self.and_or(f, dot, name, args, last),
            _ => {}
        }
        let Operands {
            vals,
            nil_slots,
            marks,
        } = self.eval_operands(f, dot, (name, args), last)?;
        (f.at, f.at_kind) = at;
        self.burn(f)?;
        if vals.iter().any(Value::is_container) {
            self.memo.observe_call(name, callee.look, &vals);
            self.record_call_reads(f, name, &vals);
            if self.memo.watching() && super::memo::call_sees_template(name, &vals) {
                super::memo::note_per_file_seen();
            }
        }
        funcs::args::clear_wrong_arg();
        // Most calls have no nil interface among their arguments: the marks are set (and
        // cleared) only for those that do.
        let mark_nils = |mask| {
            if nil_slots != 0 {
                funcs::args::set_nil_slots(&vals, mask);
            }
        };
        mark_nils(nil_slots);
        match name.as_ref() {
            "include" | "tpl" => {
                let text = string_pair(&vals);
                mark_nils(0);
                let text = match text {
                    Ok(t) => t,
                    Err(FuncError::Arg(msg)) => {
                        let msg = self.at_wrong_arg(f, (args, &marks), &vals, msg);
                        return Err(self.err(f, msg));
                    }
                    Err(e) => return Err(self.func_error(f, name, e)),
                };
                let out = if name.as_ref() == "include" {
                    self.include(f, text.as_str(), vals[1].clone())?
                } else {
                    self.tpl(f, text, vals[1].clone())?
                };
                // The nested template has its own state: Go's mark stays on the call's last
                // operand, as after any other call.
                if let Some(i) = args.len().checked_sub(1) {
                    f.at = marks.get(i).copied().unwrap_or_else(|| args[i].pos());
                }
                return Ok(Value::Str(out.finish()));
            }
            "call" => {
                mark_nils(0);
                // No template value is a function: Go's `call` fails on its first operand,
                // naming it as written (a parenthesised pipeline without its parentheses), or
                // a piped one by Go's `reflect.Value.String` (the arity check let it through);
                // before Go 1.23, by its type alone.
                let msg = match (args.first(), vals.first()) {
                    (_, None | Some(Value::Nil)) => "error calling call: call of nil".into(),
                    (_, Some(v)) if !self.build.has_else_with() => {
                        format!("error calling call: non-function of type {}", v.type_name())
                    }
                    (None, Some(v)) => {
                        let text = match v {
                            Value::Str(s) => s.as_str().to_string(),
                            other => format!("<{} Value>", other.type_name()),
                        };
                        format!(
                            "error calling call: non-function {text} of type {}",
                            v.type_name()
                        )
                    }
                    (Some(arg), Some(v)) => {
                        let text = match arg {
                            Arg::Pipe(_, pipe) => f.tree.node_text(pipe.as_ref()),
                            other => f.tree.node_text(other),
                        };
                        format!(
                            "error calling call: non-function {text} of type {}",
                            v.type_name()
                        )
                    }
                };
                return Err(self.err(f, msg));
            }
            _ => {}
        }
        let Some(func) = callee.func else {
            mark_nils(0);
            return Err(self.err(f, format!("{name:?} is not a defined function")));
        };
        let result = func(&mut self.ctx, &vals);
        mark_nils(0);
        match result {
            Ok(v) => {
                // Go leaves the mark on the last operand a call evaluated.
                if let Some(i) = args.len().checked_sub(1) {
                    f.at = marks.get(i).copied().unwrap_or_else(|| args[i].pos());
                }
                // What a function makes costs fuel by its size: a loop that copies what it
                // grows (`append` to the list it builds, `printf "%s%s"` of its own string),
                // quadratic in Go too, stops within the budget instead of running on for minutes.
                self.burn_n(f, made_size(&v))?;
                // These hand on one of their operands as it is, with its own origin or none: the
                // others are no source of the result (traefik's image repository was credited
                // to `hub.hardened`, the condition of its `ternary`; `default .Values.a "x"`
                // printing `x` was credited to `a`).
                if HANDS_ON.contains(&name.as_ref()) {
                    self.note_unpicked(f, (name, at.0), (args, piped_field), &vals);
                    return Ok(v);
                }
                Ok(inherit_origin(v, &vals))
            }
            Err(e) => {
                // Go validates every operand before the call: a refused one is the error.
                if let Some((k, msg)) = funcs::params::first_refused(name, &vals, nil_slots) {
                    let msg = self.blame_operand(f, (args, &marks), k, msg);
                    return Err(self.err(f, msg));
                }
                match e {
                    FuncError::Arg(msg) => {
                        let msg = self.at_wrong_arg(f, (args, &marks), &vals, msg);
                        Err(self.err(f, msg))
                    }
                    e => Err(self.func_error(f, name, e)),
                }
            }
        }
    }

    /// Moves to the operand Go blames for a parameter type error and words it as Go does: an
    /// operand written as a constant fails as the constant (`expected integer; found "x"`), any
    /// other at itself, the piped value at the last operand written.
    fn at_wrong_arg(
        &self,
        f: &mut Frame,
        (args, marks): (&[Arg], &[super::ast::Pos]),
        vals: &[Value],
        msg: String,
    ) -> String {
        let Some(i) = funcs::args::wrong_arg_index(vals) else {
            return msg;
        };
        self.blame_operand(f, (args, marks), i, msg)
    }

    /// [`Self::at_wrong_arg`] for the operand (or piped value, `args.len()`) at `i`.
    fn blame_operand(
        &self,
        f: &mut Frame,
        (args, marks): (&[Arg], &[super::ast::Pos]),
        i: usize,
        msg: String,
    ) -> String {
        // The piped value is checked last: Go blames the last node it evaluated, inside the
        // last operand written when that is a pipeline.
        let j = i.min(args.len().saturating_sub(1));
        let Some(arg) = args.get(j) else {
            return msg;
        };
        f.at = match (arg, marks.get(j)) {
            (Arg::Pipe(..) | Arg::Chain(..), Some(mark)) => *mark,
            _ => arg.pos(),
        };
        if i >= args.len() {
            return msg;
        }
        let expected = msg
            .split("expected ")
            .nth(1)
            .map(|rest| rest.split(';').next().unwrap_or(rest))
            .unwrap_or("");
        let text = || super::print::node_text(&f.tree.source, arg);
        let constant = |what: &str| format!("expected {what}; found {}", text());
        match arg {
            Arg::Nil(_) => format!("cannot assign nil to {expected}"),
            Arg::String(..) | Arg::Number(..) | Arg::Bool(..) => match expected {
                "int" | "int64" | "int32" | "int8" | "int16" | "time.Duration" => {
                    constant("integer")
                }
                "uint" | "uint64" | "uint32" | "uint8" | "uint16" => constant("unsigned integer"),
                "float64" | "float32" => constant("float"),
                "string" => constant("string"),
                "bool" => constant("bool"),
                other => format!("can't handle {} for arg of type {other}", text()),
            },
            _ => msg,
        }
    }

    /// A function's error as Go words it at the call.
    fn func_error(&self, f: &Frame, name: &str, e: FuncError) -> Flow {
        match e {
            FuncError::Arity {
                want,
                variadic,
                got,
            } => self.err(
                f,
                format!(
                    "wrong number of args for {name}: want {}{want} got {got}",
                    if variadic { "at least " } else { "" }
                ),
            ),
            FuncError::Arg(msg) => self.err(f, msg),
            FuncError::Call(msg) => self.err(f, format!("error calling {name}: {msg}")),
            FuncError::Budget(msg) => {
                let mut e = self.error(f, format!("{name}: {msg}"));
                e.kind = super::error::ErrorKind::Budget;
                Flow::Err(e)
            }
        }
    }

    /// `and` and `or` stop at the first argument that decides the result (Go 1.18+; before,
    /// every argument is evaluated first, and the first that fails fails the call); the caller
    /// has checked the count.
    fn and_or(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        name: &str,
        args: &[Arg],
        last: Option<Value>,
    ) -> Result<Value, Flow> {
        let want = name == "or";
        let mut v = Value::Nil;
        if !self.build.short_circuits() {
            let mut decided = None;
            for a in args {
                let x = self.eval_arg(f, dot, a)?;
                self.memo.observe(&x, false);
                self.record_truth(f, &x);
                if decided.is_none() && x.truthy() == want {
                    decided = Some(x.clone());
                }
                v = x;
            }
            if let Some(d) = decided {
                return Ok(d);
            }
            if let Some(l) = last {
                v = l;
            }
            return Ok(v);
        }
        for a in args {
            v = self.eval_arg(f, dot, a)?;
            self.memo.observe(&v, false);
            self.record_truth(f, &v);
            if v.truthy() == want {
                return Ok(v);
            }
        }
        if let Some(l) = last {
            v = l;
        }
        Ok(v)
    }
}

/// The `(string, any)` parameters of `include` and `tpl`, checked as Go checks them.
/// The value a parameter receives (see [`super::value::Object::passed`]).
fn passed(v: Value) -> Value {
    match &v {
        Value::Object(o) => o.passed().unwrap_or(v),
        _ => v,
    }
}

fn string_pair(vals: &[Value]) -> Result<&super::value::Str, FuncError> {
    funcs::args::arity(vals, 2)?;
    funcs::args::string(&vals[0])
}

/// How many operands of a call remember where their evaluation left the mark.
const MARKS: usize = 16;

/// A call's evaluated operands.
struct Operands {
    vals: Vec<Value>,
    /// The operands that are Go nil interfaces (see `eval_arg_slot`), by index.
    nil_slots: u64,
    /// Where each operand left the mark (for a type error at a pipeline or a chain).
    marks: [Pos; MARKS],
}

/// Whether a command is a lone field chain (`.a.b`, `$x.a`, `(…).a`): its value comes straight
/// from the map it looks into, with a read logged for it.
pub(super) fn is_field_chain(args: &[Arg]) -> bool {
    match args {
        [Arg::Field(..) | Arg::Chain(..)] => true,
        [Arg::Variable(_, _, idents)] => !idents.is_empty(),
        _ => false,
    }
}

/// Functions whose result is one of their operands (or an element of one) as it is.
const HANDS_ON: &[&str] = &[
    "ternary",
    "default",
    "coalesce",
    "first",
    "mustFirst",
    "last",
    "mustLast",
    "dig",
];

/// A function's result made from one value of the tree keeps that value's origin as a whole
/// (`upper .Values.x`, `int .Values.n`), unless the function tracked provenance itself.
fn inherit_origin(v: Value, args: &[Value]) -> Value {
    let needs = match &v {
        Value::Str(s) => s.segs().is_empty() && !s.as_str().is_empty(),
        Value::Int(_, _, None) | Value::Float(_, None) => true,
        _ => false,
    };
    if !needs {
        return v;
    }
    let mut origins = args.iter().filter_map(Value::origin);
    let (Some(origin), None) = (origins.next(), origins.next()) else {
        return v;
    };
    let origin = Some(origin);
    match v {
        Value::Str(s) => Value::Str(super::value::Str::with_origin(s.text().clone(), &origin)),
        Value::Int(n, t, _) => Value::Int(n, t, origin),
        Value::Float(x, _) => Value::Float(x, origin),
        other => other,
    }
}

fn is_hex_int(text: &str) -> bool {
    let t = text.trim_start_matches(['+', '-']);
    t.len() > 2 && (t.starts_with("0x") || t.starts_with("0X")) && !t.contains(['p', 'P'])
}

/// The operand at `pos` in `list`, innermost first: the node an error message names.
pub(super) fn find_arg(list: &List, pos: Pos) -> Option<&Arg> {
    list.nodes.iter().find_map(|n| find_in_node(n, pos))
}

/// The function call (a command whose first operand is an identifier) at `pos` in `list`.
pub(super) fn find_command(list: &List, pos: Pos) -> Option<&Command> {
    list.nodes.iter().find_map(|n| command_in_node(n, pos))
}

fn command_in_node(node: &Node, pos: Pos) -> Option<&Command> {
    match node {
        Node::Text { .. }
        | Node::SourceText { .. }
        | Node::Break { .. }
        | Node::Continue { .. } => None,
        Node::Action { pipe, .. } => command_in_pipe(pipe, pos),
        Node::Template { pipe, .. } => pipe.as_ref().and_then(|p| command_in_pipe(p, pos)),
        Node::If(b) | Node::Range(b) | Node::With(b) => command_in_pipe(&b.pipe, pos)
            .or_else(|| find_command(&b.list, pos))
            .or_else(|| b.else_list.as_ref().and_then(|l| find_command(l, pos))),
    }
}

fn command_in_pipe(pipe: &Pipe, pos: Pos) -> Option<&Command> {
    pipe.cmds.iter().find_map(|c| {
        let inner = c.args.iter().find_map(|a| match a {
            Arg::Pipe(_, p) => command_in_pipe(p, pos),
            Arg::Chain(_, base, _) => match base.as_ref() {
                Arg::Pipe(_, p) => command_in_pipe(p, pos),
                _ => None,
            },
            _ => None,
        });
        inner.or_else(|| {
            matches!(c.args.first(), Some(Arg::Identifier(p, _)) if *p == pos).then_some(c)
        })
    })
}

/// The pipeline at `pos` in `list` (an action's, a branch's, or one in parentheses).
pub(super) fn find_pipe(list: &List, pos: Pos) -> Option<&Pipe> {
    list.nodes.iter().find_map(|n| match n {
        Node::Action { pipe, .. } => pipe_in_pipe(pipe, pos),
        Node::Template { pipe, .. } => pipe.as_ref().and_then(|p| pipe_in_pipe(p, pos)),
        Node::If(b) | Node::Range(b) | Node::With(b) => pipe_in_pipe(&b.pipe, pos)
            .or_else(|| find_pipe(&b.list, pos))
            .or_else(|| b.else_list.as_ref().and_then(|l| find_pipe(l, pos))),
        _ => None,
    })
}

fn pipe_in_pipe(pipe: &Pipe, pos: Pos) -> Option<&Pipe> {
    if pipe.pos == pos {
        return Some(pipe);
    }
    pipe.cmds
        .iter()
        .flat_map(|c| c.args.iter())
        .find_map(|a| match a {
            Arg::Pipe(_, p) => pipe_in_pipe(p, pos),
            Arg::Chain(_, base, _) => match base.as_ref() {
                Arg::Pipe(_, p) => pipe_in_pipe(p, pos),
                _ => None,
            },
            _ => None,
        })
}

/// The `{{template}}` node at `pos` in `list`.
pub(super) fn find_template(list: &List, pos: Pos) -> Option<&Node> {
    list.nodes.iter().find_map(|n| match n {
        Node::Template { pos: p, .. } if *p == pos => Some(n),
        Node::If(b) | Node::Range(b) | Node::With(b) => find_template(&b.list, pos)
            .or_else(|| b.else_list.as_ref().and_then(|l| find_template(l, pos))),
        _ => None,
    })
}

fn find_in_node(node: &Node, pos: Pos) -> Option<&Arg> {
    match node {
        Node::Text { .. }
        | Node::SourceText { .. }
        | Node::Break { .. }
        | Node::Continue { .. } => None,
        Node::Action { pipe, .. } => find_in_pipe(pipe, pos),
        Node::Template { pipe, .. } => pipe.as_ref().and_then(|p| find_in_pipe(p, pos)),
        Node::If(b) | Node::Range(b) | Node::With(b) => find_in_pipe(&b.pipe, pos)
            .or_else(|| find_arg(&b.list, pos))
            .or_else(|| b.else_list.as_ref().and_then(|l| find_arg(l, pos))),
    }
}

fn find_in_pipe(pipe: &Pipe, pos: Pos) -> Option<&Arg> {
    pipe.cmds
        .iter()
        .flat_map(|c| c.args.iter())
        .find_map(|a| find_in_arg(a, pos))
}

fn find_in_arg(arg: &Arg, pos: Pos) -> Option<&Arg> {
    let inner = match arg {
        Arg::Pipe(_, p) => find_in_pipe(p, pos),
        Arg::Chain(_, base, _) => find_in_arg(base, pos),
        _ => None,
    };
    inner.or_else(|| (arg.pos() == pos).then_some(arg))
}

impl From<Flow> for Error {
    fn from(flow: Flow) -> Error {
        match flow {
            Flow::Err(e) => e,
            Flow::Break | Flow::Continue => Error {
                kind: super::error::ErrorKind::Exec,
                message: "break or continue outside range".into(),
            },
        }
    }
}

/// The fuel a function's result costs: the elements of a list or map it returns, a unit per
/// 64 bytes of a string (what a step's own work copies, about).
fn made_size(v: &Value) -> u64 {
    let n = match v {
        Value::List(l) => l.items.len(),
        Value::Map(m) => m.try_borrow().map_or(0, |m| m.entries.len()),
        Value::Str(s) => s.as_str().len() / 64,
        Value::Bytes(b) => b.len() / 64,
        _ => 0,
    };
    n as u64
}
