//! Generates the models of `models.yaml` into `OUT_DIR` on every change to the spec.

fn main() -> Result<(), modelgen_build::Error> {
    modelgen_build::Config::new().spec("models.yaml").generate()
}
