fn main() {
    // New migration files are embedded only if cargo rebuilds when the folder changes.
    println!("cargo:rerun-if-changed=migrations");
}
