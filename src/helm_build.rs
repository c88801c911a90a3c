//! What a Helm release was built from, where it changes how a chart's templates read and run:
//! the Go release its `text/template` comes from, and which functions its map holds (Helm's own,
//! and those of the Sprig release it vendors).
//!
//! The Go release of each Helm release is the one its release job used (`.circleci/config.yml`
//! up to 3.11, `.github/workflows/release.yml` or `.github/env` since); the functions come from
//! `pkg/engine/funcs.go` and Sprig's `functions.go` at each tag. Checked against the real Helm
//! 3.9.4 (Go 1.17), 3.11.1 (1.18), 3.12.1 and 3.13.2 (1.20), 3.14.0 and 3.14.4 (1.21), 3.15.1
//! to 3.16.4 (1.22), 3.17.0 to 3.17.3 (1.23), 3.18.0 (1.24), 4.1.3 and 4.1.4 (1.25).

/// A Helm release, as its templates see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HelmBuild {
    /// Helm's major and minor version.
    helm: (u8, u8),
    /// Its patch number (the newest release of the minor when not given).
    patch: u16,
    /// The minor version of the Go 1.x release it was built with.
    go: u8,
    /// The minor version of the Kubernetes 1.x it renders for without `--kube-version`.
    kube: u8,
    /// The minor version of the `k8s.io/client-go` (Kubernetes 1.x) it is built with.
    client_go: u8,
}

/// Go 1.x by Helm 3 minor version, for the minors from this one on.
const GO_OF_HELM3: &[(u8, u8)] = &[
    (0, 13),
    (3, 14),
    (5, 15),
    (6, 16),
    (8, 17),
    (10, 18),
    (12, 20),
    (14, 21),
    (15, 22),
    (17, 23),
    (18, 24),
    (20, 25),
];

/// The same for Helm 4.
const GO_OF_HELM4: &[(u8, u8)] = &[(0, 25), (2, 26)];

/// Kubernetes 1.x without `--kube-version`, by Helm 3 (minor, patch), for the releases from
/// this one on: written into `pkg/chartutil/capabilities.go` up to 3.4, since then the minor
/// version of the `k8s.io/client-go` in `go.mod` (3.21 moved from 1.35 to 1.36 at 3.21.2).
const KUBE_OF_HELM3: &[((u8, u16), u8)] = &[
    ((0, 0), 16),
    ((3, 0), 18),
    ((5, 0), 20),
    ((6, 0), 21),
    ((7, 0), 22),
    ((8, 0), 23),
    ((9, 0), 24),
    ((10, 0), 25),
    ((11, 0), 26),
    ((12, 0), 27),
    ((13, 0), 28),
    ((14, 0), 29),
    ((15, 0), 30),
    ((16, 0), 31),
    ((17, 0), 32),
    ((18, 0), 33),
    ((19, 0), 34),
    ((20, 0), 35),
    ((21, 2), 36),
];

/// client-go's minor before Helm 3.5, which wrote its Kubernetes version in; since, the same
/// as the Kubernetes version.
const CLIENT_GO_OF_HELM3: &[(u8, u8)] = &[(0, 16), (1, 17), (2, 18), (4, 19)];

/// The same for Helm 4.
const KUBE_OF_HELM4: &[((u8, u16), u8)] = &[((0, 0), 34), ((1, 0), 35), ((2, 0), 36)];

/// BurntSushi/toml 1.x by Helm (major, minor), for the releases from this one on (`go.mod` at
/// each tag; Helm 4.0 went back to 1.5). Helm before 3.9 had v0.3 or v0.4, taken as 1.0.
const TOML_OF_HELM: &[((u8, u8), u8)] = &[
    ((3, 0), 0),
    ((3, 10), 1),
    ((3, 11), 2),
    ((3, 13), 3),
    ((3, 17), 4),
    ((3, 18), 5),
    ((3, 20), 6),
    ((4, 0), 5),
    ((4, 1), 6),
];

/// A Helm release of a major version: (minor, patch).
type Patch = (u8, u16);

