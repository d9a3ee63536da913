//! Generates the models of `models.yaml` into `OUT_DIR`.

fn main() -> Result<(), modelgen_build::Error> {
    modelgen_build::Config::new().spec("models.yaml").generate()
}
