/**
 * The exception family of Permafrost: one unchecked root, {@link dev.permafrost.error.PermafrostException},
 * and a class for each kind of failure a caller may want to tell apart (a corrupt, truncated,
 * foreign or newer file; a full store; a lock held by another process; an unclean store;
 * a forbidden operation for the store's state; reference-count misuse). The failures of
 * reading a process's memory accounting from {@code /proc} extend the same root and live next
 * to the code that throws them, in {@code dev.permafrost.memory} (store-core).
 *
 * <p>Every exception carries the store file and the byte offset concerned, and its message
 * says what was expected and what was found. Thrown only at the edges (open, create,
 * allocate, parse) and from the slow paths of the reference-count protocol.
 */
package dev.permafrost.error;
