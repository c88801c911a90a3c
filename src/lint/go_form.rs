//! Where the render printed a map the user wrote in Go's own form (`map[cpu:1 memory:2Gi]`):
//! a template printed it where it expects a scalar. The manifest then carries that text, which
//! no Kubernetes field reads as the user meant, though Helm renders without an error.

use crate::release::Release;
use crate::render::Output;
use crate::template::value::KeyPath;
use crate::value::{Origin, Value};

/// The user's maps that some manifest holds in Go's printed form, each path once.
pub fn maps_printed(release: &Release, output: &Output) -> Vec<KeyPath> {
    let mut out: Vec<KeyPath> = Vec::new();
    for (m, segs) in super::numbers::manifest_segments(output) {
        let (start, end) = (m.offset, m.offset + m.content.len());
        for seg in segs {
            let prov = &seg.prov;
            if !matches!(prov.origin, Origin::File { .. } | Origin::Set { .. })
                || out.contains(&prov.user_path)
            {
                continue;
            }
            let (a, b) = ((seg.start as usize).max(start), (seg.end as usize).min(end));
            if !m.content[a - start..b - start].starts_with("map[") {
                continue;
            }
            let is_map = crate::value::lookup_through_lists(&release.user, &prov.user_path)
                .is_some_and(|n| matches!(n.value, Value::Map(_)));
            if is_map {
                out.push(prov.user_path.clone());
            }
        }
    }
    out
}
