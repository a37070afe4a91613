//! The success path of `validate()` allocates nothing of its own: paths live on the stack and
//! the violation list stays an empty `Vec`. The one allocation left is inside the regex
//! engine (regress, which runs the patterns with `\S`, allocates its match state on every
//! `find`), one per such `@pattern` checked.
//! This binary routes every allocation through dhat's counting allocator to pin that down.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use chime::types::{BatchUpdateUserInput, License, UpdateUserRequestItem};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn allocations() -> u64 {
    dhat::HeapStats::get().total_blocks
}

/// Both checks run in one test: dhat allows one profiler at a time per process.
#[test]
fn validate_allocates_only_to_report_violations() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let valid = BatchUpdateUserInput::builder()
        .account_id("a-1")
        .update_user_request_items(
            (0..20)
                .map(|i| {
                    UpdateUserRequestItem::builder()
                        .user_id(format!("u-{i}"))
                        .license_type(License::Basic)
                        .build()
                        .unwrap()
                })
                .collect(),
        )
        .build()
        .unwrap();
    // The first calls compile the patterns and warm the linear-time engine's lazy caches;
    // those allocations are not per call.
    for _ in 0..10 {
        valid.validate().unwrap();
    }
    // The counter is process-wide, so another thread (the test harness's own, on a loaded
    // machine) can add to one round; the fewest allocations of five rounds is this path's.
    let fewest = (0..5)
        .map(|_| {
            let before = allocations();
            for _ in 0..100 {
                valid.validate().unwrap();
            }
            allocations() - before
        })
        .min()
        .unwrap();
    // One account ID and twenty user IDs are matched against `\S` per call.
    let pattern_matches_per_call = 21;
    assert_eq!(fewest, 100 * pattern_matches_per_call, "the success path allocated beyond regress");

    let invalid = BatchUpdateUserInput::builder().account_id(" ").update_user_request_items(vec![]).build().unwrap();
    let before = allocations();
    invalid.validate().unwrap_err();
    assert!(allocations() > before, "the counter must see the report's allocations");
}
