package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.IncompatibleVersionException;
import dev.permafrost.error.NotAStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.layout.SuperblockDescriptor.Superblock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SuperblockDescriptorTest {
    private static final Path FILE = Path.of("/stores/s.pf");
    private static final long CAPACITY = 1L << 30;
    private static final long CREATED = 1_764_000_000_000L;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment page = arena.allocate(StoreFormat.PAGE_SIZE, 8);

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void encodeThenDecodeGivesBackEveryField() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        Superblock superblock = SuperblockDescriptor.decode(page, FILE);
        assertThat(superblock).isEqualTo(new Superblock(StoreFormat.FORMAT_VERSION, StoreFormat.PAGE_SIZE, CAPACITY,
                StoreFormat.HEAP_START_OFFSET, CREATED, 0, 0));
    }

    @Test
    void encodeWritesTheMagicAsAsciiAndZeroesEveryReservedByte() {
        page.fill((byte) 0x5A);
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        byte[] magic = page.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("PRMFROST");
        for (long i = SuperblockDescriptor.COMPAT_FEATURES_OFFSET + 4; i < SuperblockDescriptor.CHECKSUM_OFFSET; i++) {
            assertThat(page.get(ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isZero();
        }
        assertThat(page.get(INT, SuperblockDescriptor.CHECKSUM_OFFSET))
                .isEqualTo(Checksums.crc32c(page, 0, SuperblockDescriptor.CHECKSUM_OFFSET));
    }

    @Test
    void aWrongMagicIsNotAStore() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(LONG, SuperblockDescriptor.MAGIC_OFFSET, 0x4C4946454C494FL);
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(NotAStoreException.class)
                .hasMessageContaining("PRMFROST").hasMessageContaining(FILE.toString())
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.MAGIC_OFFSET);
    }

    @Test
    void aNewerVersionIsIncompatible() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.VERSION_OFFSET, StoreFormat.FORMAT_VERSION + 1);
        rechecksum();
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(IncompatibleVersionException.class)
                .hasMessageContaining("format version " + (StoreFormat.FORMAT_VERSION + 1))
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.VERSION_OFFSET);
    }

    @Test
    void aNewerVersionIsReportedAsSuchEvenIfItsChecksumDiffers() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.VERSION_OFFSET, StoreFormat.FORMAT_VERSION + 1); // checksum now stale
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(IncompatibleVersionException.class);
    }

    @Test
    void versionOneIsTooOldToRead() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.VERSION_OFFSET, 1);
        rechecksum();
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(IncompatibleVersionException.class)
                .hasMessageContaining("format version 1 is older than this build reads (2 to 2)")
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.VERSION_OFFSET);
    }

    @Test
    void versionZeroIsCorrupt() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.VERSION_OFFSET, 0);
        rechecksum();
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(CorruptStoreException.class)
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.VERSION_OFFSET);
    }

    @Test
    void anUnknownIncompatibleFeatureBitIsRefused() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.INCOMPAT_FEATURES_OFFSET, 1 << 7);
        rechecksum();
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(IncompatibleVersionException.class)
                .hasMessageContaining("0x80")
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.INCOMPAT_FEATURES_OFFSET);
    }

    @Test
    void anUnknownCompatibleFeatureBitIsIgnored() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.COMPAT_FEATURES_OFFSET, 0x8000_0001);
        rechecksum();
        assertThat(SuperblockDescriptor.decode(page, FILE).compatFeatures()).isEqualTo(0x8000_0001);
    }

    @Test
    void aChecksumMismatchIsCorruptAtTheChecksumOffset() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(LONG, SuperblockDescriptor.CREATED_MILLIS_OFFSET, CREATED + 1); // one bit, checksum not updated
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("checksum")
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.CHECKSUM_OFFSET);
    }

    @Test
    void aDamagedChecksumFieldIsCorruptToo() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.CHECKSUM_OFFSET, page.get(INT, SuperblockDescriptor.CHECKSUM_OFFSET) ^ 1);
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(CorruptStoreException.class)
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.CHECKSUM_OFFSET);
    }

    @Test
    void anotherPageSizeIsIncompatible() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(INT, SuperblockDescriptor.PAGE_SIZE_OFFSET, 16384);
        rechecksum();
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(IncompatibleVersionException.class)
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.PAGE_SIZE_OFFSET);
    }

    @Test
    void anotherHeapStartIsCorrupt() {
        SuperblockDescriptor.encode(page, CAPACITY, CREATED);
        page.set(LONG, SuperblockDescriptor.HEAP_START_OFFSET, StoreFormat.HEAP_START_OFFSET + StoreFormat.PAGE_SIZE);
        rechecksum();
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(CorruptStoreException.class)
                .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.HEAP_START_OFFSET);
    }

    @Test
    void aCapacityOutsideTheLimitsOrOffAPageIsCorrupt() {
        long[] bad = {0, StoreFormat.MIN_CAPACITY_BYTES - StoreFormat.PAGE_SIZE, CAPACITY + 16,
                StoreFormat.MAX_CAPACITY_BYTES + StoreFormat.PAGE_SIZE, -StoreFormat.PAGE_SIZE};
        for (long capacity : bad) {
            SuperblockDescriptor.encode(page, capacity, CREATED);
            assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).as("capacity %d", capacity)
                    .isExactlyInstanceOf(CorruptStoreException.class)
                    .extracting(e -> ((PermafrostException) e).offset()).isEqualTo((long) SuperblockDescriptor.CAPACITY_OFFSET);
        }
        for (long capacity : new long[] {StoreFormat.MIN_CAPACITY_BYTES, StoreFormat.MAX_CAPACITY_BYTES}) {
            SuperblockDescriptor.encode(page, capacity, CREATED);
            assertThat(SuperblockDescriptor.decode(page, FILE).capacityBytes()).isEqualTo(capacity);
        }
    }

    @Test
    void theMagicIsCheckedBeforeTheChecksum() {
        page.fill((byte) 0); // an all-zero page: no magic, and a checksum that does not match either
        assertThatThrownBy(() -> SuperblockDescriptor.decode(page, FILE)).isExactlyInstanceOf(NotAStoreException.class);
    }

    private void rechecksum() {
        page.set(INT, SuperblockDescriptor.CHECKSUM_OFFSET, Checksums.crc32c(page, 0, SuperblockDescriptor.CHECKSUM_OFFSET));
    }
}
