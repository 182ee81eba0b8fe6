/**
 * Coverage-guided fuzz tests (Jazzer {@code @FuzzTest}) of every parser of untrusted bytes:
 * opening a store (superblock, commit slots, type and root tables) and decoding its objects,
 * each {@code heap-dump} command on a file, and opening a cache directory ({@code CURRENT} and a
 * version file). Each input damages a small valid seed file ({@link Seeds}, {@link Damage});
 * the oracle is that the code under test works or throws a typed
 * {@link dev.permafrost.error.PermafrostException}, never another exception, a hang or a crash.
 *
 * <p>{@code ./mvnw verify} runs each test in Jazzer's regression mode: the undamaged seeds and
 * the inputs under {@code src/test/resources/dev/permafrost/fuzz/<Class>Inputs/<method>/}, in
 * seconds. {@code scripts/fuzz} fuzzes for real ({@code JAZZER_FUZZ=1}). Single-threaded: each
 * test's seeds are built once per class and only read afterwards.
 */
package dev.permafrost.fuzz;
