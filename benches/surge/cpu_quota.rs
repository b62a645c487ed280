//! A CPU quota for one server process (`--instance-cpus`), so that instances sharing this
//! machine each have a fixed share of it, as instances on machines of their own would. It uses
//! the kernel's cgroup CPU controller (v2, or v1's `cpu` hierarchy) and needs root.

use std::fs;
use std::path::{Path, PathBuf};

/// The quota's period. Short, so a throttled server waits milliseconds for its next share
/// rather than tens of them, which would only add latency the quota does not stand for.
const PERIOD_MICROS: u64 = 10_000;

/// A cgroup holding one process, removed when dropped (after the process has exited).
pub struct CpuQuota {
    dir: PathBuf,
}

impl CpuQuota {
    /// Moves process `pid`, with every thread it has or will start, into a new cgroup that may
    /// use `cpus` cores' worth of time.
    pub fn limit(pid: u32, cpus: f64) -> CpuQuota {
        let quota = (cpus * PERIOD_MICROS as f64).round() as u64;
        let name = format!("hotline-surge-{pid}");
        let v2 = Path::new("/sys/fs/cgroup/cgroup.controllers");
        let dir = if v2.exists() {
            // A child's `cpu.max` exists only once the parent hands the controller down.
            write(Path::new("/sys/fs/cgroup/cgroup.subtree_control"), "+cpu");
            let dir = Path::new("/sys/fs/cgroup").join(name);
            make(&dir);
            write(&dir.join("cpu.max"), &format!("{quota} {PERIOD_MICROS}"));
            dir
        } else {
            let dir = Path::new("/sys/fs/cgroup/cpu").join(name);
            make(&dir);
            write(&dir.join("cpu.cfs_period_us"), &PERIOD_MICROS.to_string());
            write(&dir.join("cpu.cfs_quota_us"), &quota.to_string());
            dir
        };
        write(&dir.join("cgroup.procs"), &pid.to_string());
        CpuQuota { dir }
    }
}

impl Drop for CpuQuota {
    fn drop(&mut self) {
        // A cgroup is removed with rmdir once no process is left in it.
        let _ = fs::remove_dir(&self.dir);
    }
}

fn make(dir: &Path) {
    fs::create_dir(dir).unwrap_or_else(|e| {
        panic!(
            "--instance-cpus needs the cgroup CPU controller and root: cannot create {}: {e}",
            dir.display()
        )
    });
}

fn write(file: &Path, value: &str) {
    fs::write(file, value).unwrap_or_else(|e| {
        panic!(
            "--instance-cpus: cannot write {value:?} to {}: {e}",
            file.display()
        )
    });
}
