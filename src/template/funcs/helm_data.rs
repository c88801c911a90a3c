//! Helm's data functions (`pkg/engine/funcs.go`, `engine.go`): YAML and JSON in and out,
//! `required`, `fail` and `lookup` as they behave under `helm template`.
//!
//! `required` and `fail` wrap their message in Helm's `HELM_ERR_START…HELM_ERR_END` markers,
//! as Helm does; the renderer turns an error carrying them into Helm's
//! `execution error at (FILE:LINE:COL): MSG` (Helm's `cleanupExecError`).

use super::super::FuncError;
use super::super::value::Value;
use super::{Ctx, Func, args, helm_json, helm_toml, helm_yaml};

/// The family's functions.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("toYaml", to_yaml),
    // Helm 4 only (`crate::helm_build`): Helm 3's parser does not know it.
    ("mustToYaml", must_to_yaml),
    ("toYamlPretty", to_yaml_pretty),
    ("fromYaml", helm_yaml::from_yaml),
    ("fromYamlArray", helm_yaml::from_yaml_array),
    ("toJson", helm_json::to_json),
    ("mustToJson", helm_json::must_to_json),
    ("toPrettyJson", helm_json::to_pretty_json),
    ("mustToPrettyJson", helm_json::must_to_pretty_json),
    ("toRawJson", helm_json::to_raw_json),
    ("mustToRawJson", helm_json::to_raw_json),
    ("fromJson", helm_json::from_json),
    ("fromJsonArray", helm_json::from_json_array),
    ("toToml", helm_toml::to_toml),
    // Helm 4.2 only (`crate::helm_build`).
    ("mustToToml", helm_toml::must_to_toml),
    ("fromToml", helm_toml::from_toml),
    ("mustFromJson", helm_json::must_from_json),
    ("required", required),
    ("fail", fail),
    ("lookup", lookup),
    ("getHostByName", get_host_by_name),
];

/// Helm's markers around a message of `required` and `fail`.
pub(crate) const ERR_START: &str = "HELM_ERR_START";
/// See [`ERR_START`].
pub(crate) const ERR_END: &str = "HELM_ERR_END";

fn wrap(msg: &str) -> FuncError {
    FuncError::Call(format!("{ERR_START}{msg}{ERR_END}"))
}

/// `toYaml`: `sigs.k8s.io/yaml.Marshal` without the final line break; `""` on error.
fn to_yaml(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    args::walk_bounded(&args[0], helm_yaml::MAX_DEPTH)?;
    Ok(Value::Str(helm_yaml::to_yaml(&args[0])))
}

/// Helm 4's `mustToYaml`: `toYaml`, but a value it cannot marshal fails the render.
fn must_to_yaml(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    helm_yaml::to_yaml_checked(&args[0])
        .map(Value::Str)
        .map_err(FuncError::Call)
}

/// `toYamlPretty`: go-yaml v3's encoder with an indentation of 2, without the final line
/// break; `""` on error.
fn to_yaml_pretty(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    helm_yaml::try_to_yaml_pretty(&args[0])
        .map(Value::Str)
        .map_err(FuncError::call)
}

/// `required MSG VALUE`: fails with `MSG` when the value is nil or an empty string, else returns
/// it unchanged.
fn required(ctx: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 2)?;
    let warn = args::string(&args[0])?;
    let user_wrote = |s: &crate::template::value::Str| {
        s.whole_origin().is_some_and(|p| {
            matches!(
                p.origin,
                crate::value::Origin::File { .. } | crate::value::Origin::Set { .. }
            )
        })
    };
    // Nothing given, or an empty string nobody wrote (a chart default): what lint may stand
    // in for. An empty string the user wrote is theirs to fix.
    let stand_in = match &args[1] {
        Value::Nil => true,
        Value::Str(s) if s.as_str().is_empty() => !user_wrote(s),
        v => return Ok(v.clone()),
    };
    if !(stand_in && ctx.stand_in_required) {
        return Err(wrap(warn.as_str()));
    }
    let text = warn.as_str();
    ctx.unmet.push(text.to_string());
    Ok(Value::str(if text.to_ascii_lowercase().contains("url") {
        super::STAND_IN_URL
    } else {
        super::STAND_IN
    }))
}

/// Helm's `fail MSG`: always an error, the message wrapped like `required`'s.
///
/// NOTE: not in [`FUNCS`] yet: `sprig_defaults` registers Sprig's plain `fail` and pins it in its
/// tests; Helm replaces it with this one in its FuncMap, so the table should take this one once
/// the renderer unwraps the markers.
pub(crate) fn fail(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    let msg = args::string(&args[0])?;
    Err(wrap(msg.as_str()))
}

/// `lookup APIVERSION KIND NAMESPACE NAME`: an empty map, as under `helm template`.
fn lookup(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 4)?;
    for a in args {
        args::string(a)?;
    }
    Ok(Value::empty_map())
}

/// `getHostByName NAME`: `""`, whatever the name. Helm replaces Sprig's DNS lookup with this
/// unless `--enable-dns` is given (`engine.go`), and a linter stays off the network. (With
/// `--enable-dns`, a name that does not resolve fails with `error calling getHostByName: invalid
/// argument to Intn`: Sprig indexes the empty answer at random.)
fn get_host_by_name(_: &mut Ctx, args: &[Value]) -> Result<Value, FuncError> {
    args::arity(args, 1)?;
    args::string(&args[0])?;
    Ok(Value::str(""))
}

/// The message inside Helm's markers, if `msg` carries them (Helm's `warnRegex`, greedy).
#[cfg(test)]
pub(crate) fn unwrap_helm_error(msg: &str) -> Option<&str> {
    let start = msg.find(ERR_START)? + ERR_START.len();
    let end = msg.rfind(ERR_END)?;
    (end >= start).then(|| &msg[start..end])
}

#[cfg(test)]
#[path = "helm_data_tests/mod.rs"]
mod tests;
