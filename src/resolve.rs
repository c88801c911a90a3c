//! The images of a release as the image rules and the mirror plan see them (read off the
//! render by `lint::render_images`): each part with the key that decided it, and the
//! reasons Helm would not render the release.

use crate::release::Release;
use crate::value::{Origin, Value};

/// One part (registry, repository or tag) of an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The full dotted key that decided it (the last one tried when none was set).
    pub key: String,
    /// Where the deciding value came from (`None` when the key is missing altogether).
    pub origin: Option<Origin>,
    /// The value Helm holds there.
    pub value: Option<Value>,
    /// The text as it appears in the reference.
    pub text: String,
    /// Every key tried, in order, with whether it was set (non-empty).
    pub tried: Vec<(String, bool)>,
}

impl Part {
    /// The value to give this part's key so that the part prints as `text`: a key may hold more
    /// than the part (`image: nginx:1.25` is repository and tag, a digest too), and that rest
    /// stays, or a new repository would drop the tag and pull `latest`.
    pub fn key_value_with(&self, text: &str) -> String {
        match &self.value {
            Some(Value::Str(whole)) if whole.len() > self.text.len() && !self.text.is_empty() => {
                match whole.find(self.text.as_str()) {
                    Some(at) => {
                        let end = at + self.text.len();
                        format!("{}{text}{}", &whole[..at], &whole[end..])
                    }
                    None => text.to_string(),
                }
            }
            _ => text.to_string(),
        }
    }

    /// What this part's key holds, when it is text holding the part (for messages).
    pub fn key_text(&self) -> &str {
        match &self.value {
            Some(Value::Str(whole)) if whole.contains(self.text.as_str()) => whole,
            _ => &self.text,
        }
    }
}

/// The image one component pulls.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The catalogue entry's id.
    pub component: String,
    /// Human description.
    pub name: String,
    /// The subchart path the component belongs to.
    pub chart: Vec<String>,
    /// Registry part; `None` when the registry lives inside the repository.
    pub registry: Option<Part>,
    /// Repository part (suffix included in `text`).
    pub repository: Part,
    /// Tag part.
    pub tag: Part,
    /// The reference as rendered.
    pub reference: String,
    /// Whether the template ignores `global.imageRegistry`.
    pub ignores_global: bool,
}

/// What kind of value breaks the render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The chart needs a string and got a number, boolean or null.
    NotAString,
    /// A map the template reads through is missing or null.
    MissingMap,
    /// A map the template reads through is a scalar or list.
    NotAMap,
    /// The printed image is not valid YAML for another reason.
    InvalidYaml,
    /// Helm's merge fails (a scalar where a subchart's values belong).
    TypeMismatch,
    /// A template stops the render (`fail`, `required`, a function's error).
    Failed,
}

/// Why Helm would fail to render the release.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderFailure {
    /// The kind of failure.
    pub kind: FailureKind,
    /// The component whose template fails (or `values` for a merge failure).
    pub component: String,
    /// The full dotted key at fault.
    pub key: String,
    /// Every key whose null value contributes (the key at fault first).
    pub null_keys: Vec<String>,
    /// The origin of the value at fault, if the user wrote it.
    pub origin: Option<Origin>,
    /// What Helm does and why.
    pub message: String,
}

/// Every image of a release, plus the reasons it would not render.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// Images, in render order.
    pub images: Vec<Image>,
    /// Render failures.
    pub failures: Vec<RenderFailure>,
    /// Keys the chart fails without, which the render stood in for (see `lint::required`).
    pub stood_in: Vec<String>,
    /// Of those and the failures' keys, the ones whose value is `false`: switches the chart
    /// wants turned on, not values to supply.
    pub off_keys: Vec<String>,
    /// Keys of image parts that lie inside a list (`extraContainers.0.image`): a values file
    /// replaces a list whole, so no override sets one of its items.
    pub in_lists: Vec<String>,
    /// Keys of image parts whose value is text holding more than the image (a YAML block of
    /// containers the chart renders with `tpl`): setting the key would replace all of it.
    pub in_texts: Vec<String>,
}

impl Resolution {
    /// Failures grouped by the key at fault: (failure, ids of every component it breaks).
    pub fn grouped_failures(&self) -> Vec<(&RenderFailure, Vec<&str>)> {
        let mut groups: Vec<(&RenderFailure, Vec<&str>)> = Vec::new();
        for f in &self.failures {
            match groups.iter_mut().find(|(g, _)| g.key == f.key) {
                Some((_, ids)) => ids.push(&f.component),
                None => groups.push((f, vec![&f.component])),
            }
        }
        groups
    }

    /// Distinct rendered references, sorted (what `helm template | grep image: | sort -u` shows).
    pub fn distinct(&self) -> Vec<String> {
        let mut refs: Vec<String> = self.images.iter().map(|i| i.reference.clone()).collect();
        refs.sort();
        refs.dedup();
        refs
    }

    /// The release whose values do not even coalesce: Helm's merge failure, and no image.
    pub fn of_merge_failure(release: &Release) -> Resolution {
        let mut out = Resolution::default();
        if let Some(f) = &release.failure {
            out.failures.push(RenderFailure {
                null_keys: Vec::new(),
                kind: FailureKind::TypeMismatch,
                component: "values".into(),
                key: f.path.clone(),
                origin: Some(f.origin.clone()),
                message: f.message.clone(),
            });
        }
        out
    }
}

/// Whether go-yaml would write `s` as a plain scalar (and read it back as the same string).
pub fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return false;
    }
    if "[]{},#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if "-?:".contains(first) && s.chars().nth(1).is_none_or(char::is_whitespace) {
        return false;
    }
    if s.ends_with(':') || s.contains(": ") || s.contains(" #") || s.contains('\n') {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars() {
        assert!(plain_allowed("quay.io/stackstate/kafka:2.3"));
        assert!(plain_allowed("/stackstate/kafka:2.3"));
        assert!(plain_allowed("quay.io/x:<no value>"));
        assert!(!plain_allowed("quay.io/x:"));
        assert!(!plain_allowed("%!s(<nil>)/stackstate/kafka:1"));
        assert!(!plain_allowed(""));
    }
}
