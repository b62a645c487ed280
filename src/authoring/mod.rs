//! Tools for the staff who write flow files: scenarios played against a flow (`flows check`
//! and `flows simulate`), the difference between two versions, the graph and picture of a
//! flow, and the report that gathers a file's findings. Used by the command line and the
//! console; the server's call path never needs them.

pub mod diff;
pub mod graph;
pub mod picture;
pub mod report;
pub mod scenario;
