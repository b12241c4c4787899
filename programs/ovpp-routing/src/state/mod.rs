pub mod enrollment;
pub mod program;
pub mod route;

pub use enrollment::*;
pub use program::*;
pub use route::*;
