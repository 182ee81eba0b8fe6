/**
 * The heap-dump CLI ({@code scripts/heap-dump}): looks inside a store file the way
 * {@code jmap -histo}, Eclipse MAT and {@code mdb_stat} look inside a heap or a database, and
 * inside a live worker: which pages of the store it still shares and which objects' writes
 * copied the others.
 *
 * <p>Reading: {@link dev.permafrost.heapdump.StoreImage} validates the superblock and commit
 * slots with plain reads (through {@link dev.permafrost.layout.StoreHeaders}, as the library does), then maps exactly the validated part of the file read-only (never
 * past its end, never handed to native code), so a corrupted or truncated file gives a typed
 * exception and never a crash. Every offset read from the file is checked before it is
 * followed. The CLI takes no lock and writes nothing: it works on frozen and unfrozen stores,
 * closed cleanly or not, even while an owner has the store open (it then sees the last commit).
 *
 * <p>Output: text for people, or with {@code --json} one JSON document (snake_case fields, a
 * top-level {@code "command"}) for scripts. Exit codes: 0 success, 1 findings of
 * {@code verify}, 2 bad input (one line on stderr; the stack trace only with {@code --debug}).
 *
 * <p>Thread rules: single-threaded. Hot paths: the heap walk ({@link
 * dev.permafrost.heapdump.HeapScan}), which {@code histo} and {@code verify} run at more than
 * 1 GB/s over a warm file.
 */
package dev.permafrost.heapdump;
