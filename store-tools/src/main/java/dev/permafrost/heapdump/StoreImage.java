package dev.permafrost.heapdump;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreAccessException;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StoreHeaders;
import dev.permafrost.layout.SuperblockDescriptor.Superblock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * each other and against the file's length by {@link StoreHeaders#validate}, the validator the
 * library opens stores with; only then is the file mapped, read-only, from 0 to the page above
 * the committed bump offset, which validation proved lies inside the file. Unlike the library,
 * the image opens a store whose newest commit a newer format wrote: it shows the newest commit
 * it can read, and {@link #newerCommit()} says that there is a newer one. No
 * lock is taken and nothing is written, so an owner that has the store open is not disturbed
 * (the image then shows its last commit). A file truncated under the mapping makes Java
 * accesses throw {@link InternalError}, which the CLI reports as a truncated file.
 */
final class StoreImage implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final StoreHeaders.Headers headers;
    private final Arena arena;
    private final MemorySegment memory;

    private StoreImage(Path path, FileChannel channel, StoreHeaders.Headers headers, long mappedBytes) throws IOException {
        this.path = path;
        this.channel = channel;
        this.headers = headers;
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
        MemorySegment head = read(channel, 0, (int) Math.min(length, StoreHeaders.LENGTH));
        StoreHeaders.Headers headers = StoreHeaders.validate(head, length, path); // no newer-commit check: the CLI shows the file
        return new StoreImage(path, channel, headers, StoreFormat.alignToPage(headers.committed().bumpOffset()));
    }

    /** {@return the file} */
    Path path() {
        return path;
    }

    /** {@return the file's length in bytes} */
    long fileBytes() {
        return headers.fileLengthBytes();
    }

    /** {@return the superblock} */
    Superblock superblock() {
        return headers.superblock();
    }

    /** {@return the newest valid commit: the state the image shows} */
    CommitSlot committed() {
        return headers.committed();
    }

    /**
     * Returns what a commit slot holds, as the validator found it.
     *
     * @param index 0 or 1
     * @return its report: state, generation and, if it is not valid, why
     */
    StoreHeaders.SlotReport slot(int index) {
        return headers.slot(index);
    }

    /** {@return the slot a newer format wrote after the committed one, which the image cannot show, or {@code null}} */
    StoreHeaders.SlotReport newerCommit() {
        return headers.newerCommit();
    }

    /** {@return the first byte after the last object: the committed bump offset} */
    long bumpOffset() {
        return headers.committed().bumpOffset();
    }

    /** {@return the first object's offset} */
    long heapStartOffset() {
        return headers.superblock().heapStartOffset();
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