/// Masterminds/semver 3.x (minor, patch) by Helm 3 (minor, patch), for the releases from this
/// one on (`go.mod` at each tag). Before 3.5 Helm had 3.0 or 3.1.0, taken as 3.1.1.
const SEMVER_OF_HELM3: &[(Patch, (u8, u8))] = &[
    ((0, 0), (1, 1)),
    ((11, 0), (2, 0)),
    ((12, 1), (2, 1)),
    ((16, 0), (3, 0)),
    ((19, 0), (4, 0)),
    ((21, 1), (5, 0)),
];

/// The same for Helm 4.
const SEMVER_OF_HELM4: &[(Patch, (u8, u8))] = &[((0, 0), (4, 0)), ((2, 0), (5, 0))];

/// huandu/xstrings 1.x (minor, patch) by Helm 3 (minor, patch) (`go.mod` at each tag; before
/// 3.9, through Sprig, taken as 1.3.2). Every Helm 4 has 1.5.
const XSTRINGS_OF_HELM3: &[(Patch, (u8, u8))] = &[
    ((0, 0), (3, 2)),
    ((11, 0), (3, 3)),
    ((11, 2), (4, 0)),
    ((16, 0), (5, 0)),
];

/// spf13/cast 1.x (minor, patch) by Helm 3 (minor, patch) (`go.mod` at each tag; before 3.9,
/// through Sprig, taken as 1.4.1). Every Helm 4 has 1.7.
const CAST_OF_HELM3: &[(Patch, (u8, u8))] = &[
    ((0, 0), (4, 1)),
    ((11, 0), (3, 1)),
    ((11, 2), (5, 0)),
    ((16, 0), (7, 0)),
];

/// Sprig 3.x by Helm 3 minor version, for the minors from this one on (`go.mod` at each tag).
/// Every Helm 4 has 3.3.
const SPRIG_OF_HELM3: &[(u8, u8)] = &[(0, 0), (2, 1), (5, 2), (16, 3)];

/// sigs.k8s.io/yaml 1.x (minor) by Helm 3 (minor, patch) (`go.mod` at each tag). Every Helm 4
/// has 1.6.
const SIGS_YAML_OF_HELM3: &[(Patch, u8)] = &[
    ((0, 0), 1),
    ((2, 0), 2),
    ((8, 0), 3),
    ((15, 0), 4),
    ((18, 5), 5),
    ((19, 0), 6),
];

/// The value of `table` for `release`: its last entry at or below it.
fn from_table<K: PartialOrd + Copy, V: Copy>(table: &[(K, V)], release: K) -> V {
    table
        .iter()
        .rev()
        .find(|(from, _)| release >= *from)
        .map_or(table[0].1, |&(_, v)| v)
}

/// Functions not in every Helm 3 and 4 map, and the first Helm (major, minor) with each.
const FUNCTIONS_SINCE: &[(&str, (u8, u8))] = &[
    // Helm's own
    ("lookup", (3, 1)),
    ("fromYamlArray", (3, 2)),
    ("fromJsonArray", (3, 2)),
    ("fromToml", (3, 17)),
    ("toYamlPretty", (3, 17)),
    ("mustToYaml", (4, 0)),
    ("mustToToml", (4, 2)),
    // Sprig 3.1.0 (Helm 3.2)
    ("duration", (3, 2)),
    ("htpasswd", (3, 2)),
    ("seq", (3, 2)),
    // Sprig 3.2.0 (Helm 3.5)
    ("add1f", (3, 5)),
    ("addf", (3, 5)),
    ("all", (3, 5)),
    ("any", (3, 5)),
    ("bcrypt", (3, 5)),
    ("chunk", (3, 5)),
    ("dig", (3, 5)),
    ("divf", (3, 5)),
    ("genCAWithKey", (3, 5)),
    ("genSelfSignedCertWithKey", (3, 5)),
    ("genSignedCertWithKey", (3, 5)),
    ("maxf", (3, 5)),
    ("minf", (3, 5)),
    ("mulf", (3, 5)),
    ("mustChunk", (3, 5)),
    ("mustFromJson", (3, 5)),
    ("osBase", (3, 5)),
    ("osClean", (3, 5)),
    ("osDir", (3, 5)),
    ("osExt", (3, 5)),
    ("osIsAbs", (3, 5)),
    ("randBytes", (3, 5)),
    ("randInt", (3, 5)),
    ("regexQuoteMeta", (3, 5)),
    ("subf", (3, 5)),
    // Sprig 3.3.0 (Helm 3.16)
    ("sha512sum", (3, 16)),
];

