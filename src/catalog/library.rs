//! The flows the server runs: the current set, the earlier versions that calls in progress
//! still follow, and the watcher that reloads the flows folder when staff save a change. A
//! change is checked before it is used; a broken one leaves the running flows in place and says
//! why (log, metric, the `/flows` page).

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use tokio::sync::watch;

use crate::catalog::FlowSet;
use crate::flow::Flow;

/// Earlier versions kept for calls that started on them: a call lasts minutes, staff save a
/// few times an hour, so a handful is plenty.
const RETAINED_VERSIONS: usize = 32;

/// Why the folder's latest contents are not running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadFailure {
    /// When the failed reload was tried (ms since the epoch).
    pub at: i64,
    /// What is wrong, with file, line and fix, as `flows check` would say it.
    pub problems: String,
}

/// One consistent view: the current flows, the versions still retained, the last failure.
#[derive(Debug)]
pub struct Catalog {
    /// The flows new calls get.
    pub current: Arc<FlowSet>,
    /// When they were loaded (ms since the epoch).
    pub loaded_at: i64,
    /// Earlier versions by (hotline, version), oldest first in `order`.
    retained: BTreeMap<(String, String), Arc<Flow>>,
    order: VecDeque<(String, String)>,
    /// Set while the folder holds a change that could not be loaded.
    pub failure: Option<ReloadFailure>,
}

impl Catalog {
    fn first(set: FlowSet, at: i64) -> Catalog {
        Catalog {
            current: Arc::new(set),
            loaded_at: at,
            retained: BTreeMap::new(),
            order: VecDeque::new(),
            failure: None,
        }
    }

    /// The catalog after `set` replaced the current flows; their versions stay reachable.
    fn replaced_by(&self, set: FlowSet, at: i64) -> Catalog {
        let mut retained = self.retained.clone();
        let mut order = self.order.clone();
        for flow in self.current.flows() {
            let key = (flow.id.clone(), flow.version.clone());
            if let std::collections::btree_map::Entry::Vacant(slot) = retained.entry(key.clone()) {
                slot.insert(Arc::clone(flow));
                order.push_back(key);
            }
        }
        while order.len() > RETAINED_VERSIONS {
            if let Some(oldest) = order.pop_front() {
                retained.remove(&oldest);
            }
        }
        Catalog {
            current: Arc::new(set),
            loaded_at: at,
            retained,
            order,
            failure: None,
        }
    }

    fn failed(&self, failure: ReloadFailure) -> Catalog {
        Catalog {
            current: Arc::clone(&self.current),
            loaded_at: self.loaded_at,
            retained: self.retained.clone(),
            order: self.order.clone(),
            failure: Some(failure),
        }
    }

    /// The flow a call of `hotline` that started on `version` follows: that version while it
    /// is kept, otherwise (or without a version) the current one.
    pub fn for_call(&self, hotline: &str, version: Option<&str>) -> Option<Arc<Flow>> {
        let current = self.current.get(hotline);
        if let Some(v) = version {
            if current.is_some_and(|f| f.version == v) {
                return current.cloned();
            }
            if let Some(old) = self.retained.get(&(hotline.to_string(), v.to_string())) {
                return Some(Arc::clone(old));
            }
        }
        current.cloned()
    }

    /// The name staff read for `node` of a call of `hotline` that followed `version`: from
    /// that version while it is kept, else from the current flow, else made from the id (a
    /// step since renamed or removed).
    pub fn node_title(&self, hotline: &str, version: Option<&str>, node: &str) -> String {
        [
            self.for_call(hotline, version),
            self.current.get(hotline).cloned(),
        ]
        .into_iter()
        .flatten()
        .find_map(|flow| Some(flow.nodes.get(node)?.title.clone()))
        .unwrap_or_else(|| crate::flow::names::from_id(node))
    }
}

/// The shared handle; cheap to clone, lock-free to read.
#[derive(Clone)]
pub struct Flows(Arc<ArcSwap<Catalog>>);

impl Flows {
    /// The flows loaded at start-up.
    pub fn new(set: FlowSet, at: i64) -> Flows {
        Flows(Arc::new(ArcSwap::from_pointee(Catalog::first(set, at))))
    }

    /// The flows new calls get.
    pub fn current(&self) -> Arc<FlowSet> {
        Arc::clone(&self.0.load().current)
    }

    /// Everything, consistently: current flows, retained versions, the last failure.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.0.load_full()
    }

    /// The flow a call follows (see [`Catalog::for_call`]).
    pub fn for_call(&self, hotline: &str, version: Option<&str>) -> Option<Arc<Flow>> {
        self.0.load().for_call(hotline, version)
    }

    /// The default hotline's time zone, in which staff read dates and times.
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        self.0.load().current.default_flow().time_zone.clone()
    }

    /// Makes `set` current.
    pub fn replace(&self, set: FlowSet, at: i64) {
        self.0.rcu(|old| Arc::new(old.replaced_by(set.clone(), at)));
    }

    /// Records that the folder's latest contents could not be loaded.
    pub fn fail(&self, failure: ReloadFailure) {
        self.0.rcu(|old| Arc::new(old.failed(failure.clone())));
    }
}

/// What the folder looked like: each `*.toml` file's name, size and modification time. A
/// change in any of them means a save.
fn fingerprint(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"))
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            (p, len, modified)
        })
        .collect();
    files.sort();
    files
}

/// Watches `dir` every `every` until `stopping` turns true, and reloads it when it changes.
pub async fn watch(
    dir: PathBuf,
    flows: Flows,
    every: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    let mut seen = fingerprint(&dir);
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stopping.changed() => return,
        }
        let now = fingerprint(&dir);
        if now == seen {
            continue;
        }
        seen = now;
        reload(&dir, &flows);
    }
}

/// Loads the folder and makes it current, or keeps the running flows and says why.
pub fn reload(dir: &Path, flows: &Flows) {
    let at = jiff::Timestamp::now().as_millisecond();
    match crate::catalog::files::load_dir(dir) {
        Ok(set) => {
            for flow in set.flows() {
                tracing::info!(hotline = %flow.id, version = %flow.version, "flow reloaded");
            }
            flows.replace(set, at);
            metrics::counter!("hotline_flow_reloads_total", "outcome" => "ok").increment(1);
            metrics::gauge!("hotline_flows_stale").set(0.0);
        }
        Err(error) => {
            let problems = format!("{error:#}");
            tracing::error!(
                "the changed flows were not loaded; the running flows stay:\n{problems}"
            );
            flows.fail(ReloadFailure { at, problems });
            metrics::counter!("hotline_flow_reloads_total", "outcome" => "failed").increment(1);
            metrics::gauge!("hotline_flows_stale").set(1.0);
        }
    }
}
