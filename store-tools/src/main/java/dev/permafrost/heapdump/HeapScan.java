package dev.permafrost.heapdump;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.HeapWalker;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;

/**
 * The heap walk every command is built on: block by block from the heap start to the
 * committed bump offset, each block's size from its meta word, every header checked before
 * the walk moves past it (a bad header stops the walk with a {@link CorruptStoreException}
 * naming its offset; it is never read past).
 *
 * <p>Hot path: this loop is what {@code histo} and {@code verify} spend their time in; it reads
 * two words per block and calls the visitor, which a command keeps monomorphic.
 */
final class HeapScan {
    /** Receives each block in address order. */
    @FunctionalInterface
    interface BlockVisitor {
        /**
         * Called once per block.
         *
         * @param blockOffset bytes from the start of the file to the header
         * @param countWord   the reference-count word: 0 free, negative immortal, positive mortal
         * @param meta        the meta word
         * @param blockBytes  the block's size, header included
         */
        void block(long blockOffset, long countWord, long meta, long blockBytes);
    }

    /** Thrown by a visitor to end a walk early; {@link #walk} returns normally. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /** The one instance a visitor throws: it carries no stack trace. */
    static final Stop STOP = new Stop();

    private static final int PROGRESS_EVERY_BLOCKS = 1 << 16;

    private HeapScan() {
    }

    /**
     * Walks the heap of an image.
     *
     * @param image    the store
     * @param progress told how far the walk is
     * @param visitor  receives each block; may throw {@link #STOP} to end the walk
     * @throws CorruptStoreException at the first header that does not describe a valid block
     */
    static void walk(StoreImage image, Progress progress, BlockVisitor visitor) {
        MemorySegment memory = image.memory();
        long start = image.heapStartOffset();
        long end = image.bumpOffset();
        long offset = start;
        int untilProgress = PROGRESS_EVERY_BLOCKS;
        try {
            while (offset < end) {
                long count = memory.get(LONG, offset + ObjectHeaderDescriptor.REFERENCE_COUNT_OFFSET);
                long meta = memory.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
                long blockBytes = SizeClasses.blockBytes(ObjectHeaderDescriptor.payloadBytes(meta));
                if (ObjectHeaderDescriptor.typeId(meta) == TypeIds.INVALID || blockBytes > end - offset) {
                    throw badHeader(image, offset, meta, end);
                }
                visitor.block(offset, count, meta, blockBytes);
                offset += blockBytes;
                if (--untilProgress == 0) {
                    untilProgress = PROGRESS_EVERY_BLOCKS;
                    progress.update(offset - start);
                }
            }
        } catch (Stop stop) {
            // the visitor has seen enough
        } finally {
            progress.done();
        }
    }

    /**
     * Walks the heap of an image and goes on after damage
     * ({@link HeapWalker#walkResynchronising}): each header that does not describe a block
     * starts a damaged range, and the walk restarts at the next plausible block.
     *
     * @param image    the store
     * @param progress told how far the walk is
     * @param rules    what makes a header damaged, and a restart plausible
     * @param visitor  receives each block outside the damaged ranges
     * @param damage   receives each damaged range
     */
    static void walkResynchronising(StoreImage image, Progress progress, HeapWalker.HeaderRules rules,
                                    BlockVisitor visitor, HeapWalker.DamageVisitor damage) {
        long start = image.heapStartOffset();
        int[] untilProgress = {PROGRESS_EVERY_BLOCKS};
        try {
            HeapWalker.walkResynchronising(image.memory(), start, image.bumpOffset(), rules, (offset, count, meta, blockBytes) -> {
                visitor.block(offset, count, meta, blockBytes);
                if (--untilProgress[0] == 0) {
                    untilProgress[0] = PROGRESS_EVERY_BLOCKS;
                    progress.update(offset + blockBytes - start);
                }
                return true;
            }, damage);
        } finally {
            progress.done();
        }
    }

    /**
     * Returns the exception for a header that does not describe a valid block.
     *
     * @param image  the store
     * @param offset where the header is
     * @param meta   its meta word
     * @param end    the bump offset
     * @return the exception, naming the offset and what is wrong
     */
    static CorruptStoreException badHeader(StoreImage image, long offset, long meta, long end) {
        return new CorruptStoreException(image.path(), offset, "corrupt object header: " + HeapWalker.layoutProblem(offset, meta, end));
    }
}