impl HelmBuild {
    /// Helm 3.17.3, what `--helm-version 3` renders as.
    pub const V3: HelmBuild = HelmBuild::built((3, 17), 3, 23, 32);
    /// Helm 3.16.4, what `--helm-version 3.16` renders as.
    pub const V3_16: HelmBuild = HelmBuild::built((3, 16), 4, 22, 31);
    /// Helm 4.1.4, what `--helm-version 4` renders as.
    pub const V4: HelmBuild = HelmBuild::built((4, 1), 4, 25, 35);

    /// A release built with Go 1.`go` and client-go 1.`kube` (since Helm 3.5 also its default
    /// Kubernetes); the tables' answer for it (a test holds the three above to them).
    const fn built(helm: (u8, u8), patch: u16, go: u8, kube: u8) -> HelmBuild {
        HelmBuild {
            helm,
            patch,
            go,
            kube,
            client_go: kube,
        }
    }

    /// The release `major.minor` (its newest patch); `None` for a major other than 3 or 4.
    /// Minors newer than these tables know are taken as built like the newest they know.
    pub fn of(major: u32, minor: u32) -> Option<HelmBuild> {
        HelmBuild::of_patch(major, minor, u32::MAX)
    }

    /// The release `major.minor.patch`.
    pub fn of_patch(major: u32, minor: u32, patch: u32) -> Option<HelmBuild> {
        let (go, kube) = match major {
            3 => (GO_OF_HELM3, KUBE_OF_HELM3),
            4 => (GO_OF_HELM4, KUBE_OF_HELM4),
            _ => return None,
        };
        let minor = u8::try_from(minor).unwrap_or(u8::MAX);
        let helm = (major as u8, minor);
        let patch = match u16::try_from(patch) {
            Ok(p) if p != u16::MAX => p,
            // The newest release of the minor (`.0` for a minor newer than the list).
            _ => releases()
                .filter(|r| (r.major, r.minor) == helm)
                .map(|r| r.patch)
                .max()
                .unwrap_or(0),
        };
        let kube = from_table(kube, (minor, patch));
        let client_go = if major == 3 && minor < 5 {
            from_table(CLIENT_GO_OF_HELM3, minor)
        } else {
            kube
        };
        Some(HelmBuild {
            helm,
            patch,
            go: from_table(go, minor),
            kube,
            client_go,
        })
    }

