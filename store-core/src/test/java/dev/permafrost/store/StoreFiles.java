package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.layout.Checksums;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.SuperblockDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test support: raw access to store files, for damaging them on purpose and checking they were not changed. */
final class StoreFiles {
    private StoreFiles() {
    }

    static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path path, byte[] bytes) {
        try {
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts the file to {@code length} bytes. */
    static void truncate(Path path, long length) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code length} bytes at {@code offset} (a page of a sparse file reads cheaply). */
    static MemorySegment readAt(Path path, long offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // read until full or end of file
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MemorySegment.ofArray(buffer.array());
    }

    static void writeAt(Path path, long offset, MemorySegment bytes) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = bytes.asByteBuffer();
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Changes the superblock and, if asked, writes a checksum that matches the change. */
    static void patchSuperblock(Path path, boolean rechecksum, Consumer<MemorySegment> change) {
        MemorySegment page = readAt(path, StoreFormat.SUPERBLOCK_OFFSET, StoreFormat.PAGE_SIZE);
        change.accept(page);
        if (rechecksum) {
            page.set(StoreFormat.INT, SuperblockDescriptor.CHECKSUM_OFFSET,
                    Checksums.crc32c(page, 0, SuperblockDescriptor.CHECKSUM_OFFSET));
        }
        writeAt(path, StoreFormat.SUPERBLOCK_OFFSET, page);
    }

    /** Changes a commit slot page and, if asked, writes a checksum that matches the change. */
    static void patchSlot(Path path, long slotOffset, boolean rechecksum, Consumer<MemorySegment> change) {
        MemorySegment page = readAt(path, slotOffset, CommitSlotDescriptor.LENGTH);
        change.accept(page);
        if (rechecksum) {
            page.set(StoreFormat.INT, CommitSlotDescriptor.CHECKSUM_OFFSET,
                    Checksums.crc32c(page, 0, CommitSlotDescriptor.CHECKSUM_OFFSET));
        }
        writeAt(path, slotOffset, page);
    }

    /** {@return the decoded slot at that offset, or null if it is not valid} */
    static CommitSlot slot(Path path, long slotOffset) {
        return CommitSlotDescriptor.decodeIfValid(readAt(path, slotOffset, CommitSlotDescriptor.LENGTH));
    }

    /** {@return the offset of the slot holding the newest valid commit} */
    static long newestSlotOffset(Path path) {
        CommitSlot newest = CommitSlotDescriptor.newest(slot(path, StoreFormat.COMMIT_SLOT_0_OFFSET),
                slot(path, StoreFormat.COMMIT_SLOT_1_OFFSET));
        assertThat(newest).as("a valid commit slot in " + path).isNotNull();
        return CommitSlotDescriptor.slotOffset(newest.generation());
    }

    /**
     * Runs an operation that must be refused: asserts the exact exception type, that its message and
     * {@link PermafrostException#file()} name the file, its offset (when one is given), and that the
     * file's bytes are the same afterwards (or that it still does not exist).
     *
     * @param expectedOffset the offset the exception must carry, or {@code null} not to check it
     */
    static <T extends PermafrostException> T assertRefusedUnchanged(Path path, Class<T> type, Long expectedOffset,
                                                                     ThrowingCallable call) {
        boolean existed = Files.exists(path);
        byte[] before = existed && Files.isRegularFile(path) ? read(path) : null;
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("what %s threw", path).isExactlyInstanceOf(type);
        T e = type.cast(thrown);
        assertThat(e.file()).isEqualTo(path);
        assertThat(e.getMessage()).contains(path.toString());
        if (expectedOffset != null) {
            assertThat(e.offset()).as("offset in: " + e.getMessage()).isEqualTo(expectedOffset.longValue());
            if (expectedOffset != PermafrostException.NO_OFFSET) {
                assertThat(e.getMessage()).contains("at offset 0x" + Long.toHexString(expectedOffset));
            }
        }
        assertThat(Files.exists(path)).as("%s exists afterwards", path).isEqualTo(existed);
        if (before != null) {
            byte[] after = read(path);
            assertThat(Arrays.equals(before, after)).as("%s unchanged by the refused operation", path).isTrue();
        }
        return e;
    }
}
