//! Logs and metrics set-up: `tracing` to standard error, Prometheus metrics rendered by the
//! server itself.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

/// Default log filter when `RUST_LOG` is not set.
const DEFAULT_FILTER: &str = "hotline=info,tower_http=warn,sqlx=warn";

/// Webhook latency buckets, in seconds: fine below 50 ms where a healthy server lives, coarse up
/// to the provider's 15 s limit.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0,
];

/// Installs the log subscriber; `json` switches to one JSON object per line.
pub fn init_logs(json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second installation (tests start several servers in one process) is harmless.
    let _ = if json {
        // Each line carries its webhook's span (kind, call id) once; the list of every
        // enclosing span would repeat the same fields at twice the formatting cost.
        builder.json().with_span_list(false).try_init()
    } else {
        builder.try_init()
    };
}

/// The process-wide metrics recorder, installed on first use.
pub fn metrics() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(LATENCY_BUCKETS)
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        // Fails only if another recorder was installed first; metrics then go there instead.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}