    /// [`HelmBuild::build_info`] and [`HelmBuild::api_versions`], read from the data once per
    /// process and build (every render asks).
    pub fn capabilities(self) -> (BuildInfo, Vec<String>) {
        type Kept = Vec<(HelmBuild, (BuildInfo, Vec<String>))>;
        static KEPT: std::sync::Mutex<Kept> = std::sync::Mutex::new(Vec::new());
        // A panic while holding the lock leaves the list consistent: keep using it.
        let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, found)) = kept.iter().find(|(b, _)| *b == self) {
            return found.clone();
        }
        let made = (self.build_info(), self.api_versions());
        kept.push((self, made.clone()));
        made
    }

    /// `.Capabilities.HelmVersion`: the version, the commit it was built from (empty for a
    /// release this list does not hold), the tree state, the Go release (its patch only where
    /// a release binary was asked; else `go1.N`) and, for Helm 4, the client-go release.
    pub fn build_info(self) -> BuildInfo {
        let (major, minor) = self.helm;
        let tag = format!("v{major}.{minor}.{}\t", self.patch);
        let known = releases_from(&tag).next();
        let go = match known.and_then(|r| r.go) {
            Some(go) => go.to_string(),
            None => format!("go1.{}", self.go),
        };
        BuildInfo {
            version: format!("v{major}.{minor}.{}", self.patch),
            git_commit: known.map_or(String::new(), |r| r.commit.to_string()),
            git_tree_state: if known.is_some() { "clean" } else { "" }.to_string(),
            go_version: go,
            kube_client_version: self.is_helm4().then(|| format!("v1.{}", self.client_go)),
        }
    }

    /// `.Capabilities.APIVersions` without `--api-versions`: its client-go's, from
    /// `data/kube-api-versions.tsv` (the nearest client-go there for one it does not hold).
    pub fn api_versions(self) -> Vec<String> {
        let rows = include_str!("../data/kube-api-versions.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .filter_map(|(minor, list)| Some((minor.parse::<u8>().ok()?, list)));
        let mut best: Option<(u8, &str)> = None;
        for (minor, list) in rows {
            let closer = best
                .is_none_or(|(b, _)| minor.abs_diff(self.client_go) < b.abs_diff(self.client_go));
            if closer {
                best = Some((minor, list));
            }
        }
        best.map(|(_, list)| list.split(' ').map(str::to_string).collect())
            .unwrap_or_default()
    }

    /// The Kubernetes version it renders for without `--kube-version`, `v1.32.0`.
    pub fn default_kube_version(self) -> String {
        format!("v1.{}.0", self.kube)
    }

    /// Whether this is the release `major.minor.patch` or a later one.
    pub fn since(self, (major, minor, patch): (u8, u8, u16)) -> bool {
        (self.helm.0, self.helm.1, self.patch) >= (major, minor, patch)
    }

    /// The lines of `pkg/chartutil/dependencies.go` Helm 3 logs its warnings from in this
    /// release: a condition that is no boolean, a tag, an import's missing table, an export's.
    pub(crate) fn dependencies_log_lines(self) -> [u16; 4] {
        if self.since((3, 18, 5)) {
            [64, 95, 270, 287]
        } else if self.since((3, 14, 0)) {
            [63, 94, 269, 286]
        } else if self.since((3, 13, 0)) {
            [63, 95, 270, 287]
        } else if self.since((3, 1, 2)) {
            [49, 81, 247, 260]
        } else {
            [49, 81, 236, 249]
        }
    }

    /// The minor version of the Go 1.x it was built with.
    pub fn go_minor(self) -> u8 {
        self.go
    }

    /// A Helm 4 release.
    pub fn is_helm4(self) -> bool {
        self.helm.0 == 4
    }

    /// Whether this Helm reads templates and names functions as the one the built-in charts'
    /// templates were parsed for ([`HelmBuild::V3`], and every later release), so that their
    /// trees serve as they are.
    pub fn reads_as_current(self) -> bool {
        self.helm >= HelmBuild::V3.helm
    }

    /// When `message` is Helm's parse error for what this Helm's Go or function map lacks (a
    /// chart written for a newer Helm): the first Helm that reads it, and what it lacks.
    pub fn too_old_for(self, message: &str) -> Option<(String, String)> {
        let newer = |since: (u8, u8), what: String| Some((shown(since), what));
        if !self.has_else_with() && message.contains("unexpected <with> in else") {
            return newer((3, 17), "`{{else with}}` (Go 1.23)".to_string());
        }
        let name = message
            .split_once("function \"")
            .and_then(|(_, rest)| rest.split_once("\" not defined"))
            .map(|(name, _)| name)?;
        if matches!(name, "break" | "continue") && !self.has_break() {
            return newer((3, 10), format!("`{{{{{name}}}}}` (Go 1.18)"));
        }
        let &(_, since) = FUNCTIONS_SINCE.iter().find(|(f, _)| *f == name)?;
        (self.helm < since).then(|| newer(since, format!("the function `{name}`")))?
    }

    /// Helm's major and minor version, `3.9`.
    pub fn release(self) -> String {
        shown(self.helm)
    }

    /// The first Helm with the `helm template` flag `flag`, when this one lacks it (of the value
    /// flags, from `cmd/helm/flags.go` at each tag, and `--skip-schema-validation`).
    pub fn lacks_flag(self, flag: &str) -> Option<&'static str> {
        let since = match flag {
            "--set-json" => ((3, 10), "3.10"),
            "--set-literal" => ((3, 12), "3.12"),
            "--skip-schema-validation" => ((3, 16), "3.16"),
            _ => return None,
        };
        (self.helm < since.0).then_some(since.1)
    }

    /// `tpl` renders its text as a template of its own (`gotpl`, Helm 3.14: `pkg/engine`'s
    /// `tplFun`); before, as the template `.Template.Name` of its data names, which it requires.
    pub fn tpl_parses_apart(self) -> bool {
        self.helm >= (3, 14)
    }

    /// The (minor, patch) of its Masterminds/semver 3.x (`semver`, `semverCompare`, a chart's
    /// `kubeVersion` and dependency ranges).
    pub fn semver(self) -> (u8, u8) {
        let (major, minor) = self.helm;
        let table = if major == 4 {
            SEMVER_OF_HELM4
        } else {
            SEMVER_OF_HELM3
        };
        from_table(table, (minor, self.patch))
    }

    /// The (minor, patch) of its huandu/xstrings 1.x (`snakecase`, `kebabcase`, `camelcase`).
    pub fn xstrings(self) -> (u8, u8) {
        match self.helm {
            (4, _) => (5, 0),
            (_, minor) => from_table(XSTRINGS_OF_HELM3, (minor, self.patch)),
        }
    }

    /// The minor version of its Sprig 3.x (3.3 merges maps with mergo 1.0, before with 0.3).
    pub fn sprig(self) -> u8 {
        match self.helm {
            (4, _) => 3,
            (_, minor) => from_table(SPRIG_OF_HELM3, minor),
        }
    }

    /// The (minor, patch) of its spf13/cast 1.x (Sprig's `int`, `int64` and integer maths).
    pub fn cast(self) -> (u8, u8) {
        match self.helm {
            (4, _) => (7, 0),
            (_, minor) => from_table(CAST_OF_HELM3, (minor, self.patch)),
        }
    }

    /// The (major, minor) of its sigs.k8s.io/yaml (`toYaml`, `fromYaml`, the manifests read).
    pub fn sigs_yaml(self) -> (u8, u8) {
        match self.helm {
            (4, _) => (1, 6),
            (_, minor) => (1, from_table(SIGS_YAML_OF_HELM3, (minor, self.patch))),
        }
    }

    /// The minor version of its BurntSushi/toml 1.x (`toToml`, `fromToml`).
    pub fn toml(self) -> u8 {
        from_table(TOML_OF_HELM, self.helm)
    }

    /// `and` and `or` stop at the argument that decides (Go 1.18); before, every argument is
    /// evaluated first, errors included.
    pub fn short_circuits(self) -> bool {
        self.go >= 18
    }

    /// `{{break}}` and `{{continue}}` are keywords (Go 1.18); before, they are names of
    /// functions no Helm defines.
    pub fn has_break(self) -> bool {
        self.go >= 18
    }

    /// `{{else with …}}` (Go 1.23); before, a parse error. Go 1.23 also names the operand
    /// `call` cannot call (`non-function .x of type int`; before, its type alone).
    pub fn has_else_with(self) -> bool {
        self.go >= 23
    }

    /// The line breaks inside a template comment count for the lines of later parse errors:
    /// Go 1.20's lexer (no goroutine) lost them until 1.24 (golang/go#69526); before 1.20 the
    /// skipped text was counted whole.
    pub fn counts_comment_lines(self) -> bool {
        !(20..=23).contains(&self.go)
    }

    /// `range` over an integer (Go 1.24); before, "range can't iterate over".
    pub fn ranges_over_int(self) -> bool {
        self.go >= 24
    }

    /// `eq` of values Go cannot compare says `non-comparable type VALUE: TYPE` (Go 1.20; no
    /// Helm was built with 1.19); before, `uncomparable type TYPE: VALUE`.
    pub fn says_non_comparable(self) -> bool {
        self.go >= 20
    }

    /// The comparison functions' type error names both types (Go 1.25).
    pub fn names_compared_types(self) -> bool {
        self.go >= 25
    }

    /// Whether the function map holds `name` (of the functions this engine knows).
    pub fn has_function(self, name: &str) -> bool {
        // Every parse asks for every name: since 3.17 only Helm 4's `must` encoders come later.
        if self.helm >= (3, 17) {
            return match name {
                "mustToYaml" => self.helm >= (4, 0),
                "mustToToml" => self.helm >= (4, 2),
                _ => true,
            };
        }
        FUNCTIONS_SINCE
            .iter()
            .find(|(f, _)| *f == name)
            .is_none_or(|&(_, since)| self.helm >= since)
    }
}

