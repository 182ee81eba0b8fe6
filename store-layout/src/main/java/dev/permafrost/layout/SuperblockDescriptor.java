package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.IncompatibleVersionException;
import dev.permafrost.error.NotAStoreException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The superblock: page 0 of every store, written once when the store is created and never
 * again. It holds only create-time facts; everything that changes (bump offset, frozen
 * boundary, clean mark) lives in the two {@linkplain CommitSlotDescriptor commit slots}.
 *
 * <pre>
 *   0                   8                   16                  24                  32
 *  +---------------------------------------+-------------------+-------------------+
 *  | magic "PRMFROST"                      | version | page size| capacity bytes    |
 *  +-------------------+-------------------+-------------------+-------------------+
 *  | heap start offset | created (ms epoch)| incompat features | compat features   |
 *  +-------------------+-------------------+---------+---------+-------------------+
 *  | zero up to byte 124                                       | CRC32C of [0,124) |
 *  +-----------------------------------------------------------+-------------------+
 *  rest of the page: zero
 * </pre>
 *
 * A reader refuses a file whose version is newer than {@link StoreFormat#FORMAT_VERSION} or
 * older than {@link StoreFormat#OLDEST_READABLE_VERSION}, or which sets an incompatible-feature bit it does not know; unknown compatible-feature bits are
 * ignored.
 */
public final class SuperblockDescriptor {
    /** The magic as text: the 8 ASCII bytes a store file starts with. */
    public static final String MAGIC_TEXT = "PRMFROST";
    /** The magic, ASCII {@link #MAGIC_TEXT}, as the little-endian long at offset 0. */
    public static final long MAGIC = MemorySegment.ofArray(MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII)).get(LONG, 0);
    /** Offset of the 8-byte magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the 4-byte format version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the 4-byte page size in bytes. */
    public static final int PAGE_SIZE_OFFSET = 12;
    /** Offset of the 8-byte capacity: the file's size while unfrozen, the heap's upper limit. */
    public static final int CAPACITY_OFFSET = 16;
    /** Offset of the 8-byte heap start (the first object's offset). */
    public static final int HEAP_START_OFFSET = 24;
    /** Offset of the 8-byte creation time, milliseconds since the epoch. */
    public static final int CREATED_MILLIS_OFFSET = 32;
    /** Offset of the 4-byte incompatible-feature bits: a reader refuses bits it does not know. */
    public static final int INCOMPAT_FEATURES_OFFSET = 40;
    /** Offset of the 4-byte compatible-feature bits: a reader ignores bits it does not know. */
    public static final int COMPAT_FEATURES_OFFSET = 44;
    /** Offset of the 4-byte CRC32C of bytes {@code [0, CHECKSUM_OFFSET)}. */
    public static final int CHECKSUM_OFFSET = 124;
    /** Bytes of the superblock that carry data (the rest of page 0 is zero). */
    public static final int LENGTH = 128;
    /** Incompatible-feature bits this build knows (none yet). */
    public static final int KNOWN_INCOMPAT_FEATURES = 0;

    private SuperblockDescriptor() {
    }

    /**
     * The decoded superblock.
     *
     * @param formatVersion      the format version the store was written in
     * @param pageSizeBytes      the page size the store was laid out for
     * @param capacityBytes      the store's capacity, bytes
     * @param heapStartOffset    the first object's offset, bytes from the start of the file
     * @param createdMillis      creation time, milliseconds since the epoch
     * @param incompatFeatures   incompatible-feature bits
     * @param compatFeatures     compatible-feature bits
     */
    public record Superblock(int formatVersion, int pageSizeBytes, long capacityBytes, long heapStartOffset,
                             long createdMillis, int incompatFeatures, int compatFeatures) {
    }

    /**
     * Writes a new superblock for the current format version.
     *
     * @param page          at least {@link #LENGTH} bytes, the start of page 0
     * @param capacityBytes the store's capacity, a page multiple
     * @param createdMillis creation time, milliseconds since the epoch
     */
    public static void encode(MemorySegment page, long capacityBytes, long createdMillis) {
        page.asSlice(0, LENGTH).fill((byte) 0);
        page.set(LONG, MAGIC_OFFSET, MAGIC);
        page.set(INT, VERSION_OFFSET, StoreFormat.FORMAT_VERSION);
        page.set(INT, PAGE_SIZE_OFFSET, StoreFormat.PAGE_SIZE);
        page.set(LONG, CAPACITY_OFFSET, capacityBytes);
        page.set(LONG, HEAP_START_OFFSET, StoreFormat.HEAP_START_OFFSET);
        page.set(LONG, CREATED_MILLIS_OFFSET, createdMillis);
        page.set(INT, INCOMPAT_FEATURES_OFFSET, 0);
        page.set(INT, COMPAT_FEATURES_OFFSET, 0);
        page.set(INT, CHECKSUM_OFFSET, Checksums.crc32c(page, 0, CHECKSUM_OFFSET));
    }

    /**
     * Decodes and validates a superblock: magic, checksum, version, features, page size and
     * the geometry of the regions. The file length is checked by the caller, which knows
     * whether the store is frozen.
     *
     * @param page the first bytes of the file, at least {@link #LENGTH} of them
     * @param file the file, for messages
     * @return the superblock
     * @throws NotAStoreException           if the magic is wrong
     * @throws IncompatibleVersionException if the version or a feature bit is unknown
     * @throws CorruptStoreException        if the checksum or a field is wrong
     */
    public static Superblock decode(MemorySegment page, Path file) {
        long magic = page.get(LONG, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new NotAStoreException(file, MAGIC_OFFSET,
                    "not a Permafrost store: expected magic \"" + MAGIC_TEXT + "\", found 0x" + Long.toHexString(magic));
        }
        int version = page.get(INT, VERSION_OFFSET);
        int stored = page.get(INT, CHECKSUM_OFFSET);
        int computed = Checksums.crc32c(page, 0, CHECKSUM_OFFSET);
        if (version > StoreFormat.FORMAT_VERSION) {
            throw new IncompatibleVersionException(file, VERSION_OFFSET, "format version " + version
                    + " is newer than this build reads (up to " + StoreFormat.FORMAT_VERSION + ")");
        }
        if (stored != computed) {
            throw new CorruptStoreException(file, CHECKSUM_OFFSET, "superblock checksum mismatch: stored 0x"
                    + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed));
        }
        if (version < 1) {
            throw new CorruptStoreException(file, VERSION_OFFSET, "format version " + version + " is not a valid version");
        }
        if (version < StoreFormat.OLDEST_READABLE_VERSION) {
            throw new IncompatibleVersionException(file, VERSION_OFFSET, "format version " + version
                    + " is older than this build reads (" + StoreFormat.OLDEST_READABLE_VERSION + " to "
                    + StoreFormat.FORMAT_VERSION + "): write the store again with this build");
        }
        int incompat = page.get(INT, INCOMPAT_FEATURES_OFFSET);
        if ((incompat & ~KNOWN_INCOMPAT_FEATURES) != 0) {
            throw new IncompatibleVersionException(file, INCOMPAT_FEATURES_OFFSET, "unknown incompatible format features 0x"
                    + Integer.toHexString(incompat & ~KNOWN_INCOMPAT_FEATURES));
        }
        int pageSize = page.get(INT, PAGE_SIZE_OFFSET);
        if (pageSize != StoreFormat.PAGE_SIZE) {
            throw new IncompatibleVersionException(file, PAGE_SIZE_OFFSET, "page size " + pageSize
                    + " bytes; this build reads stores of " + StoreFormat.PAGE_SIZE + "-byte pages");
        }
        long heapStart = page.get(LONG, HEAP_START_OFFSET);
        if (heapStart != StoreFormat.HEAP_START_OFFSET) {
            throw new CorruptStoreException(file, HEAP_START_OFFSET, "heap start 0x" + Long.toHexString(heapStart)
                    + ", expected 0x" + Long.toHexString(StoreFormat.HEAP_START_OFFSET));
        }
        long capacity = page.get(LONG, CAPACITY_OFFSET);
        if (capacity < StoreFormat.MIN_CAPACITY_BYTES || capacity > StoreFormat.MAX_CAPACITY_BYTES
                || !StoreFormat.isPageAligned(capacity)) {
            throw new CorruptStoreException(file, CAPACITY_OFFSET, "capacity " + capacity
                    + " bytes is not a page multiple between " + StoreFormat.MIN_CAPACITY_BYTES + " and "
                    + StoreFormat.MAX_CAPACITY_BYTES);
        }
        return new Superblock(version, pageSize, capacity, heapStart, page.get(LONG, CREATED_MILLIS_OFFSET), incompat,
                page.get(INT, COMPAT_FEATURES_OFFSET));
    }
}
