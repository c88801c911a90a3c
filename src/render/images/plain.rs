//! A release's images as plain data, for a render on one thread and its report on another: the
//! engine's provenance is `Rc` (shared inside one render, never sent). Every key part, key and
//! provenance is kept once, as the render shared it, so that the images made again where the
//! report is made take no more memory than those of a render on that thread.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use super::{Image, Object, Part, PartKind, Source};
use crate::template::value::{KeyPath, Prov};

/// The images of one release, able to cross threads ([`PlainImages::new`], then
/// [`PlainImages::images`] on the other side).
#[derive(Debug)]
pub struct PlainImages {
    /// Every distinct key part.
    names: Vec<Box<str>>,
    /// Every distinct key, as indexes into `names`.
    keys: Vec<Box<[u32]>>,
    /// Every distinct provenance: its path and user path (indexes into `keys`), its origin.
    provs: Vec<(u32, u32, crate::value::Origin)>,
    images: Vec<PlainImage>,
}

#[derive(Debug)]
struct PlainImage {
    reference: String,
    object: Object,
    container: String,
    template: String,
    parts: Vec<PlainPart>,
}

#[derive(Debug)]
struct PlainPart {
    kind: PartKind,
    range: Range<usize>,
    exact: bool,
    /// The bytes and the provenance (an index into `provs`) of each source.
    sources: Vec<(Range<usize>, Option<u32>)>,
    /// Indexes into `keys`.
    read: Vec<u32>,
}

/// The index of each shared value (by address) already kept.
#[derive(Default)]
struct Seen {
    names: HashMap<usize, u32>,
    keys: HashMap<usize, u32>,
    provs: HashMap<usize, u32>,
}

/// The index of `rc` in `list`, added (as `plain` makes it) the first time it is seen.
fn index<T: ?Sized, P>(
    seen: &mut HashMap<usize, u32>,
    list: &mut Vec<P>,
    rc: &Rc<T>,
    plain: impl FnOnce() -> P,
) -> u32 {
    let address = Rc::as_ptr(rc).cast::<()>() as usize;
    if let Some(&i) = seen.get(&address) {
        return i;
    }
    let i = u32::try_from(list.len()).unwrap_or(u32::MAX);
    list.push(plain());
    seen.insert(address, i);
    i
}

impl PlainImages {
    /// `images` as plain data.
    pub fn new(images: Vec<Image>) -> PlainImages {
        let mut out = PlainImages {
            names: Vec::new(),
            keys: Vec::new(),
            provs: Vec::new(),
            images: Vec::new(),
        };
        let mut seen = Seen::default();
        for image in images {
            let parts = image
                .parts
                .into_iter()
                .map(|p| PlainPart {
                    kind: p.kind,
                    range: p.range,
                    exact: p.exact,
                    sources: p
                        .sources
                        .into_iter()
                        .map(|s| (s.range, s.prov.map(|p| out.prov(&mut seen, &p))))
                        .collect(),
                    read: p.read.iter().map(|k| out.key(&mut seen, k)).collect(),
                })
                .collect();
            out.images.push(PlainImage {
                reference: image.reference,
                object: image.object,
                container: image.container,
                template: image.template,
                parts,
            });
        }
        out
    }

    fn key(&mut self, seen: &mut Seen, key: &KeyPath) -> u32 {
        let (names, keys) = (&mut self.names, &mut self.keys);
        index(&mut seen.keys, keys, key, || {
            key.iter()
                .map(|n| index(&mut seen.names, names, n, || Box::from(&**n)))
                .collect()
        })
    }

    fn prov(&mut self, seen: &mut Seen, prov: &Rc<Prov>) -> u32 {
        if let Some(&i) = seen.provs.get(&(Rc::as_ptr(prov) as usize)) {
            return i;
        }
        let plain = (
            self.key(seen, &prov.path),
            self.key(seen, &prov.user_path),
            prov.origin.clone(),
        );
        index(&mut seen.provs, &mut self.provs, prov, || plain)
    }

    /// The images again, sharing what the render shared.
    pub fn images(self) -> Vec<Image> {
        let names: Vec<Rc<str>> = self.names.into_iter().map(Rc::from).collect();
        let keys: Vec<KeyPath> = self
            .keys
            .iter()
            .map(|k| k.iter().map(|&n| names[n as usize].clone()).collect())
            .collect();
        let provs: Vec<Rc<Prov>> = self
            .provs
            .into_iter()
            .map(|(path, user_path, origin)| {
                Rc::new(Prov {
                    path: keys[path as usize].clone(),
                    user_path: keys[user_path as usize].clone(),
                    origin,
                })
            })
            .collect();
        self.images
            .into_iter()
            .map(|image| Image {
                reference: image.reference,
                object: image.object,
                container: image.container,
                template: image.template,
                parts: image
                    .parts
                    .into_iter()
                    .map(|p| Part {
                        kind: p.kind,
                        range: p.range,
                        exact: p.exact,
                        sources: p
                            .sources
                            .into_iter()
                            .map(|(range, prov)| Source {
                                range,
                                prov: prov.map(|i| provs[i as usize].clone()),
                            })
                            .collect(),
                        read: p.read.iter().map(|&k| keys[k as usize].clone()).collect(),
                    })
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(parts: &[&str]) -> KeyPath {
        parts.iter().map(|&p| Rc::from(p)).collect()
    }

    #[test]
    fn images_come_back_as_they_went_sharing_what_they_shared() {
        let prov = Rc::new(Prov {
            path: key(&["image", "tag"]),
            user_path: key(&["kafka", "image", "tag"]),
            origin: crate::value::Origin::Synthetic,
        });
        let part = Part {
            kind: PartKind::Tag,
            range: 14..15,
            exact: true,
            sources: vec![
                Source {
                    range: 14..15,
                    prov: Some(prov.clone()),
                },
                Source {
                    range: 15..15,
                    prov: None,
                },
            ],
            read: vec![prov.user_path.clone(), key(&["global", "tag"])],
        };
        let image = Image {
            reference: "quay.io/kafka:1".into(),
            object: Object {
                parent: Some(("ConfigMap".into(), "holder".into())),
                kind: "Deployment".into(),
                name: "kafka".into(),
            },
            container: "kafka".into(),
            template: "kafka/templates/a.yaml".into(),
            parts: vec![part],
        };
        let mut other = image.clone();
        other.container = "init".into();
        let before = vec![image, other];
        let plain = PlainImages::new(before.clone());
        assert_eq!((plain.provs.len(), plain.keys.len()), (1, 3));
        let after = plain.images();
        assert_eq!(after, before);
        let prov = |i: usize| after[i].parts[0].sources[0].prov.clone().unwrap();
        assert!(Rc::ptr_eq(&prov(0), &prov(1)));
        assert!(Rc::ptr_eq(&prov(0).user_path, &after[1].parts[0].read[0]));
    }
}