/// Helm's `version.BuildInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    /// Helm 4 only.
    pub kube_client_version: Option<String>,
}

/// `major.minor`, `3.9`.
fn shown((major, minor): (u8, u8)) -> String {
    format!("{major}.{minor}")
}

/// One line of `data/helm-releases.tsv`.
#[derive(Clone, Copy)]
struct Release {
    major: u8,
    minor: u8,
    patch: u16,
    commit: &'static str,
    go: Option<&'static str>,
}

/// Every Helm 3 and 4 release: its commit, and its Go where a binary said.
fn releases() -> impl Iterator<Item = Release> {
    releases_from("v")
}

/// The releases whose line starts with `prefix`.
fn releases_from(prefix: &str) -> impl Iterator<Item = Release> {
    include_str!("../data/helm-releases.tsv")
        .lines()
        .filter(move |l| l.starts_with(prefix))
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let mut version = cols.next()?.strip_prefix('v')?.split('.');
            Some(Release {
                major: version.next()?.parse().ok()?,
                minor: version.next()?.parse().ok()?,
                patch: version.next()?.parse().ok()?,
                commit: cols.next()?,
                go: cols.next().filter(|g| *g != "-"),
            })
        })
}

impl Default for HelmBuild {
    fn default() -> Self {
        HelmBuild::V3
    }
}

