package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.IncompatibleVersionException;
import dev.permafrost.error.NotAStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.TruncatedStoreException;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.SuperblockDescriptor.Superblock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The one validator of a store file's header: the superblock, both commit slots and the
 * references in the committed slot, checked against each other and against the file's length.
 * The library ({@code StoreFile.open}) and the heap-dump CLI both open a file through it, so
 * they accept and refuse the same files with the same messages; {@code docs/FORMAT.md}
 * ("Validation at open") lists its rules in order.
 *
 * <pre>
 *  headerBytes: the first {@link #LENGTH} bytes of the file (fewer if the file is shorter)
 *  offset 0            4096                8192                12288
 *  +-------------------+-------------------+-------------------+
 *  | superblock        | commit slot 0     | commit slot 1     |  + fileLengthBytes
 *  +-------------------+-------------------+-------------------+
 *           |                   |                   |
 *           v                   v                   v
 *   Superblock          SlotReport 0        SlotReport 1     --&gt; committed: the newest VALID slot
 * </pre>
 *
 * <p><b>A slot written by a newer format</b> (magic, generation and checksum intact, but a flag
 * or a size-class count this build does not know) is {@link SlotState#NEWER_FORMAT}: neither
 * valid nor torn. Only a {@link SlotState#VALID} slot can be {@linkplain Headers#committed()
 * committed}, so such a slot is never read; but when its generation is above the committed
 * slot's, the newest commit of the store is one this build cannot read, and
 * {@link Headers#checkNewestCommitIsReadable()} refuses it with
 * {@link IncompatibleVersionException}. The library calls it and refuses to open the store: falling
 * back to the older slot would roll the store back, and an owner would then overwrite the
 * newer commit (LMDB takes its newest meta page or nothing, for the same reason). A rolling
 * downgrade stays possible: a newer build that wants older readers writes slots they read, and a
 * newer-format slot a later commit has superseded (a lower generation) is harmless. The CLI
 * does not call it: it shows the newest commit it can read and says that a newer one exists.
 *
 * <p>Pure: no I/O, no mapping; it reads the bytes it is given and allocates only its result.
 * Thread rules: stateless.
 */
public final class StoreHeaders {
    /** Bytes of the file the validator reads: the superblock page and both commit slots. */
    public static final int LENGTH = (int) StoreFormat.HEAP_START_OFFSET;

    private static final int KNOWN_FLAGS = CommitSlotDescriptor.FLAG_CLEAN | CommitSlotDescriptor.FLAG_FROZEN;
    private static final int MAGIC_BYTES = Long.BYTES;

    private StoreHeaders() {
    }

    /** What one commit slot holds, as found on disk. */
    public enum SlotState {
        /** Valid: magic, positive generation of this slot's parity, checksum, known flags, known class count. */
        VALID,
        /** Never written: every byte is zero. */
        UNUSED,
        /** Neither valid nor zero: torn by a crash, or damaged ({@link SlotReport#problem()} says how). */
        DAMAGED,
        /** Intact (magic, generation, checksum), but with flags or a class count from a newer format. */
        NEWER_FORMAT
    }

    /**
     * One commit slot as found on disk.
     *
     * @param index         0 or 1
     * @param slotOffset    where the slot's page starts, bytes from the start of the file
     * @param state         what the slot holds
     * @param generation    the generation stored in the slot (meaningful for {@link SlotState#VALID}
     *                      and {@link SlotState#NEWER_FORMAT}; 0 for {@link SlotState#UNUSED})
     * @param slot          the decoded slot if {@link SlotState#VALID}, else {@code null}
     * @param problemOffset bytes from the start of the file of the field that is wrong, or
     *                      {@link PermafrostException#NO_OFFSET} if {@link SlotState#VALID} or {@link SlotState#UNUSED}
     * @param problem       what is wrong, for messages, or {@code null} if {@link SlotState#VALID} or {@link SlotState#UNUSED}
     */
    public record SlotReport(int index, long slotOffset, SlotState state, long generation, CommitSlot slot,
                             long problemOffset, String problem) {
    }

    /**
     * A validated header.
     *
     * @param file            the file, for messages
     * @param fileLengthBytes the file's length
     * @param superblock      the decoded superblock
     * @param slot0           commit slot 0 (page 1)
     * @param slot1           commit slot 1 (page 2)
     * @param committed       the newest valid slot: the store's committed state; its fields were
     *                        checked against the superblock and the file's length
     */
    public record Headers(Path file, long fileLengthBytes, Superblock superblock, SlotReport slot0, SlotReport slot1,
                          CommitSlot committed) {
        /**
         * Returns one slot's report.
         *
         * @param index 0 or 1
         * @return its report
         */
        public SlotReport slot(int index) {
            return switch (index) {
                case 0 -> slot0;
                case 1 -> slot1;
                default -> throw new IndexOutOfBoundsException("commit slot " + index + " (there are two, 0 and 1)");
            };
        }

        /** {@return the offset of the committed slot's page} */
        public long committedSlotOffset() {
            return CommitSlotDescriptor.slotOffset(committed.generation());
        }

        /**
         * Returns the slot a newer format wrote after the committed one, if there is one: the store's
         * newest commit, which this build cannot read.
         *
         * @return that slot's report, or {@code null}
         */
        public SlotReport newerCommit() {
            boolean newer0 = slot0.state() == SlotState.NEWER_FORMAT && slot0.generation() > committed.generation();
            boolean newer1 = slot1.state() == SlotState.NEWER_FORMAT && slot1.generation() > committed.generation();
            if (newer0 && newer1) {
                return slot0.generation() > slot1.generation() ? slot0 : slot1;
            }
            return newer0 ? slot0 : newer1 ? slot1 : null;
        }

        /**
         * Refuses a store whose newest commit this build cannot read (see the class comment): what
         * a caller that maps the store, and may write it, must check.
         *
         * @throws IncompatibleVersionException if a newer format wrote a slot after the committed one
         */
        public void checkNewestCommitIsReadable() {
            SlotReport newer = newerCommit();
            if (newer != null) {
                throw new IncompatibleVersionException(file, newer.problemOffset(), newer.problem()
                        + "; the older commit generation " + committed.generation()
                        + " is not opened in its place, which would roll the store back");
            }
        }
    }

    /**
     * Validates a store file's header (see the class comment and {@code docs/FORMAT.md}).
     *
     * @param headerBytes     the file's first bytes, from offset 0: {@link #LENGTH} of them, or
     *                        all the file has if it is shorter (fewer than that: the file ended early)
     * @param fileLengthBytes the file's length in bytes
     * @param fileForMessages the file, named in every exception
     * @return the validated header
     * @throws NotAStoreException           if the file is empty, or does not start with the magic
     * @throws TruncatedStoreException      if the file ends inside the fixed pages, or before its
     *                                      capacity (not frozen) or its frozen boundary (frozen)
     * @throws IncompatibleVersionException if the superblock is of another version or has unknown
     *                                      incompatible features, or the only intact commit slots
     *                                      were written by a newer format
     * @throws CorruptStoreException        if a checksum or field of the superblock is wrong, no slot
     *                                      is valid, a field of the committed slot is out of range,
     *                                      or the file is longer than its capacity (not frozen)
     * @throws IllegalArgumentException     if {@code fileLengthBytes} is negative
     */
    public static Headers validate(MemorySegment headerBytes, long fileLengthBytes, Path fileForMessages) {
        Path file = fileForMessages;
        if (fileLengthBytes < 0) {
            throw new IllegalArgumentException(file + ": file length " + fileLengthBytes + " is negative");
        }
        if (fileLengthBytes == 0) {
            throw new NotAStoreException(file, PermafrostException.NO_OFFSET, "empty file, not a Permafrost store");
        }
        long available = Math.min(Math.min(headerBytes.byteSize(), fileLengthBytes), LENGTH);
        if (available < SuperblockDescriptor.LENGTH) {
            if (!startsLikeTheMagic(headerBytes, available)) {
                throw new NotAStoreException(file, SuperblockDescriptor.MAGIC_OFFSET, "not a Permafrost store: no \""
                        + SuperblockDescriptor.MAGIC_TEXT + "\" magic in its " + fileLengthBytes + " bytes");
            }
            throw new TruncatedStoreException(file, available, "truncated: the file is " + fileLengthBytes
                    + " bytes, shorter than the " + SuperblockDescriptor.LENGTH + "-byte superblock");
        }
        Superblock superblock = SuperblockDescriptor.decode(headerBytes, file);
        if (available < LENGTH) {
            throw new TruncatedStoreException(file, available, "truncated: the file is " + fileLengthBytes
                    + " bytes, shorter than the superblock and commit slots (" + LENGTH + " bytes)");
        }
        SlotReport slot0 = inspect(headerBytes, 0, StoreFormat.COMMIT_SLOT_0_OFFSET);
        SlotReport slot1 = inspect(headerBytes, 1, StoreFormat.COMMIT_SLOT_1_OFFSET);
        CommitSlot committed = CommitSlotDescriptor.newest(slot0.slot(), slot1.slot());
        if (committed == null) {
            SlotReport newer = slot0.state() != SlotState.NEWER_FORMAT ? slot1
                    : slot1.state() != SlotState.NEWER_FORMAT || slot0.generation() >= slot1.generation() ? slot0 : slot1;
            if (newer.state() == SlotState.NEWER_FORMAT) {
                throw new IncompatibleVersionException(file, newer.problemOffset(), newer.problem()
                        + "; no commit slot this build reads is left");
            }
            throw new CorruptStoreException(file, StoreFormat.COMMIT_SLOT_0_OFFSET, "neither commit slot is valid (slot 0: "
                    + describe(slot0) + "; slot 1: " + describe(slot1) + ")");
        }
        Headers headers = new Headers(file, fileLengthBytes, superblock, slot0, slot1, committed);
        try {
            checkCommitted(file, superblock, committed, fileLengthBytes);
        } catch (CorruptStoreException e) { // TruncatedStoreException too
            SlotReport newer = headers.newerCommit();
            if (newer != null) { // the older slot does not fit a file a newer format went on changing
                throw new IncompatibleVersionException(file, newer.problemOffset(), newer.problem()
                        + "; the older commit generation " + committed.generation() + " does not fit the file ("
                        + e.getMessage() + ")", e);
            }
            throw e;
        }
        return headers;
    }

    /** Whether the first {@code available} bytes (at most the magic's 8) are the magic's first bytes. */
    private static boolean startsLikeTheMagic(MemorySegment headerBytes, long available) {
        for (int i = 0; i < Math.min(available, MAGIC_BYTES); i++) {
            byte expected = (byte) (SuperblockDescriptor.MAGIC >>> (8 * i)); // the magic is little-endian
            if (headerBytes.get(ValueLayout.JAVA_BYTE, SuperblockDescriptor.MAGIC_OFFSET + i) != expected) {
                return false;
            }
        }
        return true;
    }

    private static SlotReport inspect(MemorySegment headerBytes, int index, long slotOffset) {
        MemorySegment page = headerBytes.asSlice(slotOffset, CommitSlotDescriptor.LENGTH);
        long magic = page.get(LONG, CommitSlotDescriptor.MAGIC_OFFSET);
        long generation = page.get(LONG, CommitSlotDescriptor.GENERATION_OFFSET);
        if (magic != CommitSlotDescriptor.MAGIC) {
            if (isZero(page)) {
                return new SlotReport(index, slotOffset, SlotState.UNUSED, 0, null, PermafrostException.NO_OFFSET, null);
            }
            return damaged(index, slotOffset, CommitSlotDescriptor.MAGIC_OFFSET, "no commit-slot magic (found 0x"
                    + Long.toHexString(magic) + ")", generation);
        }
        if (generation <= 0) {
            return damaged(index, slotOffset, CommitSlotDescriptor.GENERATION_OFFSET, "generation " + generation
                    + " is not positive", generation);
        }
        int stored = page.get(INT, CommitSlotDescriptor.CHECKSUM_OFFSET);
        int computed = Checksums.crc32c(page, 0, CommitSlotDescriptor.CHECKSUM_OFFSET);
        if (stored != computed) {
            return damaged(index, slotOffset, CommitSlotDescriptor.CHECKSUM_OFFSET, "checksum mismatch (stored 0x"
                    + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed) + ")", generation);
        }
        if (CommitSlotDescriptor.slotOffset(generation) != slotOffset) { // not written there by a commit
            return damaged(index, slotOffset, CommitSlotDescriptor.GENERATION_OFFSET, "generation " + generation
                    + " belongs in the other slot", generation);
        }
        int flags = page.get(INT, CommitSlotDescriptor.FLAGS_OFFSET);
        int classes = page.get(INT, CommitSlotDescriptor.CLASS_COUNT_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0 || classes != SizeClasses.COUNT) {
            long field = (flags & ~KNOWN_FLAGS) != 0 ? CommitSlotDescriptor.FLAGS_OFFSET : CommitSlotDescriptor.CLASS_COUNT_OFFSET;
            return new SlotReport(index, slotOffset, SlotState.NEWER_FORMAT, generation, null, slotOffset + field,
                    "commit generation " + generation + " has flags 0x" + Integer.toHexString(flags) + " and " + classes
                            + " size classes; this build knows flags 0x" + Integer.toHexString(KNOWN_FLAGS) + " and "
                            + SizeClasses.COUNT + " size classes (a newer format wrote it)");
        }
        CommitSlot slot = CommitSlotDescriptor.decodeIfValid(page);
        if (slot == null) { // the checks above are decodeIfValid's: it cannot disagree
            throw new IllegalStateException("commit slot " + index + " passed every check but did not decode");
        }
        return new SlotReport(index, slotOffset, SlotState.VALID, generation, slot, PermafrostException.NO_OFFSET, null);
    }

    private static SlotReport damaged(int index, long slotOffset, int field, String problem, long generation) {
        return new SlotReport(index, slotOffset, SlotState.DAMAGED, generation, null, slotOffset + field, problem);
    }

    private static boolean isZero(MemorySegment page) {
        for (long i = 0; i < page.byteSize(); i += Long.BYTES) {
            if (page.get(LONG, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(SlotReport report) {
        return switch (report.state()) {
            case UNUSED -> "never written";
            case VALID -> "valid";
            case DAMAGED, NEWER_FORMAT -> report.problem();
        };
    }

    /** The committed slot's fields against the superblock, and the file's length against both. */
    private static void checkCommitted(Path file, Superblock superblock, CommitSlot slot, long fileLengthBytes) {
        long at = CommitSlotDescriptor.slotOffset(slot.generation());
        long heapStart = superblock.heapStartOffset();
        long bump = slot.bumpOffset();
        if (bump < heapStart || bump > superblock.capacityBytes() || bump % StoreFormat.OBJECT_ALIGNMENT != 0) {
            throw new CorruptStoreException(file, at + CommitSlotDescriptor.BUMP_OFFSET, "bump offset 0x" + Long.toHexString(bump)
                    + " is not a 16-aligned offset between the heap start and the capacity 0x"
                    + Long.toHexString(superblock.capacityBytes()));
        }
        if (slot.isFrozen() && slot.frozenBoundaryOffset() != StoreFormat.alignToPage(bump)) {
            throw new CorruptStoreException(file, at + CommitSlotDescriptor.FROZEN_BOUNDARY_OFFSET, "frozen boundary 0x"
                    + Long.toHexString(slot.frozenBoundaryOffset()) + " is not the page above the bump offset 0x"
                    + Long.toHexString(bump));
        }
        checkReference(file, at + CommitSlotDescriptor.TYPE_TABLE_OFFSET, "the type table", slot.typeTableOffset(), heapStart, bump);
        checkReference(file, at + CommitSlotDescriptor.ROOT_TABLE_OFFSET, "the root table", slot.rootTableOffset(), heapStart, bump);
        long[] heads = slot.freeHeads();
        for (int c = 0; c < heads.length; c++) {
            checkReference(file, at + CommitSlotDescriptor.FREE_HEADS_OFFSET + (long) Long.BYTES * c,
                    "the head of free list " + c, heads[c], heapStart, bump);
        }
        long expected = slot.isFrozen() ? slot.frozenBoundaryOffset() : superblock.capacityBytes();
        String what = slot.isFrozen() ? "its frozen boundary" : "its capacity";
        if (fileLengthBytes < expected) {
            throw new TruncatedStoreException(file, fileLengthBytes, "truncated: the file is " + fileLengthBytes + " bytes, "
                    + what + " is " + expected);
        }
        // frozen and longer: the freeze died between its commit and the trim; readers map the boundary only
        if (fileLengthBytes > expected && !slot.isFrozen()) {
            throw new CorruptStoreException(file, expected, "the file is " + fileLengthBytes + " bytes, longer than "
                    + what + " (" + expected + ")");
        }
    }

    private static boolean inHeap(long reference, long heapStart, long bump) {
        return reference >= heapStart && reference < bump && reference % StoreFormat.OBJECT_ALIGNMENT == 0;
    }

    private static void checkReference(Path file, long fieldOffset, String what, long reference, long heapStart, long bump) {
        if (reference != StoreFormat.NULL_REFERENCE && !inHeap(reference, heapStart, bump)) {
            throw new CorruptStoreException(file, fieldOffset, "reference to " + what + " 0x" + Long.toHexString(reference)
                    + " is not a 16-aligned offset inside the heap [0x" + Long.toHexString(heapStart) + ", 0x"
                    + Long.toHexString(bump) + ")");
        }
    }
}
