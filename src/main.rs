//! The `contract-milestones` binary: a thin shell over the library. The
//! commands are in `commands/` (one file each), what they share in
//! `setup.rs`, the exit codes in `exit.rs`.

mod commands;
mod exit;
mod setup;

/// mimalloc instead of glibc's malloc. Text extraction allocates and frees
/// a string, a vector or a map for nearly every glyph (pdf_oxide's spans,
/// their font names, its per-page de-duplication maps), and glibc's malloc
/// and free were a large share of the CPU time (figures:
/// `docs/performance.md`). Only this binary's allocations: the library and
/// its tests keep the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `arena_eager_commit` (option 4 of its v2 line, see its
/// `mimalloc.h`; not among the constants the `-sys` crate names).
#[cfg(target_os = "linux")]
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Sets mimalloc's options before the first allocation, which reserves its
/// arena: the program's static initialisers run before Rust's runtime
/// allocates anything.
///
/// By default mimalloc commits its arena up front on Linux, and memory it
/// frees there is then only marked reusable (it stays in the resident set
/// until the kernel needs it), where decommitting gives it back: left
/// committed, parent and workers hold more (figures: `docs/performance.md`).
#[cfg(target_os = "linux")]
extern "C" fn configure_allocator() {
    // SAFETY: sets one of mimalloc's option values; nothing else runs yet.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
}

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static CONFIGURE_ALLOCATOR: extern "C" fn() = configure_allocator;

fn main() {
    std::process::exit(commands::run().code());
}
