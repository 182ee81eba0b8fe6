package dev.permafrost.file;

import java.lang.foreign.MemorySegment;

/**
 * The address space as one constant segment, for the two hot paths that read a store's
 * mapping by address instead of through its arena segment: the reference counts
 * ({@code RefCounts}) and the generated record decoders ({@code DecoderGenerator}). A constant
 * segment's own checks fold away in the JIT; the caller checks bounds against the mapping.
 *
 * <p>The rule that makes it safe: an address inside a {@link StoreFile}'s mapping
 * ({@link StoreFile#address()}, {@link StoreFile#mappedBytes()}) stays readable and writable
 * for as long as that {@code StoreFile} is reachable. After {@link StoreFile#close()} the range
 * reads as zeros (a racing writer gets a private zero page), so a caller must keep the file
 * reachable across its accesses ({@link java.lang.ref.Reference#reachabilityFence}) and check,
 * after them, that the store was not closed meanwhile if zeros could be mistaken for data.
 */
public final class RawMemory {
    /** Every address, from 0 to {@link Long#MAX_VALUE}: the segment to read a mapping at its address plus an offset. */
    @SuppressWarnings("restricted") // used only inside mappings, after a bounds check against them
    public static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private RawMemory() {
    }
}
