package dev.permafrost.heapdump;

import dev.permafrost.layout.StoreFormat;

/**
 * Which 16-byte slots of the heap start a block, as a bit set, with a rank per word so that a
 * block's ordinal (its index in address order) takes two array reads: the index that lets
 * {@code verify} check a reference or a free-list link ("is this a block?") in constant time
 * and count inbound references per block in an {@code int[]}. One bit per 16 heap bytes:
 * 8 MiB for a 1 GiB heap.
 */
final class BlockIndex {
    private final long heapStartOffset;
    private final long endOffset;
    private final long[] starts;
    private int[] rankBefore;
    private int blocks;

    BlockIndex(long heapStartOffset, long endOffset) {
        this.heapStartOffset = heapStartOffset;
        this.endOffset = endOffset;
        long slots = (endOffset - heapStartOffset) / StoreFormat.OBJECT_ALIGNMENT;
        this.starts = new long[Math.toIntExact((slots + 63) >>> 6)];
    }

    /**
     * Records a block start; calls come in address order, before {@link #seal}.
     *
     * @param blockOffset the block's offset
     */
    void add(long blockOffset) {
        long slot = (blockOffset - heapStartOffset) >>> 4;
        starts[(int) (slot >>> 6)] |= 1L << slot;
        blocks++;
    }

    /** Builds the ranks; after this, {@link #ordinal} works. */
    void seal() {
        rankBefore = new int[starts.length];
        int rank = 0;
        for (int w = 0; w < starts.length; w++) {
            rankBefore[w] = rank;
            rank += Long.bitCount(starts[w]);
        }
    }

    /** {@return blocks recorded} */
    int blocks() {
        return blocks;
    }

    /**
     * Returns whether a block starts at that offset.
     *
     * @param offset bytes from the start of the file, any value
     * @return whether a walked block starts there
     */
    boolean isBlockStart(long offset) {
        if (offset < heapStartOffset || offset >= endOffset || (offset & (StoreFormat.OBJECT_ALIGNMENT - 1)) != 0) {
            return false;
        }
        long slot = (offset - heapStartOffset) >>> 4;
        return (starts[(int) (slot >>> 6)] & (1L << slot)) != 0;
    }

    /**
     * Returns the block's index in address order.
     *
     * @param blockOffset an offset for which {@link #isBlockStart} holds
     * @return its ordinal, 0 to {@link #blocks()} - 1
     */
    int ordinal(long blockOffset) {
        long slot = (blockOffset - heapStartOffset) >>> 4;
        int w = (int) (slot >>> 6);
        return rankBefore[w] + Long.bitCount(starts[w] & ((1L << slot) - 1));
    }
}
