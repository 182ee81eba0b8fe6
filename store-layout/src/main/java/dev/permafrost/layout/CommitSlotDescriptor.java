package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;

import java.lang.foreign.MemorySegment;

/**
 * A commit slot: one page holding the store's committed state, the allocator's included.
 * There are two (pages 1 and 2); a commit writes generation {@code g} into slot {@code g % 2},
 * so the slot it overwrites is the older one, and opening takes the valid slot with the
 * highest generation. A write torn by a crash leaves a slot whose checksum fails; the other
 * slot still holds the previous commit (LMDB's two meta pages, for the same reason).
 *
 * <pre>
 *   0                   8                   16        20        24                  32
 *  +-------------------+-------------------+---------+---------+-------------------+
 *  | magic "PFCOMMIT"  | generation        | flags   | classes | bump offset       |
 *  +-------------------+-------------------+---------+---------+-------------------+
 *  | frozen boundary   | frozen CRC32C     | type table offset | root table offset |
 *  +-------------------+-------------------+-------------------+-------------------+
 *  | live objects      | live bytes        | free bytes        | wasted bytes      |
 *  +-------------------+-------------------+-------------------+-------------------+
 *  | zero up to byte 128                                                           |
 *  +-------------------------------------------------------------------------------+
 *  | free-list heads: {@link SizeClasses#COUNT} offsets, 8 bytes each (0 = empty)       |
 *  +---------------------------------------------------------------+---------------+
 *  | zero up to byte 4092                                          | CRC32C [0,4092)|
 *  +---------------------------------------------------------------+---------------+
 *  flags: bit 0 CLEAN (owner closed the store), bit 1 FROZEN
 * </pre>
 *
 * The committed state describes only objects that were fully written before the commit: the
 * owner syncs the heap, then writes and syncs the slot. While the owner has the store open
 * its newest slot is not CLEAN; finding that slot with no owner alive means the owner died.
 */
public final class CommitSlotDescriptor {
    /** The slot magic, ASCII {@code PFCOMMIT}, as the little-endian long at offset 0. */
    public static final long MAGIC = 0x54494D4D4F434650L;
    /** Offset of the 8-byte magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the 8-byte generation; 0 means the slot was never written. */
    public static final int GENERATION_OFFSET = 8;
    /** Offset of the 4-byte flags. */
    public static final int FLAGS_OFFSET = 16;
    /** Offset of the 4-byte number of free-list heads that follow. */
    public static final int CLASS_COUNT_OFFSET = 20;
    /** Offset of the 8-byte bump offset: the end of the allocated heap. */
    public static final int BUMP_OFFSET = 24;
    /** Offset of the 8-byte frozen boundary (page-aligned; 0 unless frozen). */
    public static final int FROZEN_BOUNDARY_OFFSET = 32;
    /** Offset of the 8-byte CRC32C of the heap {@code [heap start, bump)} taken at freeze (0 unless frozen). */
    public static final int FROZEN_CHECKSUM_OFFSET = 40;
    /** Offset of the 8-byte offset of the type table object (0 = none). */
    public static final int TYPE_TABLE_OFFSET = 48;
    /** Offset of the 8-byte offset of the root table object (0 = none). */
    public static final int ROOT_TABLE_OFFSET = 56;
    /** Offset of the 8-byte count of live objects. */
    public static final int LIVE_OBJECTS_OFFSET = 64;
    /** Offset of the 8-byte total block bytes of live objects. */
    public static final int LIVE_BYTES_OFFSET = 72;
    /** Offset of the 8-byte total block bytes on free lists. */
    public static final int FREE_BYTES_OFFSET = 80;
    /** Offset of the 8-byte total bytes of blocks neither live nor reusable (fillers, holes). */
    public static final int WASTED_BYTES_OFFSET = 88;
    /** Offset of the first free-list head. */
    public static final int FREE_HEADS_OFFSET = 128;
    /** Offset of the 4-byte CRC32C of bytes {@code [0, CHECKSUM_OFFSET)}. */
    public static final int CHECKSUM_OFFSET = StoreFormat.PAGE_SIZE - 4;
    /** Bytes of a slot: one page. */
    public static final int LENGTH = StoreFormat.PAGE_SIZE;

    /** Flag: the owner closed the store after this commit. */
    public static final int FLAG_CLEAN = 1;
    /** Flag: the store is frozen. */
    public static final int FLAG_FROZEN = 1 << 1;
    private static final int KNOWN_FLAGS = FLAG_CLEAN | FLAG_FROZEN;

    private CommitSlotDescriptor() {
    }

