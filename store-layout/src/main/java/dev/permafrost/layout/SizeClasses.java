package dev.permafrost.layout;

/**
 * The block sizes the heap is made of. Every block (object or free) has one of these sizes,
 * and a block's size is a pure function of the payload length in its header, so the heap
 * can be walked from its first block to the bump offset with no other index.
 *
 * <pre>
 *  class   0 ..  63: 16, 32, 48, ... 1024 bytes     (every multiple of 16)
 *  class  64 .. 311: 8 classes per doubling above 1 KiB: 1152, 1280, ... 2048, 2304, ...
 *                    (a block is at most 1/8 larger than it needs to be)
 * </pre>
 *
 * A free block keeps a pointer to the next free block of its class in its first payload
 * bytes, so 16-byte blocks (header only) are never kept on a free list: when freed they stay
 * behind as filler, counted as wasted bytes. Blocks of {@link #LARGE_BLOCK_BYTES} and more start
 * on a page boundary so that they never share a page with small objects.
 */
public final class SizeClasses {
    /** Number of size classes, and of free-list heads in a commit slot. */
    public static final int COUNT = 312;
    /** Size of the smallest block: a header with no payload. */
    public static final long MIN_BLOCK_BYTES = ObjectHeaderDescriptor.LENGTH;
    /** Size of the smallest block that can be kept on a free list (holds the next pointer). */
    public static final long MIN_FREE_LIST_BLOCK_BYTES = 32;
    /** Largest block of the exact classes; above it classes grow by 1/8 of a power of two. */
    public static final long EXACT_CLASS_LIMIT_BYTES = 1024;
    /** Blocks of this size and more are placed at a page boundary. */
    public static final long LARGE_BLOCK_BYTES = 64 * 1024;

    private static final int EXACT_CLASSES = 64;
    private static final int EXACT_LIMIT_LOG2 = 10;
    private static final int CLASSES_PER_DOUBLING_LOG2 = 3;

    private SizeClasses() {
    }

    /**
     * Returns size of the block that holds an object with that payload, header included.
     *
     * @param payloadBytes payload length, 0 to {@link ObjectHeaderDescriptor#MAX_PAYLOAD_BYTES}
     * @return size of the block that holds an object with that payload, header included
     */
    public static long blockBytes(long payloadBytes) {
        return sizeOf(classOf(ObjectHeaderDescriptor.LENGTH + payloadBytes));
    }

    /**
     * Returns index of the smallest class whose blocks hold {@code neededBytes}.
     *
     * @param neededBytes bytes a block must hold, header included, at least 1
     * @return index of the smallest class whose blocks hold {@code neededBytes}
     */
    public static int classOf(long neededBytes) {
        long aligned = StoreFormat.alignToObject(neededBytes);
        if (aligned <= EXACT_CLASS_LIMIT_BYTES) {
            return (int) (aligned >>> 4) - 1;
        }
        int log2 = 63 - Long.numberOfLeadingZeros(aligned - 1); // aligned in (2^log2, 2^(log2+1)]
        int stepLog2 = log2 - CLASSES_PER_DOUBLING_LOG2;
        long steps = ((aligned - (1L << log2)) + (1L << stepLog2) - 1) >>> stepLog2; // 1..8
        return EXACT_CLASSES + ((log2 - EXACT_LIMIT_LOG2) << CLASSES_PER_DOUBLING_LOG2) + (int) steps - 1;
    }

    /**
     * Returns the size in bytes of that class's blocks.
     *
     * @param sizeClass a class index, 0 to {@link #COUNT} - 1
     * @return the size in bytes of that class's blocks
     */
    public static long sizeOf(int sizeClass) {
        if (sizeClass < EXACT_CLASSES) {
            return (sizeClass + 1L) << 4;
        }
        int above = sizeClass - EXACT_CLASSES;
        int log2 = EXACT_LIMIT_LOG2 + (above >>> CLASSES_PER_DOUBLING_LOG2);
        long steps = (above & ((1 << CLASSES_PER_DOUBLING_LOG2) - 1)) + 1L;
        return (1L << log2) + (steps << (log2 - CLASSES_PER_DOUBLING_LOG2));
    }

    /**
     * Returns the largest class size that is at most {@code bytes}.
     *
     * @param bytes a positive multiple of 16
     * @return the largest class size that is at most {@code bytes}; the last class's size for
     *         anything above it
     */
    public static long largestSizeAtMost(long bytes) {
        // classOf is COUNT or more above the last class, where sizeOf would name a size no class has
        int sizeClass = Math.min(classOf(bytes), COUNT - 1);
        long size = sizeOf(sizeClass);
        return size <= bytes ? size : sizeOf(sizeClass - 1);
    }

    /**
     * Returns whether {@code blockBytes} is exactly the size of a class.
     *
     * @param blockBytes a block size
     * @return whether {@code blockBytes} is exactly the size of a class
     */
    public static boolean isClassSize(long blockBytes) {
        return blockBytes >= MIN_BLOCK_BYTES && blockBytes <= sizeOf(COUNT - 1) && sizeOf(classOf(blockBytes)) == blockBytes;
    }
}
