package dev.permafrost.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.permafrost.layout.Checksums;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.SuperblockDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Damage to a valid seed file, driven by the fuzzer's bytes: up to 16 patches, each a byte, a
 * bit, an int or a long written into one of the file's structures (superblock, either commit
 * slot, the heap, a block header, the type table, the root table, the bytes above the bump
 * offset), then optionally the damaged headers' checksums made to match again (so that the
 * damage reaches past the checksum checks), then optionally a truncation.
 *
 * <p>Input layout, as {@link FuzzedDataProvider} reads it: the patch count and each patch's
 * fields, the re-checksum bits, the truncation. An empty input is the seed undamaged. The
 * corpus's inputs mean something only against these seeds and this layout: a change to either
 * (or to {@link Seeds}) turns them into other damage, so regression inputs must be found again.
 */
final class Damage {
    /** Most patches one input makes. */
    static final int MAX_PATCHES = 16;
    /** Bytes of a table or block header region a patch lands in, from its start. */
    private static final int REGION_BYTES = 512;

    private Damage() {
    }

    /**
     * Damages a copy of a seed.
     *
     * @param seed the valid file
     * @param data the fuzzer's input
     * @return the damaged copy (the seed is not changed)
     */
    static byte[] apply(Seeds.Seed seed, FuzzedDataProvider data) {
        byte[] bytes = seed.bytes().clone();
        MemorySegment file = MemorySegment.ofArray(bytes);
        long bump = seed.committed().bumpOffset();
        int patches = data.consumeInt(0, MAX_PATCHES);
        for (int p = 0; p < patches; p++) {
            long at = switch (data.consumeInt(0, 7)) {
                case 0 -> data.consumeLong(0, SuperblockDescriptor.LENGTH - 1);
                case 1 -> StoreFormat.COMMIT_SLOT_0_OFFSET + data.consumeLong(0, CommitSlotDescriptor.LENGTH - 1);
                case 2 -> StoreFormat.COMMIT_SLOT_1_OFFSET + data.consumeLong(0, CommitSlotDescriptor.LENGTH - 1);
                case 3 -> data.consumeLong(StoreFormat.HEAP_START_OFFSET, Math.max(StoreFormat.HEAP_START_OFFSET, bump - 1));
                case 4 -> seed.blockOffsets().length == 0 ? StoreFormat.HEAP_START_OFFSET
                        : seed.blockOffsets()[data.consumeInt(0, seed.blockOffsets().length - 1)] + data.consumeInt(0, 63);
                case 5 -> seed.committed().typeTableOffset() + data.consumeInt(0, REGION_BYTES - 1);
                case 6 -> seed.committed().rootTableOffset() + data.consumeInt(0, REGION_BYTES - 1);
                default -> data.consumeLong(bump, bytes.length - 1);
            };
            at = Math.clamp(at, 0, bytes.length - 1);
            switch (data.consumeInt(0, 4)) {
                case 0 -> file.set(ValueLayout.JAVA_BYTE, at, data.consumeByte());
                case 1 -> file.set(ValueLayout.JAVA_BYTE, at, (byte) (file.get(ValueLayout.JAVA_BYTE, at) ^ (1 << data.consumeInt(0, 7))));
                case 2 -> file.set(StoreFormat.INT, Math.min(at & -4, bytes.length - 4), data.consumeInt(-2, 1024));
                case 3 -> file.set(StoreFormat.LONG, Math.min(at & -8, bytes.length - 8), data.consumeLong());
                default -> file.set(StoreFormat.LONG, Math.min(at & -8, bytes.length - 8), // an offset: what a pointer field holds
                        data.consumeLong(0, bytes.length + StoreFormat.PAGE_SIZE) & -(long) data.consumeInt(1, 16));
            }
        }
        int rechecksum = data.consumeInt(0, 15);
        if ((rechecksum & 8) != 0 && seed.committed().isFrozen()) {
            int heapCrc = Checksums.crc32c(file, StoreFormat.HEAP_START_OFFSET, bump - StoreFormat.HEAP_START_OFFSET);
            for (long slot : new long[] {StoreFormat.COMMIT_SLOT_0_OFFSET, StoreFormat.COMMIT_SLOT_1_OFFSET}) {
                file.set(StoreFormat.LONG, slot + CommitSlotDescriptor.FROZEN_CHECKSUM_OFFSET, Integer.toUnsignedLong(heapCrc));
            }
            rechecksum |= 6;
        }
        if ((rechecksum & 1) != 0) {
            file.set(StoreFormat.INT, SuperblockDescriptor.CHECKSUM_OFFSET,
                    Checksums.crc32c(file, 0, SuperblockDescriptor.CHECKSUM_OFFSET));
        }
        for (int i = 0; i < 2; i++) {
            if ((rechecksum & (2 << i)) != 0) {
                MemorySegment slot = file.asSlice(i == 0 ? StoreFormat.COMMIT_SLOT_0_OFFSET : StoreFormat.COMMIT_SLOT_1_OFFSET,
                        CommitSlotDescriptor.LENGTH);
                slot.set(StoreFormat.INT, CommitSlotDescriptor.CHECKSUM_OFFSET,
                        Checksums.crc32c(slot, 0, CommitSlotDescriptor.CHECKSUM_OFFSET));
            }
        }
        if (data.consumeBoolean()) {
            return Arrays.copyOf(bytes, data.consumeInt(0, bytes.length));
        }
        return bytes;
    }
}