    /**
     * The decoded content of a commit slot.
     *
     * @param generation           the commit's generation, 1 and up
     * @param flags                {@link #FLAG_CLEAN}, {@link #FLAG_FROZEN}
     * @param bumpOffset           end of the allocated heap, bytes from the start of the file
     * @param frozenBoundaryOffset page-aligned end of the frozen region, or 0
     * @param frozenChecksum       CRC32C of the heap at freeze, or 0
     * @param typeTableOffset      offset of the type table object, or 0
     * @param rootTableOffset      offset of the root table object, or 0
     * @param liveObjects          count of live objects
     * @param liveBytes            block bytes of live objects
     * @param freeBytes            block bytes on free lists
     * @param wastedBytes          block bytes neither live nor reusable
     * @param freeHeads            free-list heads, one per size class
     */
    public record CommitSlot(long generation, int flags, long bumpOffset, long frozenBoundaryOffset,
                             int frozenChecksum, long typeTableOffset, long rootTableOffset, long liveObjects,
                             long liveBytes, long freeBytes, long wastedBytes, long[] freeHeads) {
        /** {@return whether the owner closed the store after this commit} */
        public boolean isClean() {
            return (flags & FLAG_CLEAN) != 0;
        }

        /** {@return whether the store is frozen} */
        public boolean isFrozen() {
            return (flags & FLAG_FROZEN) != 0;
        }

        /**
         * Returns this state under a new generation and flags.
         *
         * @param newGeneration the generation of the commit to write
         * @param newFlags      its flags
         * @return this state under a new generation and flags
         */
        public CommitSlot next(long newGeneration, int newFlags) {
            return new CommitSlot(newGeneration, newFlags, bumpOffset, frozenBoundaryOffset, frozenChecksum,
                    typeTableOffset, rootTableOffset, liveObjects, liveBytes, freeBytes, wastedBytes, freeHeads);
        }
    }

    /**
     * Returns the offset of the slot that generation is written to.
     *
     * @param generation a commit generation
     * @return the offset of the slot that generation is written to
     */
    public static long slotOffset(long generation) {
        return (generation & 1) == 0 ? StoreFormat.COMMIT_SLOT_0_OFFSET : StoreFormat.COMMIT_SLOT_1_OFFSET;
    }

    /**
     * Writes a slot, checksum last.
     *
     * @param slot the page of the slot, {@link #LENGTH} bytes
     * @param s    the state to write
     */
    public static void encode(MemorySegment slot, CommitSlot s) {
        slot.asSlice(0, LENGTH).fill((byte) 0);
        slot.set(LONG, MAGIC_OFFSET, MAGIC);
        slot.set(LONG, GENERATION_OFFSET, s.generation());
        slot.set(INT, FLAGS_OFFSET, s.flags());
        slot.set(INT, CLASS_COUNT_OFFSET, SizeClasses.COUNT);
        slot.set(LONG, BUMP_OFFSET, s.bumpOffset());
        slot.set(LONG, FROZEN_BOUNDARY_OFFSET, s.frozenBoundaryOffset());
        slot.set(LONG, FROZEN_CHECKSUM_OFFSET, Integer.toUnsignedLong(s.frozenChecksum()));
        slot.set(LONG, TYPE_TABLE_OFFSET, s.typeTableOffset());
        slot.set(LONG, ROOT_TABLE_OFFSET, s.rootTableOffset());
        slot.set(LONG, LIVE_OBJECTS_OFFSET, s.liveObjects());
        slot.set(LONG, LIVE_BYTES_OFFSET, s.liveBytes());
        slot.set(LONG, FREE_BYTES_OFFSET, s.freeBytes());
        slot.set(LONG, WASTED_BYTES_OFFSET, s.wastedBytes());
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            slot.set(LONG, FREE_HEADS_OFFSET + 8L * i, s.freeHeads()[i]);
        }
        slot.set(INT, CHECKSUM_OFFSET, Checksums.crc32c(slot, 0, CHECKSUM_OFFSET));
    }

    /**
     * Decodes a slot if it is valid. An invalid slot is not an error by itself (a crash may
     * tear the slot being written); the caller decides when no valid slot is left.
     *
     * @param slot the page of the slot, {@link #LENGTH} bytes
     * @return the slot, or {@code null} if it was never written, or its magic, checksum,
     *         flags or class count are wrong
     */
    public static CommitSlot decodeIfValid(MemorySegment slot) {
        if (slot.get(LONG, MAGIC_OFFSET) != MAGIC || slot.get(LONG, GENERATION_OFFSET) <= 0
                || slot.get(INT, CHECKSUM_OFFSET) != Checksums.crc32c(slot, 0, CHECKSUM_OFFSET)
                || slot.get(INT, CLASS_COUNT_OFFSET) != SizeClasses.COUNT
                || (slot.get(INT, FLAGS_OFFSET) & ~KNOWN_FLAGS) != 0) {
            return null;
        }
        long[] heads = new long[SizeClasses.COUNT];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = slot.get(LONG, FREE_HEADS_OFFSET + 8L * i);
        }
        return new CommitSlot(slot.get(LONG, GENERATION_OFFSET), slot.get(INT, FLAGS_OFFSET),
                slot.get(LONG, BUMP_OFFSET), slot.get(LONG, FROZEN_BOUNDARY_OFFSET),
                (int) slot.get(LONG, FROZEN_CHECKSUM_OFFSET), slot.get(LONG, TYPE_TABLE_OFFSET),
                slot.get(LONG, ROOT_TABLE_OFFSET), slot.get(LONG, LIVE_OBJECTS_OFFSET),
                slot.get(LONG, LIVE_BYTES_OFFSET), slot.get(LONG, FREE_BYTES_OFFSET),
                slot.get(LONG, WASTED_BYTES_OFFSET), heads);
    }

    /**
     * Returns the valid slot with the higher generation, or {@code null} if neither is valid.
     *
     * @param a a decoded slot, or {@code null}
     * @param b the other decoded slot, or {@code null}
     * @return the valid slot with the higher generation, or {@code null} if neither is valid
     */
    public static CommitSlot newest(CommitSlot a, CommitSlot b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.generation() >= b.generation() ? a : b;
    }
}
