package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.PermafrostException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Damaged pages: decoding a superblock or a commit slot from arbitrary bytes either succeeds
 * or fails with a typed {@link PermafrostException} (superblock) or {@code null} (slot); it
 * never throws anything else.
 */
class DecodeFuzzProperties {
    private static final Path FILE = Path.of("/stores/fuzz.pf");

    @Property
    void aSuperblockWithRandomFieldsDecodesOrThrowsATypedException(
            @ForAll @Size(SuperblockDescriptor.LENGTH) byte[] bytes, @ForAll boolean keepMagic, @ForAll boolean rechecksum) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(StoreFormat.PAGE_SIZE, 8);
            MemorySegment.copy(bytes, 0, page, ValueLayout.JAVA_BYTE, 0, bytes.length);
            if (keepMagic) {
                page.set(LONG, SuperblockDescriptor.MAGIC_OFFSET, SuperblockDescriptor.MAGIC);
            }
            if (rechecksum) {
                page.set(INT, SuperblockDescriptor.CHECKSUM_OFFSET, Checksums.crc32c(page, 0, SuperblockDescriptor.CHECKSUM_OFFSET));
            }
            Throwable thrown = catchThrowable(() -> SuperblockDescriptor.decode(page, FILE));
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(PermafrostException.class);
                assertThat(((PermafrostException) thrown).offset()).isBetween(0L, (long) SuperblockDescriptor.CHECKSUM_OFFSET);
            }
        }
    }

    @Property
    void aValidSuperblockWithOneFlippedBitIsRefused(@ForAll @IntRange(min = 0, max = 8 * SuperblockDescriptor.LENGTH - 1) int bit) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(StoreFormat.PAGE_SIZE, 8);
            SuperblockDescriptor.encode(page, 1L << 30, 1_764_000_000_000L);
            byte b = page.get(ValueLayout.JAVA_BYTE, bit / 8);
            page.set(ValueLayout.JAVA_BYTE, bit / 8, (byte) (b ^ (1 << (bit % 8))));
            assertThat(catchThrowable(() -> SuperblockDescriptor.decode(page, FILE))).isInstanceOf(PermafrostException.class);
        }
    }

    @Property
    void aCommitSlotOfRandomBytesIsValidOnlyIfItsChecksumMatches(@ForAll @Size(1024) byte[] bytes, @ForAll boolean keepMagic) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = arena.allocate(CommitSlotDescriptor.LENGTH, 8);
            MemorySegment.copy(bytes, 0, slot, ValueLayout.JAVA_BYTE, 0, bytes.length);
            if (keepMagic) {
                slot.set(LONG, CommitSlotDescriptor.MAGIC_OFFSET, CommitSlotDescriptor.MAGIC);
            }
            assertThat(CommitSlotDescriptor.decodeIfValid(slot)).isNull();
            slot.set(INT, CommitSlotDescriptor.CLASS_COUNT_OFFSET, SizeClasses.COUNT);
            slot.set(INT, CommitSlotDescriptor.FLAGS_OFFSET, CommitSlotDescriptor.FLAG_CLEAN);
            slot.set(LONG, CommitSlotDescriptor.GENERATION_OFFSET, 1);
            slot.set(INT, CommitSlotDescriptor.CHECKSUM_OFFSET, Checksums.crc32c(slot, 0, CommitSlotDescriptor.CHECKSUM_OFFSET));
            assertThat(CommitSlotDescriptor.decodeIfValid(slot) != null).isEqualTo(keepMagic);
        }
    }
}