#[cfg(test)]
mod tests {
    use super::HelmBuild;

    #[test]
    fn go_releases_follow_helms_release_jobs() {
        let go = |major, minor| HelmBuild::of(major, minor).unwrap().go;
        assert_eq!(go(3, 0), 13);
        assert_eq!(go(3, 9), 17);
        assert_eq!(go(3, 10), 18);
        assert_eq!(go(3, 11), 18);
        assert_eq!(go(3, 16), 22);
        assert_eq!(go(3, 17), 23);
        assert_eq!(go(3, 19), 24);
        assert_eq!(go(3, 99), 25);
        assert_eq!(go(4, 1), 25);
        assert_eq!(go(4, 2), 26);
        assert_eq!(HelmBuild::of(2, 17), None);
        assert_eq!(HelmBuild::of_patch(3, 17, 3), Some(HelmBuild::V3));
        assert_eq!(HelmBuild::of(3, 16), Some(HelmBuild::V3_16));
        assert_eq!(HelmBuild::of_patch(4, 1, 4), Some(HelmBuild::V4));
    }

    /// Every release a binary was asked for (`helm version`) has the Go the table gives.
    #[test]
    fn release_binaries_were_built_with_the_tables_go() {
        let asked: Vec<_> = super::releases().filter_map(|r| Some((r, r.go?))).collect();
        assert!(asked.len() >= 17, "{}", asked.len());
        for (r, go) in asked {
            let build = HelmBuild::of_patch(r.major.into(), r.minor.into(), r.patch.into());
            let minor = go.strip_prefix("go1.").and_then(|g| g.split('.').next());
            assert_eq!(minor, Some(build.unwrap().go.to_string().as_str()), "{go}");
        }
    }

    /// Sprig, huandu/xstrings and spf13/cast by `go.mod` at each tag.
    #[test]
    fn sprig_and_its_libraries_follow_helms_go_mod() {
        let of = |major, minor, patch| HelmBuild::of_patch(major, minor, patch).unwrap();
        let sprig: Vec<u8> = [
            (3, 1, 3),
            (3, 2, 0),
            (3, 5, 0),
            (3, 15, 4),
            (3, 16, 0),
            (4, 0, 0),
        ]
        .map(|(a, b, c)| of(a, b, c).sprig())
        .to_vec();
        assert_eq!(sprig, [0, 1, 2, 2, 3, 3]);
        let releases = [
            (3, 10, 3),
            (3, 11, 1),
            (3, 11, 2),
            (3, 15, 4),
            (3, 16, 0),
            (4, 1, 0),
        ];
        let xstrings = releases.map(|(a, b, c)| of(a, b, c).xstrings());
        assert_eq!(xstrings, [(3, 2), (3, 3), (4, 0), (4, 0), (5, 0), (5, 0)]);
        let yaml = [(3, 14, 4), (3, 15, 0), (3, 18, 6), (3, 19, 0), (4, 0, 0)];
        let yaml = yaml.map(|(a, b, c)| of(a, b, c).sigs_yaml().1);
        assert_eq!(yaml, [3, 4, 5, 6, 6]);
        let cast = releases.map(|(a, b, c)| of(a, b, c).cast());
        assert_eq!(cast, [(4, 1), (3, 1), (5, 0), (5, 0), (7, 0), (7, 0)]);
    }

