package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.layout.Checksums;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.SuperblockDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Damaged store files: random byte changes in the superblock, the commit slots or the heap of a
 * valid store, with the damaged structure's checksum made to match or not. Opening it and
 * reading everything it shows must either work or throw a {@link PermafrostException}, never
 * another exception or a crash, and must not change the file.
 */
class StoreFileFuzzProperties {
    private static Path dir;
    private static byte[] valid;
    private static byte[] frozen;

    /** One change: where (a region and an offset in it), the new byte, and whether to re-checksum. */
    record Mutation(int region, int offset, byte value, boolean rechecksum, boolean wholeWord, long word) {
    }

    @BeforeContainer
    static void buildStores() throws IOException {
        dir = Files.createTempDirectory("permafrost-fuzz");
        Path path = dir.resolve("template.pf");
        try (Store store = Store.create(path, 256 * 1024)) {
            for (int i = 0; i < 30; i++) {
                long object = store.allocate(i % 7 == 0 ? 1 : 5 + i % 7, i * 37); // raw and the untyped kinds 6 to 11
                store.payload(object).fill((byte) i);
                if (i % 3 == 0) {
                    store.release(object);
                }
            }
        }
        valid = StoreFiles.read(path);
        Path frozenPath = dir.resolve("frozen-template.pf");
        try (Store store = Store.create(frozenPath, 256 * 1024)) {
            for (int i = 0; i < 30; i++) {
                store.allocate(i * 41);
            }
            store.freeze();
        }
        frozen = StoreFiles.read(frozenPath);
        Files.delete(path);
        frozenPath.toFile().setWritable(true);
        Files.delete(frozenPath);
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (var paths = Files.list(dir)) {
            for (Path p : paths.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        // whole 8-byte fields set to plausible values (offsets, lengths, counts) find more than random bytes
        Arbitrary<Long> words = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.longs().between(0, 300 * 1024).map(v -> v & -16L),
                Arbitraries.of(0L, -1L, 1L, Long.MIN_VALUE / 2, Long.MAX_VALUE, 4096L, 12288L, 262144L));
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 4095), Arbitraries.bytes(), Arbitraries.of(true, true, false),
                Arbitraries.of(true, false), words).as(Mutation::new);
        return mutation.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property
    void aDamagedStoreOpensAndReadsOrThrowsATypedExceptionAndIsNotChanged(@ForAll("mutations") List<Mutation> mutations,
                                                                        @ForAll boolean useFrozen) throws IOException {
        byte[] bytes = (useFrozen ? frozen : valid).clone();
        MemorySegment file = MemorySegment.ofArray(bytes);
        for (Mutation m : mutations) {
            long base = switch (m.region()) {
                case 0 -> StoreFormat.SUPERBLOCK_OFFSET;
                case 1 -> StoreFormat.COMMIT_SLOT_0_OFFSET;
                case 2 -> StoreFormat.COMMIT_SLOT_1_OFFSET;
                default -> StoreFormat.HEAP_START_OFFSET;
            };
            if (m.wholeWord()) {
                long at = Math.min(base + (m.offset() & -8), bytes.length - 8);
                file.set(StoreFormat.LONG, at, m.word());
            } else {
                file.set(ValueLayout.JAVA_BYTE, Math.min(base + m.offset(), bytes.length - 1), m.value());
            }
            if (m.rechecksum() && m.region() == 0) {
                file.set(StoreFormat.INT, SuperblockDescriptor.CHECKSUM_OFFSET, Checksums.crc32c(file, 0, SuperblockDescriptor.CHECKSUM_OFFSET));
            } else if (m.rechecksum() && (m.region() == 1 || m.region() == 2)) {
                MemorySegment slot = file.asSlice(base, CommitSlotDescriptor.LENGTH);
                slot.set(StoreFormat.INT, CommitSlotDescriptor.CHECKSUM_OFFSET, Checksums.crc32c(slot, 0, CommitSlotDescriptor.CHECKSUM_OFFSET));
            }
        }
        Path path = Files.createTempFile(dir, "damaged", ".pf");
        try {
            StoreFiles.write(path, bytes);
            for (OpenMode mode : List.of(OpenMode.READ_ONLY, OpenMode.COPY_ON_WRITE)) {
                Throwable thrown = catchThrowable(() -> {
                    try (Store store = Store.open(path, mode)) {
                        store.stats();
                        store.forEachObject((offset, typeId, payloadBytes, count) -> {
                            store.payload(offset).toArray(ValueLayout.JAVA_BYTE);
                            store.typeId(offset);
                        });
                    }
                });
                if (thrown != null) {
                    assertThat(thrown).as("what %s threw", mode).isInstanceOf(PermafrostException.class);
                    assertThat(thrown.getMessage()).contains(path.toString());
                }
                assertThat(Arrays.equals(StoreFiles.read(path), bytes)).as("the file is unchanged").isTrue();
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
