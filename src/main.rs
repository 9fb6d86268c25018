//! The `tgexport` command line: a thin layer over the library.

mod cli;

// The model is built from many small strings; mimalloc allocates and frees them faster
// than the system allocator (measured in the commit that added it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
