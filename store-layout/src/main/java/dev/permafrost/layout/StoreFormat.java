package dev.permafrost.layout;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Facts shared by every structure of the store file.
 *
 * <pre>
 *  offset 0            4 KiB               8 KiB               12 KiB
 *  +-------------------+-------------------+-------------------+----------------------------+
 *  | superblock        | commit slot 0     | commit slot 1     | heap: objects, 16-aligned  |
 *  | (create-time,     | (allocator state, | (allocator state, | ... up to the bump offset; |
 *  |  never rewritten) |  even generations)|  odd generations) | frozen boundary page-aligned|
 *  +-------------------+-------------------+-------------------+----------------------------+
 * </pre>
 *
 * <p>All fields are little-endian and fixed width. A reference to an object is its offset
 * in bytes from the start of the file (so a store maps at any address); 0 is null.
 */
public final class StoreFormat {
    /** The format version this build writes and the newest it reads. */
    public static final int FORMAT_VERSION = 2;

    /**
     * The oldest format version this build reads. Version 2 gave inline string slots their
     * ASCII bit ({@link StructDescriptor#INLINE_ASCII}) and moved the length up a bit, so a
     * version 1 file would be misread: it is refused instead.
     */
    public static final int OLDEST_READABLE_VERSION = 2;

    /** Page size the format assumes; every region is aligned to it. */
    public static final int PAGE_SIZE = 4096;

    /** Alignment of every object block. */
    public static final int OBJECT_ALIGNMENT = 16;

    /** Byte order of every field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Offset of the superblock page. */
    public static final long SUPERBLOCK_OFFSET = 0;

    /** Offset of commit slot 0 (written by even generations). */
    public static final long COMMIT_SLOT_0_OFFSET = PAGE_SIZE;

    /** Offset of commit slot 1 (written by odd generations). */
    public static final long COMMIT_SLOT_1_OFFSET = 2L * PAGE_SIZE;

    /** Offset of the first object: the heap starts after the superblock and both commit slots. */
    public static final long HEAP_START_OFFSET = 3L * PAGE_SIZE;

    /** The reference that points at nothing. */
    public static final long NULL_REFERENCE = 0;

    /** Smallest capacity a store may be created with: the fixed pages plus one heap page. */
    public static final long MIN_CAPACITY_BYTES = HEAP_START_OFFSET + PAGE_SIZE;

    /** Largest capacity a store may be created with (64 TiB): well inside the 47-bit user address space. */
    public static final long MAX_CAPACITY_BYTES = 1L << 46;

    /** {@code long} field, little-endian, any alignment: for structures decoded outside the mapping. */
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(BYTE_ORDER);

    /** {@code int} field, little-endian, any alignment. */
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(BYTE_ORDER);

    /** {@code short} field, little-endian, any alignment. */
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(BYTE_ORDER);

    private StoreFormat() {
    }

    /**
     * Returns {@code offset} rounded up to the next page boundary.
     *
     * @param offset bytes, non-negative
     * @return {@code offset} rounded up to the next page boundary
     */
    public static long alignToPage(long offset) {
        return (offset + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    /**
     * Returns {@code bytes} rounded up to the object alignment.
     *
     * @param bytes a length in bytes, non-negative
     * @return {@code bytes} rounded up to the object alignment
     */
    public static long alignToObject(long bytes) {
        return (bytes + OBJECT_ALIGNMENT - 1) & -OBJECT_ALIGNMENT;
    }

    /**
     * Returns whether {@code offset} is on a page boundary.
     *
     * @param offset bytes from the start of the file
     * @return whether {@code offset} is on a page boundary
     */
    public static boolean isPageAligned(long offset) {
        return (offset & (PAGE_SIZE - 1)) == 0;
    }
}
