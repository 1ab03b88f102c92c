//! The Reports tab driven by keys through the application shell.
