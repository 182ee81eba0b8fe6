package dev.permafrost.heapdump;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of a heap walk: per type, live objects and their block bytes, immortal and mortal,
 * and a log2 histogram of mortal reference counts; for the heap, free blocks, fillers and
 * holes. One pass, no allocation per block (types below {@link #DENSE_TYPE_IDS} are indexed
 * by an array).
 */
final class Census implements HeapScan.BlockVisitor {
    /** Per-type counts. */
    static final class TypeStats {
        final int typeId;
        long objects;
        long bytes;
        long payloadBytes;
        long immortal;
        long mortal;
        /** {@code mortalCountLog2[k]}: mortal objects whose count is in {@code [2^k, 2^(k+1))}. */
        final long[] mortalCountLog2 = new long[64];

        TypeStats(int typeId) {
            this.typeId = typeId;
        }
    }

    private static final int DENSE_TYPE_IDS = 1 << 12;

    private TypeStats[] dense = new TypeStats[128];
    private final Map<Integer, TypeStats> sparse = new HashMap<>();
    long liveObjects;
    long liveBytes;
    long immortal;
    long mortal;
    long freeBlocks;
    long freeBytes;
    /** Bytes of free blocks too small for a free list (16-byte fillers): wasted, not reusable. */
    long fillerBytes;
    long blocks;

    @Override
    public void block(long blockOffset, long countWord, long meta, long blockBytes) {
        blocks++;
        if (countWord == ObjectHeaderDescriptor.FREE_COUNT) {
            freeBlocks++;
            freeBytes += blockBytes;
            if (blockBytes < SizeClasses.MIN_FREE_LIST_BLOCK_BYTES) {
                fillerBytes += blockBytes;
            }
            return;
        }
        TypeStats stats = stats(ObjectHeaderDescriptor.typeId(meta));
        stats.objects++;
        stats.bytes += blockBytes;
        stats.payloadBytes += ObjectHeaderDescriptor.payloadBytes(meta);
        liveObjects++;
        liveBytes += blockBytes;
        if (countWord < 0) {
            stats.immortal++;
            immortal++;
        } else {
            stats.mortal++;
            stats.mortalCountLog2[63 - Long.numberOfLeadingZeros(countWord)]++;
            mortal++;
        }
    }

    /** {@return the counts of every type seen, in type id order} */
    List<TypeStats> types() {
        List<TypeStats> all = new ArrayList<>();
        for (TypeStats s : dense) {
            if (s != null) {
                all.add(s);
            }
        }
        sparse.values().stream().sorted((a, b) -> Integer.compare(a.typeId, b.typeId)).forEach(all::add);
        return all;
    }

    private TypeStats stats(int typeId) {
        if (typeId < dense.length) {
            TypeStats s = dense[typeId];
            return s != null ? s : (dense[typeId] = new TypeStats(typeId));
        }
        if (typeId < DENSE_TYPE_IDS) {
            TypeStats[] grown = new TypeStats[DENSE_TYPE_IDS];
            System.arraycopy(dense, 0, grown, 0, dense.length);
            dense = grown;
            return stats(typeId);
        }
        return sparse.computeIfAbsent(typeId, TypeStats::new);
    }
}