    /// Masterminds/semver by `go.mod` at each tag.
    #[test]
    fn semver_releases_follow_helms_go_mod() {
        let semver =
            |major, minor, patch| HelmBuild::of_patch(major, minor, patch).unwrap().semver();
        assert_eq!(semver(3, 9, 4), (1, 1));
        assert_eq!(semver(3, 10, 3), (1, 1));
        assert_eq!(semver(3, 11, 0), (2, 0));
        assert_eq!(semver(3, 12, 0), (2, 0));
        assert_eq!(semver(3, 12, 1), (2, 1));
        assert_eq!(semver(3, 15, 4), (2, 1));
        assert_eq!(semver(3, 16, 0), (3, 0));
        assert_eq!(semver(3, 18, 6), (3, 0));
        assert_eq!(semver(3, 19, 0), (4, 0));
        assert_eq!(semver(4, 0, 0), (4, 0));
        assert_eq!(
            (HelmBuild::V3.semver(), HelmBuild::V4.semver()),
            ((3, 0), (4, 0))
        );
    }

    /// BurntSushi/toml by `go.mod` at each tag.
    #[test]
    fn toml_releases_follow_helms_go_mod() {
        let toml = |major, minor| HelmBuild::of(major, minor).unwrap().toml();
        let seen: Vec<u8> = [(3, 8), (3, 9), (3, 10), (3, 11), (3, 12), (3, 13), (3, 16)]
            .into_iter()
            .chain([
                (3, 17),
                (3, 18),
                (3, 19),
                (3, 20),
                (3, 21),
                (4, 0),
                (4, 1),
                (4, 9),
            ])
            .map(|(major, minor)| toml(major, minor))
            .collect();
        assert_eq!(seen, [0, 0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 5, 6, 6]);
    }

    /// Each printed by that Helm's `{{ .Capabilities.KubeVersion }}` (3.9.4, 3.11.1, 3.16.4,
    /// 3.17.1, 3.17.3, 4.1.4), or read from its source.
    #[test]
    fn default_kubernetes_versions_follow_helms_client_go() {
        let kube = |major, minor, patch| {
            HelmBuild::of_patch(major, minor, patch)
                .unwrap()
                .default_kube_version()
        };
        assert_eq!(kube(3, 9, 4), "v1.24.0");
        assert_eq!(kube(3, 11, 1), "v1.26.0");
        assert_eq!(kube(3, 16, 4), "v1.31.0");
        assert_eq!(kube(3, 17, 3), "v1.32.0");
        assert_eq!(kube(4, 1, 4), "v1.35.0");
        assert_eq!(kube(3, 2, 0), "v1.16.0");
        assert_eq!(kube(3, 4, 2), "v1.18.0");
        assert_eq!(kube(3, 21, 1), "v1.35.0");
        assert_eq!(kube(3, 21, 2), "v1.36.0");
        assert_eq!(kube(4, 0, 0), "v1.34.0");
    }

    /// The lengths of the lists Helm 3.9.4, 3.11.1, 3.16.4, 3.17.3 and 4.1.4 print (the whole
    /// lists are checked by the render probes); the first and last entries of each.
    #[test]
    fn api_versions_are_the_client_gos() {
        let apis = |major, minor| HelmBuild::of(major, minor).unwrap().api_versions();
        for (major, minor, n) in [
            (3, 9, 47),
            (3, 11, 52),
            (3, 16, 55),
            (3, 17, 56),
            (4, 1, 57),
        ] {
            let list = apis(major, minor);
            assert_eq!(list.len(), n, "{major}.{minor}");
            assert_eq!(list[0], "v1");
            assert_eq!(list[n - 1], "apiextensions.k8s.io/v1");
        }
        assert!(apis(3, 9).contains(&"flowcontrol.apiserver.k8s.io/v1alpha1".to_string()));
        assert!(!apis(3, 17).contains(&"flowcontrol.apiserver.k8s.io/v1alpha1".to_string()));
        assert_eq!(apis(3, 0).len(), 40);
        assert_eq!(HelmBuild::V4.api_versions(), apis(4, 1));
    }

