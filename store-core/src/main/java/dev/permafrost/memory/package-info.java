/**
 * Memory accounting from the kernel's own numbers: how much of a store's mapping a process
 * shares with every other process, and how much it copied.
 *
 * <p>{@link dev.permafrost.memory.ProcessMemory} reads {@code /proc/PID/smaps} for the
 * mapping's {@code Rss}, {@code Pss}, {@code Shared_Clean}, {@code Private_Dirty} and
 * {@code Anonymous} ({@link dev.permafrost.memory.MappingMemory}), and {@code /proc/PID/pagemap}
 * for the state of every page ({@link dev.permafrost.memory.PageMap}). In a private file
 * mapping a page that was written becomes anonymous, so {@code Anonymous} is the number of
 * copied bytes; {@code Private_*} is not (a page-cache page that one process alone maps
 * counts as private without ever having been copied).
 *
 * <p>Errors: {@link dev.permafrost.memory.ProcessMemoryException}, a
 * {@link dev.permafrost.error.PermafrostException} carrying the process id, and its subclasses
 * for a process that does not exist ({@link dev.permafrost.memory.NoSuchProcessException}), does
 * not map the store ({@link dev.permafrost.memory.MappingNotFoundException}) or may not be read
 * ({@link dev.permafrost.memory.ProcessAccessDeniedException}).
 *
 * <p>Thread rules: stateless; every call reads {@code /proc} afresh. Not a hot path: an
 * smaps read costs about a millisecond for a JVM; pagemap is read in large chunks, so
 * 1 GiB of mapping (2 MiB of pagemap) takes a few milliseconds.
 */
package dev.permafrost.memory;
