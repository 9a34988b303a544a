pub mod text_area;
pub mod text_field;
