//! What an upgrade changes in the images a release pulls: each container of today's render
//! paired with the same container (object and container name) of the target's render.

/// One container's image in a render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// `Kind/name` of the object (an embedded manifest as `ConfigMap/holder>Kind/name`).
    pub object: String,
    /// The container's name.
    pub container: String,
    /// The reference as Kubernetes reads it.
    pub reference: String,
}

/// One release's images on both sides (Helm's failure where a side does not render).
pub struct ReleaseImages {
    /// The PATH (or the last -f file) the release is named after.
    pub name: String,
    /// Today's images.
    pub before: Result<Vec<Pulled>, String>,
    /// The images after the upgrade.
    pub after: Result<Vec<Pulled>, String>,
}

impl ReleaseImages {
    /// The image changes, when both sides render.
    pub fn delta(&self) -> Option<Delta> {
        match (&self.before, &self.after) {
            (Ok(b), Ok(a)) => Some(delta(b, a)),
            _ => None,
        }
    }
}

/// The image changes of one release.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delta {
    /// References the target pulls that today's release pulls nowhere, sorted: what a private
    /// registry must hold before the upgrade.
    pub to_mirror: Vec<String>,
    /// Containers of both renders whose reference changes: (today, target).
    pub changed: Vec<(Pulled, Pulled)>,
    /// Containers only the target renders.
    pub added: Vec<Pulled>,
    /// Containers only today's release renders.
    pub removed: Vec<Pulled>,
    /// Containers of both renders with the same reference.
    pub unchanged: usize,
}

impl Delta {
    /// Whether the upgrade changes no image.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// Pairs the containers of two renders in render order (the first unpaired one of the same
/// object and name), then those left by kind and reference, then by kind and repository (an
/// object whose name is random, `randAlphaNum` in a test pod's, a date in a job's, or
/// renamed), and sorts what changed.
pub fn delta(before: &[Pulled], after: &[Pulled]) -> Delta {
    let mut paired = vec![false; before.len()];
    let mut twins: Vec<Option<usize>> = vec![None; after.len()];
    let passes: [&Twins; 3] = [
        &|b, a| b.object == a.object && b.container == a.container,
        &|b, a| kind(b) == kind(a) && b.reference == a.reference,
        &|b, a| kind(b) == kind(a) && repository(&b.reference) == repository(&a.reference),
    ];
    for same in passes {
        for (a, twin) in after.iter().zip(twins.iter_mut()) {
            if twin.is_some() {
                continue;
            }
            *twin = (0..before.len()).find(|&i| !paired[i] && same(&before[i], a));
            if let Some(i) = *twin {
                paired[i] = true;
            }
        }
    }
    let mut out = Delta::default();
    for (a, twin) in after.iter().zip(&twins) {
        match twin {
            Some(i) if before[*i].reference == a.reference => out.unchanged += 1,
            Some(i) => out.changed.push((before[*i].clone(), a.clone())),
            None => out.added.push(a.clone()),
        }
    }
    out.removed = before
        .iter()
        .zip(&paired)
        .filter(|(_, p)| !**p)
        .map(|(b, _)| b.clone())
        .collect();
    let today: std::collections::HashSet<&str> =
        before.iter().map(|b| b.reference.as_str()).collect();
    out.to_mirror = after
        .iter()
        .map(|a| a.reference.clone())
        .filter(|r| !today.contains(r.as_str()))
        .collect();
    out.to_mirror.sort();
    out.to_mirror.dedup();
    out
}

/// The kind of a container's object (`Deployment`).
fn kind(p: &Pulled) -> &str {
    p.object.split('/').next().unwrap_or("")
}

/// Whether a container of today's render and one of the target's are the same.
type Twins = dyn Fn(&Pulled, &Pulled) -> bool;

/// A reference without its tag and digest.
fn repository(reference: &str) -> &str {
    let name = reference.split('@').next().unwrap_or(reference);
    let last = name.rfind('/').map_or(0, |i| i + 1);
    match name[last..].rfind(':') {
        Some(i) => &name[..last + i],
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(object: &str, container: &str, reference: &str) -> Pulled {
        Pulled {
            object: object.into(),
            container: container.into(),
            reference: reference.into(),
        }
    }

    #[test]
    fn containers_pair_by_object_and_name_in_render_order() {
        let before = [
            p("Deployment/a", "main", "r/a:1"),
            p("Deployment/a", "main", "r/a:1"),
            p("Deployment/b", "main", "r/b:1"),
            p("Job/c", "c", "r/c:1"),
        ];
        let after = [
            p("Deployment/a", "main", "r/a:1"),
            p("Deployment/a", "main", "r/a:2"),
            p("Deployment/b", "main", "r/b:1"),
            p("Deployment/d", "d", "r/b:1"),
            p("Deployment/e", "e", "r/e:1"),
        ];
        let d = delta(&before, &after);
        assert_eq!(d.unchanged, 2);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed, vec![(before[1].clone(), after[1].clone())]);
        assert_eq!(d.added, vec![after[3].clone(), after[4].clone()]);
        assert_eq!(d.removed, vec![before[3].clone()]);
        // `r/b:1` is pulled today (by another container): nothing to mirror for it.
        assert_eq!(d.to_mirror, vec!["r/a:2".to_string(), "r/e:1".to_string()]);
        assert!(!d.is_empty());
        assert!(delta(&before, &before).is_empty());
    }

    #[test]
    fn a_renamed_object_pulling_the_same_image_is_unchanged() {
        let before = [p("Pod/rel-abcde-test", "rel-fghij-test", "r/es:8")];
        let after = [p("Pod/rel-vwxyz-test", "rel-klmno-test", "r/es:8")];
        let d = delta(&before, &after);
        assert_eq!((d.unchanged, d.is_empty()), (1, true));
        // The same repository at another tag is the same image, changed.
        let after = [p("Pod/rel-vwxyz-test", "rel-klmno-test", "r/es:9")];
        let d = delta(&before, &after);
        assert_eq!(d.changed, vec![(before[0].clone(), after[0].clone())]);
        // Another kind is another object.
        let after = [p("Job/rel-vwxyz-test", "rel-klmno-test", "r/es:8")];
        let d = delta(&before, &after);
        assert_eq!((d.added.len(), d.removed.len()), (1, 1));
    }

    #[test]
    fn a_repository_is_the_reference_without_tag_and_digest() {
        for (reference, repo) in [
            ("quay.io/stackstate/wait:1.0.8", "quay.io/stackstate/wait"),
            ("localhost:5000/wait", "localhost:5000/wait"),
            ("localhost:5000/wait:1@sha256:ab", "localhost:5000/wait"),
            ("wait", "wait"),
        ] {
            assert_eq!(repository(reference), repo);
        }
    }
}