    /// Each printed by that Helm's `{{ .Capabilities.HelmVersion }}`.
    #[test]
    fn build_info_is_the_releases() {
        let info = |major, minor, patch| {
            HelmBuild::of_patch(major, minor, patch)
                .unwrap()
                .build_info()
        };
        let shown = |i: super::BuildInfo| {
            let mut parts = vec![i.version, i.git_commit, i.git_tree_state, i.go_version];
            parts.extend(i.kube_client_version);
            format!("{{{}}}", parts.join(" "))
        };
        assert_eq!(
            shown(info(3, 9, 4)),
            "{v3.9.4 dbc6d8e20fe1d58d50e6ed30f09a04a77e4c68db clean go1.17.13}"
        );
        assert_eq!(
            shown(info(3, 11, 1)),
            "{v3.11.1 293b50c65d4d56187cd4e2f390f0ada46b4c4737 clean go1.18.10}"
        );
        assert_eq!(
            shown(info(3, 16, 4)),
            "{v3.16.4 7877b45b63f95635153b29a42c0c2f4273ec45ca clean go1.22.7}"
        );
        assert_eq!(
            shown(info(3, 17, 1)),
            "{v3.17.1 980d8ac1939e39138101364400756af2bdee1da5 clean go1.23.5}"
        );
        assert_eq!(shown(HelmBuild::V3.build_info()), shown(info(3, 17, 3)));
        assert_eq!(
            shown(HelmBuild::V4.build_info()),
            "{v4.1.4 05fa37973dc9e42b76e1d2883494c87174b6074f clean go1.25.9 v1.35}"
        );
        assert_eq!(
            shown(info(4, 2, 3)),
            "{v4.2.3 43e8b7feece8beb0fcba47059ec9b522fd929a64 clean go1.26.5 v1.36}"
        );
        // A minor without a patch is its newest release; one the list does not know has no
        // commit and Go's minor only.
        assert_eq!(info(3, 11, u32::MAX).version, "v3.11.3");
        assert_eq!(HelmBuild::of(3, 16), Some(HelmBuild::V3_16));
        let future = info(3, 99, 1);
        assert_eq!(
            (future.git_commit.as_str(), future.go_version.as_str()),
            ("", "go1.25")
        );
    }

    #[test]
    fn functions_come_with_their_helm() {
        let h = |minor| HelmBuild::of(3, minor).unwrap();
        assert!(!h(9).has_function("sha512sum"));
        assert!(h(16).has_function("sha512sum"));
        assert!(!h(16).has_function("toYamlPretty"));
        assert!(h(17).has_function("fromToml"));
        assert!(!h(4).has_function("dig"));
        assert!(h(5).has_function("dig"));
        assert!(!h(17).has_function("mustToYaml"));
        assert!(HelmBuild::V4.has_function("mustToYaml"));
        assert!(h(0).has_function("toYaml"));
    }

    #[test]
    fn parse_errors_of_an_older_helm_name_the_helm_that_reads_the_chart() {
        let h = |minor| HelmBuild::of(3, minor).unwrap();
        let message =
            r#"parse error at (x/templates/_helper.tpl:905): function "break" not defined"#;
        assert_eq!(
            h(9).too_old_for(message),
            Some(("3.10".into(), "`{{break}}` (Go 1.18)".into()))
        );
        assert_eq!(h(10).too_old_for(message), None);
        assert_eq!(
            h(16).too_old_for("parse error at (x/t.yaml:3): unexpected <with> in else"),
            Some(("3.17".into(), "`{{else with}}` (Go 1.23)".into()))
        );
        assert_eq!(
            h(15).too_old_for(r#"parse error at (x/t.yaml:1): function "sha512sum" not defined"#),
            Some(("3.16".into(), "the function `sha512sum`".into()))
        );
        assert_eq!(
            h(17).too_old_for(r#"parse error at (x/t.yaml:1): function "nope" not defined"#),
            None
        );
        assert_eq!(h(9).release(), "3.9");
    }

    #[test]
    fn value_flags_come_with_their_helm() {
        let h = |minor| HelmBuild::of(3, minor).unwrap();
        assert_eq!(h(9).lacks_flag("--set-json"), Some("3.10"));
        assert_eq!(h(10).lacks_flag("--set-json"), None);
        assert_eq!(h(11).lacks_flag("--set-literal"), Some("3.12"));
        assert_eq!(h(12).lacks_flag("--set-literal"), None);
        assert_eq!(h(0).lacks_flag("--set-string"), None);
    }
}
