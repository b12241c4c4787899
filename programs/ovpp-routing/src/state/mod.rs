pub mod enrollment;
pub mod owner;
pub mod program;
pub mod route;

pub use enrollment::*;
pub use owner::*;
pub use program::*;
pub use route::*;
