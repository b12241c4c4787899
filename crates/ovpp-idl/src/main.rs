//! `cargo run -p ovpp-idl -- <out-dir>` (from the workspace root): builds each program's IDL the way `anchor idl build`
//! does (a host `cargo test` with the `idl-build` feature, no SBF toolchain involved) and
//! writes `<program>.json` to `out-dir`.
use std::path::PathBuf;

const PROGRAMS: &[&str] = &[
    "ovpp-registry",
    "ovpp-payments",
    "ovpp-routing",
    "ovpp-hook",
];

fn main() {
    let out_dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "sdk/idl".into()));
    std::fs::create_dir_all(&out_dir).expect("create output dir");
    // The workspace root is the working directory (scripts/idl.mjs runs from it); a path
    // baked in at compile time would point at whichever checkout last built this binary.
    let root = std::env::current_dir().expect("working directory");
    for program in PROGRAMS {
        let path = root.join("programs").join(program);
        let idl = anchor_lang_idl::build::IdlBuilder::new()
            .program_path(path)
            .resolution(false)
            .build()
            .unwrap_or_else(|e| panic!("IDL build of {program} failed: {e}"));
        let file = out_dir.join(format!("{}.json", idl.metadata.name));
        let mut json = serde_json::to_string_pretty(&idl).expect("serialize IDL");
        json.push('\n');
        std::fs::write(&file, json).expect("write IDL");
        println!("wrote {}", file.display());
    }
}
