package dev.permafrost.cache;

import dev.permafrost.layout.CacheEntryDescriptor;
import dev.permafrost.layout.CacheFilterDescriptor;
import dev.permafrost.layout.CacheHeaderDescriptor;
import dev.permafrost.layout.CacheSlotDescriptor;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The cache format as this package uses it: short names for the descriptors of
 * {@code store-layout}, where the format is defined ({@link CacheHeaderDescriptor} for the
 * header, {@link CacheSlotDescriptor} for the table, {@link CacheFilterDescriptor} for the
 * filter, {@link CacheEntryDescriptor} for chunks and entries; {@code docs/FORMAT.md}, "Cache versions"). Nothing is defined here.
 */
final class CacheFormat {
    static final String ROOT_NAME = CacheHeaderDescriptor.ROOT_NAME;
    static final int POSITION_BITS = CacheSlotDescriptor.POSITION_BITS;
    static final int CHUNK_SHIFT = CacheEntryDescriptor.CHUNK_SHIFT;
    /** An object's header, bytes: a block holds it and the payload. */
    static final long OBJECT_HEADER_BYTES = ObjectHeaderDescriptor.LENGTH;
    static final long POSITION_MASK = CacheSlotDescriptor.POSITION_MASK;
    static final long IN_CHUNK_MASK = CacheEntryDescriptor.IN_CHUNK_MASK;
    static final long FINGERPRINT_MASK = CacheSlotDescriptor.FINGERPRINT_MASK;
    static final int FINGERPRINT_BITS = CacheSlotDescriptor.FINGERPRINT_BITS;
    static final int TAG_SHIFT = CacheSlotDescriptor.TAG_SHIFT;
    static final long MAX_CHUNKS = CacheEntryDescriptor.MAX_CHUNKS;
    static final int MAX_KEY_BYTES = CacheEntryDescriptor.MAX_KEY_BYTES;
    static final int MAX_INLINE_VALUE_BYTES = CacheEntryDescriptor.MAX_INLINE_VALUE_BYTES;
    static final int MAX_CODEC_NAME_BYTES = CacheHeaderDescriptor.MAX_CODEC_NAME_BYTES;

    static final ValueLayout.OfLong U64 = StoreFormat.LONG;
    static final ValueLayout.OfInt U32 = StoreFormat.INT;
    static final ValueLayout.OfShort U16 = StoreFormat.SHORT;
    /** Slots are 8-aligned in the table object's payload (16-aligned): aligned reads. */
    static final ValueLayout.OfLong SLOT = CacheSlotDescriptor.SLOT;
    /** The filter's words, 8-aligned too. */
    static final ValueLayout.OfLong FILTER_WORD = CacheFilterDescriptor.WORD;

    private CacheFormat() {
    }

    /** {@return a key's home slot: the high half of hash × home slot count} */
    static long homeSlot(long hash, long homeSlots) {
        return CacheSlotDescriptor.homeSlot(hash, homeSlots);
    }

    /** {@return the filter's word that holds a key's bits: the high half of hash × word count} */
    static long filterWord(long hash, long words) {
        return CacheFilterDescriptor.word(hash, words);
    }

    /** {@return a key's bits in its filter word} */
    static long filterMask(long hash) {
        return CacheFilterDescriptor.mask(hash);
    }

    /** {@return the bytes an unsigned LEB128 varint of the value takes} */
    static int varintBytes(long value) {
        return CacheEntryDescriptor.varintBytes(value);
    }

    /** Writes an unsigned LEB128 varint; returns the offset after it. */
    static long putVarint(MemorySegment memory, long offset, long value) {
        return CacheEntryDescriptor.putVarint(memory, offset, value);
    }

    /** Reads an unsigned LEB128 varint of at most 9 bytes ({@link CacheEntryDescriptor#getVarint}). */
    static long getVarint(MemorySegment memory, long offset) {
        return CacheEntryDescriptor.getVarint(memory, offset);
    }

    /** {@return the offset after the varint at that offset} */
    static long varintEnd(MemorySegment memory, long offset) {
        return CacheEntryDescriptor.varintEnd(memory, offset);
    }
}
