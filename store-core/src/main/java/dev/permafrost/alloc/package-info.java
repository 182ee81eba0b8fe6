/**
 * The allocator ({@link dev.permafrost.alloc.Allocator}): size-class free lists over the
 * heap, a bump offset into fresh space, disk space reserved ahead of the bump offset so a
 * full disk is an exception and not a SIGBUS.
 *
 * <p>Thread rules: thread-safe under one lock. Hot path: {@code allocate} with a free list
 * hit (pop, write header).
 */
package dev.permafrost.alloc;
