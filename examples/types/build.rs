//! Generates the models of `models.yaml` into `OUT_DIR`, those of `text_decimals.yaml`
//! into `OUT_DIR/text` and those of `unbounded.yaml` into `OUT_DIR/unbounded`.

fn main() -> Result<(), modelgen_build::Error> {
    modelgen_build::Config::new().spec("models.yaml").generate()?;
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    modelgen_build::Config::new()
        .spec("text_decimals.yaml")
        .out_dir(out.join("text"))
        .generate()?;
    modelgen_build::Config::new()
        .spec("unbounded.yaml")
        .out_dir(out.join("unbounded"))
        .generate()
}
