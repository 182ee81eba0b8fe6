package dev.permafrost.heapdump;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.NotAStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreAccessException;
import dev.permafrost.error.TruncatedStoreException;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.SuperblockDescriptor;
import dev.permafrost.layout.SuperblockDescriptor.Superblock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A store file opened for inspection: validated, then mapped read-only.
 *
 * <p>The superblock and both commit slots are read with plain reads and validated against
 * each other and against the file's length; only then is the file mapped, read-only, from 0 to
 * the page above the committed bump offset, which validation proved lies inside the file. No
 * lock is taken and nothing is written, so an owner that has the store open is not disturbed
 * (the image then shows its last commit). A file truncated under the mapping makes Java
 * accesses throw {@link InternalError}, which the CLI reports as a truncated file.
 */
final class StoreImage implements AutoCloseable {
    /** State of one commit slot as found on disk. */
    enum SlotState {
        /** Valid: magic, checksum, flags and class count are right. */
        VALID,
        /** Never written: all zero, or no magic. */
        UNUSED,
        /** Has the magic but fails its checksum or a field check: torn by a crash, or damaged. */
        DAMAGED
    }

    private final Path path;
    private final FileChannel channel;
    private final long fileBytes;
    private final Superblock superblock;
    private final SlotState[] slotStates;
    private final CommitSlot committed;
    private final Arena arena;
    private final MemorySegment memory;

