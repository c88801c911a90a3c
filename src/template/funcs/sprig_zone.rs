//! Time zones as Go's `time.LoadLocation` finds them, for Sprig's `dateInZone`, `date` and
//! their `htmlDate` forms: the host's tz database (where `$ZONEINFO` or Go's list of folders
//! says), the `Local` zone from `$TZ` or `/etc/localtime`. A zone Go cannot load is UTC, as
//! Sprig falls back to it; so is every zone on a host without the database, as for Helm there.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use tz::TimeZone;

/// Where Go 1.23 looks for zone files on Unix (`platformZoneSources`), after `$ZONEINFO`.
const SOURCES: &[&str] = &[
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo/",
];

/// Go's bound on a zone file it reads.
const MAX_FILE: u64 = 10 << 20;

/// A loaded zone; `None` is UTC.
pub(super) type Zone = Option<Rc<TimeZone>>;

thread_local! {
    /// Zones already read (a render may print many dates in one zone).
    static LOADED: RefCell<HashMap<String, Zone>> = RefCell::new(HashMap::new());
}

/// `time.LoadLocation(name)`, UTC where Go fails.
pub(super) fn load(name: &str) -> Zone {
    match name {
        "" | "UTC" => return None,
        "Local" => return local(),
        _ => {}
    }
    // Go refuses names that could leave the database's folder.
    if name.contains("..") || name.starts_with(['/', '\\']) {
        return None;
    }
    cached(name, || {
        let zoneinfo = std::env::var("ZONEINFO").unwrap_or_default();
        let mut folders: Vec<String> = Vec::new();
        if !zoneinfo.is_empty() {
            folders.push(format!("{}/", zoneinfo.trim_end_matches('/')));
        }
        folders.extend(SOURCES.iter().map(|s| (*s).to_string()));
        folders
            .iter()
            .find_map(|folder| read_zone(&format!("{folder}{name}")))
    })
}

/// Go's `Local`: `$TZ` (a name in the database, or a file when it starts with `/`; empty or
/// `UTC` is UTC), else `/etc/localtime`; UTC where that cannot be read.
fn local() -> Zone {
    cached("\0Local", || match std::env::var("TZ") {
        Err(_) => read_zone("/etc/localtime"),
        Ok(tz) => {
            let tz = tz.strip_prefix(':').unwrap_or(&tz);
            if tz.starts_with('/') {
                read_zone(tz)
            } else if tz.is_empty() || tz == "UTC" {
                None
            } else {
                SOURCES
                    .iter()
                    .find_map(|folder| read_zone(&format!("{folder}{tz}")))
            }
        }
    })
}

/// The name of Go's `Local` (`Location.String`): `Local` for `/etc/localtime` (no `$TZ`, or
/// `TZ=/etc/localtime`), else `$TZ` as given (without a leading `:`); `UTC` when it is empty,
/// `UTC`, or cannot be loaded.
pub(super) fn local_name() -> String {
    let loaded = local().is_some();
    match std::env::var("TZ") {
        Err(_) if loaded => "Local".into(),
        Ok(tz) if loaded => {
            let tz = tz.strip_prefix(':').unwrap_or(&tz);
            if tz == "/etc/localtime" {
                "Local".into()
            } else {
                tz.to_string()
            }
        }
        _ => "UTC".into(),
    }
}

/// Whether the zone observes daylight saving time at `unix` seconds.
pub(super) fn is_dst(zone: &TimeZone, unix: i64) -> bool {
    zone.find_local_time_type(unix).is_ok_and(|t| t.is_dst())
}

fn cached(key: &str, load: impl FnOnce() -> Zone) -> Zone {
    if let Some(z) = LOADED.with(|l| l.borrow().get(key).cloned()) {
        return z;
    }
    let zone = load();
    LOADED.with(|l| l.borrow_mut().insert(key.to_string(), zone.clone()));
    zone
}

/// A TZif file, when it is a regular file of a sane size that parses.
fn read_zone(path: &str) -> Zone {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    TimeZone::from_tz_data(&bytes).ok().map(Rc::new)
}

/// The zone's offset east of UTC (seconds) and abbreviation at `unix` seconds.
pub(super) fn at(zone: &TimeZone, unix: i64) -> Option<(i32, String)> {
    let t = zone.find_local_time_type(unix).ok()?;
    Some((t.ut_offset(), t.time_zone_designation().to_string()))
}

/// Go's `lookupName`: the offset of a type named `name`, preferring one in effect at the wall
/// time `wall` (read with that type's offset), else the first of that name.
pub(super) fn offset_named(zone: &TimeZone, name: &str, wall: i64) -> Option<i32> {
    let types = zone.as_ref().local_time_types();
    let named = || types.iter().filter(|t| t.time_zone_designation() == name);
    named()
        .find_map(|t| {
            let (offset, found) = at(zone, wall - i64::from(t.ut_offset()))?;
            (found == name).then_some(offset)
        })
        .or_else(|| named().next().map(|t| t.ut_offset()))
}
