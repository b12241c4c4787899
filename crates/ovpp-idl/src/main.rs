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
    // The workspace root is the working directory (scripts/dev/idl.mjs runs from it); a path
    // baked in at compile time would point at whichever checkout last built this binary.
    let root = std::env::current_dir().expect("working directory");
    // `IdlBuilder` runs `cargo test __anchor_private_print_idl --features idl-build` in the
    // program's directory with `RUSTFLAGS="--cfg procmacro2_semver_exempt -A warnings"`. Left
    // alone, that compiles a second copy of the dependency tree next to the test build: other
    // rustflags give every crate another fingerprint, and a build of one program unifies
    // dependency features differently from a build of the workspace (~300-390 extra crates).
    // So:
    // * `CARGO_ENCODED_RUSTFLAGS` takes precedence over `RUSTFLAGS`: keep the test build's
    //   flags. What the cfg adds (resolving type aliases and types of other crates through the
    //   source files) is not used by these programs; the drift check (`node scripts/dev/idl.mjs
    //   --check`) would show it if a program started to need it.
    // * select the same packages as the test build's (this crate depends on the programs with
    //   `idl-build`, so every workspace build already compiles them that way): the test filter
    //   only matches the one program's IDL tests, and nothing is compiled again.
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_else(|_| {
        let plain = std::env::var("RUSTFLAGS").unwrap_or_default();
        plain.split_whitespace().collect::<Vec<_>>().join("\x1f")
    });
    std::env::set_var("CARGO_ENCODED_RUSTFLAGS", flags);
    // * `cargo run` gives this process the package variables of ovpp-idl; cargo compares the
    //   variables that build scripts track (ring's: CARGO_PKG_NAME, CARGO_MANIFEST_DIR...)
    //   against its own environment, so inherited ones would rerun those scripts and rebuild
    //   everything above them.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        let from_cargo_run = [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
            || [
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_RUSTC_CURRENT_DIR",
                "OUT_DIR",
            ]
            .contains(&name.as_str());
        if from_cargo_run {
            std::env::remove_var(name);
        }
    }
    for program in PROGRAMS {
        let path = root.join("programs").join(program);
        let idl = anchor_lang_idl::build::IdlBuilder::new()
            .program_path(path)
            .resolution(true)
            .cargo_args(
                [
                    "-p",
                    program,
                    "-p",
                    "ovpp-idl",
                    "-p",
                    "ovpp-host",
                    "-p",
                    "ovpp-test-utils",
                    "-p",
                    "ovpp-runtime",
                ]
                .map(String::from)
                .to_vec(),
            )
            .build()
            .unwrap_or_else(|e| panic!("IDL build of {program} failed: {e}"));
        let file = out_dir.join(format!("{}.json", idl.metadata.name));
        let mut json = serde_json::to_string_pretty(&idl).expect("serialize IDL");
        json.push('\n');
        std::fs::write(&file, json).expect("write IDL");
        println!("wrote {}", file.display());
    }
}