    private StoreImage(Path path, FileChannel channel, long fileBytes, Superblock superblock,
                       SlotState[] slotStates, CommitSlot committed, long mappedBytes) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileBytes = fileBytes;
        this.superblock = superblock;
        this.slotStates = slotStates;
        this.committed = committed;
        this.arena = Arena.ofShared();
        try {
            this.memory = channel.map(FileChannel.MapMode.READ_ONLY, 0, mappedBytes, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Opens and validates a store file for inspection.
     *
     * @param path the file
     * @return the image
     * @throws PermafrostException a typed exception saying what is wrong with the file and where
     */
    static StoreImage open(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "is a directory, not a store file");
        }
        if (!Files.isRegularFile(path)) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "is not a regular file");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "permission denied: cannot read the file", e);
        } catch (IOException e) {
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "cannot open: " + e, e);
        }
        try {
            return validate(path, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreAccessException(path, PermafrostException.NO_OFFSET, "cannot read: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static StoreImage validate(Path path, FileChannel channel) throws IOException {
        long length = channel.size();
        if (length == 0) {
            throw new NotAStoreException(path, PermafrostException.NO_OFFSET, "empty file, not a Permafrost store");
        }
        MemorySegment head = read(channel, 0, (int) Math.min(length, StoreFormat.HEAP_START_OFFSET));
        byte[] magic = "PRMFROST".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < magic.length; i++) {
            if (i >= head.byteSize() || head.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != magic[i]) {
                throw new NotAStoreException(path, 0, "not a Permafrost store: no \"PRMFROST\" magic in its first bytes ("
                        + length + " bytes long)");
            }
        }
        if (length < SuperblockDescriptor.LENGTH) {
            throw new TruncatedStoreException(path, length, "truncated: the file is " + length
                    + " bytes, shorter than the " + SuperblockDescriptor.LENGTH + "-byte superblock");
        }
        Superblock superblock = SuperblockDescriptor.decode(head, path);
        if (length < StoreFormat.HEAP_START_OFFSET) {
            throw new TruncatedStoreException(path, length, "truncated: the file is " + length
                    + " bytes, shorter than the superblock and commit slots (" + StoreFormat.HEAP_START_OFFSET + " bytes)");
        }
        CommitSlot[] slots = new CommitSlot[2];
        SlotState[] states = new SlotState[2];
        for (int i = 0; i < 2; i++) {
            MemorySegment page = head.asSlice((i + 1L) * StoreFormat.PAGE_SIZE, CommitSlotDescriptor.LENGTH);
            CommitSlot decoded = CommitSlotDescriptor.decodeIfValid(page);
            // a generation that belongs in the other slot was not written there by a commit: invalid
            slots[i] = decoded != null && CommitSlotDescriptor.slotOffset(decoded.generation()) == (i + 1L) * StoreFormat.PAGE_SIZE
                    ? decoded : null;
            states[i] = slots[i] != null ? SlotState.VALID
                    : page.get(StoreFormat.LONG, CommitSlotDescriptor.MAGIC_OFFSET) == CommitSlotDescriptor.MAGIC
                    ? SlotState.DAMAGED : SlotState.UNUSED;
        }
        CommitSlot newest = CommitSlotDescriptor.newest(slots[0], slots[1]);
        if (newest == null) {
            throw new CorruptStoreException(path, StoreFormat.COMMIT_SLOT_0_OFFSET,
                    "neither commit slot is valid (bad magic or checksum in both)");
        }
        long at = CommitSlotDescriptor.slotOffset(newest.generation());
        long bump = newest.bumpOffset();
        if (bump < superblock.heapStartOffset() || bump > superblock.capacityBytes() || bump % StoreFormat.OBJECT_ALIGNMENT != 0) {
            throw new CorruptStoreException(path, at + CommitSlotDescriptor.BUMP_OFFSET, "bump offset 0x"
                    + Long.toHexString(bump) + " is not a 16-aligned offset between the heap start and the capacity 0x"
                    + Long.toHexString(superblock.capacityBytes()));
        }
        if (newest.isFrozen() && newest.frozenBoundaryOffset() != StoreFormat.alignToPage(bump)) {
            throw new CorruptStoreException(path, at + CommitSlotDescriptor.FROZEN_BOUNDARY_OFFSET, "frozen boundary 0x"
                    + Long.toHexString(newest.frozenBoundaryOffset()) + " is not the page above the bump offset 0x"
                    + Long.toHexString(bump));
        }
        long expected = newest.isFrozen() ? newest.frozenBoundaryOffset() : superblock.capacityBytes();
        String what = newest.isFrozen() ? "its frozen boundary" : "its capacity";
        if (length < expected) {
            throw new TruncatedStoreException(path, length, "truncated: the file is " + length + " bytes, " + what
                    + " is " + expected);
        }
        if (length > expected && !newest.isFrozen()) { // frozen and longer: freeze died before trimming; read the boundary only
            throw new CorruptStoreException(path, expected, "the file is " + length + " bytes, longer than " + what
                    + " (" + expected + ")");
        }
        return new StoreImage(path, channel, length, superblock, states, newest, StoreFormat.alignToPage(bump));
    }

    /** {@return the file} */
    Path path() {
        return path;
    }

    /** {@return the file's length in bytes} */
    long fileBytes() {
        return fileBytes;
    }

    /** {@return the superblock} */
    Superblock superblock() {
        return superblock;
    }

    /** {@return the newest valid commit: the state the image shows} */
    CommitSlot committed() {
        return committed;
    }

    /**
     * Returns the state of a commit slot.
     *
     * @param index 0 or 1
     * @return its state
     */
    SlotState slotState(int index) {
        return slotStates[index];
    }

    /** {@return the first byte after the last object: the committed bump offset} */
    long bumpOffset() {
        return committed.bumpOffset();
    }

    /** {@return the first object's offset} */
    long heapStartOffset() {
        return superblock.heapStartOffset();
    }

    /** {@return the mapped file from offset 0 up to the page above the bump offset, read-only} */
    MemorySegment memory() {
        return memory;
    }

    /**
     * Returns whether {@code offset} could be the start of an object: 16-aligned, inside the heap.
     *
     * @param offset bytes from the start of the file
     * @return whether it could be an object's offset
     */
    boolean isHeapOffset(long offset) {
        return offset >= heapStartOffset() && offset < bumpOffset() && (offset & (StoreFormat.OBJECT_ALIGNMENT - 1)) == 0;
    }

    /**
     * Reads bytes of the file, anywhere in it (also above the mapped part).
     *
     * @param offset bytes from the start of the file
     * @param into   where to put them; fewer are read at the end of the file
     * @return bytes read
     * @throws StoreAccessException if the read fails
     */
    int read(long offset, ByteBuffer into) {
        try {
            int total = 0;
            while (into.hasRemaining()) {
                int n = channel.read(into, offset + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new StoreAccessException(path, offset, "cannot read: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            arena.close();
        } finally {
            closeQuietly(channel);
        }
    }

    private static MemorySegment read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        return MemorySegment.ofArray(buffer.array()).asSlice(0, buffer.position());
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only: nothing was written that could be lost
        }
    }
}
