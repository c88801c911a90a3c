//! Tests of the whole engine: template text in, text out, expectations from Helm 3.17.3.

mod exec;
mod from_yaml_provenance;
mod time_types;
